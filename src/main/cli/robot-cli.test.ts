import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './index';
import { captureConsole } from '../../../test/support/capture-console';

const FIX = 'test/fixtures/urdf';

const capture = captureConsole;

afterEach(() => vi.restoreAllMocks());

describe('adaptlab inspect / simulate', () => {
  it('inspect --json prints the one summary line', async () => {
    const c = capture();
    const rc = await main(['inspect', `${FIX}/ros_ws/src/demo_description/urdf/demo.urdf`, '--package-path', `${FIX}/ros_ws/src`, '--json']);
    expect(rc).toBe(0);
    expect(c.out).toHaveLength(1);
    const s = JSON.parse(c.out[0]);
    expect(Object.keys(s)).toEqual(['name', 'root', 'links', 'joints', 'jointTypes', 'totalMass', 'meshes', 'warnings']);
    expect(s.meshes.dae).toBeGreaterThan(0);
  });

  it('inspect: a broken file prints the error and exits 1', async () => {
    const c = capture();
    expect(await main(['inspect', `${FIX}/broken/cycle.urdf`])).toBe(1);
    expect(c.err.join('\n')).toMatch(/cycle\.urdf/);
    expect(await main(['inspect'])).toBe(2);
  });

  it('simulate --urdf prints a summary line with hasNaN', async () => {
    const c = capture();
    const rc = await main(['simulate', '--urdf', `${FIX}/gripper/gripper.urdf`, '--seconds', '0.5', '--json']);
    expect(rc).toBe(0);
    const s = JSON.parse(c.out[0]);
    expect(s.hasNaN).toBe(false);
    expect(s.fixedBase).toBe(true);
    expect(s.steps).toBe(30);
    expect(await main(['simulate', '--urdf', `${FIX}/broken/missing_link.urdf`, '--json'])).toBe(1);
    expect(JSON.parse(c.out[1]).error.code).toBe('missing-link');
  });

  it('simulate --env runs an env', async () => {
    const c = capture();
    expect(await main(['simulate', '--env', 'Hopper-v0', '--steps', '20', '--seed', '1', '--policy', 'zero', '--json'])).toBe(0);
    const s = JSON.parse(c.out[0]);
    expect(s).toMatchObject({ env: 'Hopper-v0', steps: 20, seed: 1, policy: 'zero', hasNaN: false });
    expect(await main(['simulate', '--env', 'Nope-v0'])).toBe(2);
  });

  it('simulate --policy FILE plays a learned policy under the same physical checks', async () => {
    const c = capture();
    const file = 'assets/policies/Hopper-v0/ppo.json';
    expect(await main(['simulate', '--env', 'Hopper-v0', '--steps', '100', '--policy', file, '--json'])).toBe(0);
    const s = JSON.parse(c.out[0]);
    expect(s).toMatchObject({ env: 'Hopper-v0', steps: 100, policy: file, hasNaN: false, episodes: 1 });
    expect(s.meanForwardVelocity).toBeGreaterThan(0.5);
    expect(await main(['simulate', '--env', 'Ant-v0', '--steps', '10', '--policy', file])).toBe(2);
    expect(c.err.join('\n')).toMatch(/trained on Hopper-v0, not Ant-v0/);
  });
});
