/**
 * `simulate --urdf` and `inspect` on bad input: a NaN run exits non-zero, and with --json every
 * failure is exactly one JSON line { ok: false, error: { code, message, file, element, line } }.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { UrdfScene } from '../service/urdf-scene';
import { main } from './index';
import { captureConsole } from '../../../test/support/capture-console';

const FIX = 'test/fixtures/urdf';
const dir = mkdtempSync(join(tmpdir(), 'adaptlab-cli-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const capture = captureConsole;

function oneJsonLine(out: string[]): { ok: false; error: { code: string; message: string; file?: string; element?: string; line?: number } } {
  expect(out).toHaveLength(1);
  return JSON.parse(out[0]);
}

describe('simulate --urdf', () => {
  it('exits non-zero when the run produced NaN (the --env path already did)', async () => {
    vi.spyOn(UrdfScene.prototype, 'hasNaN').mockReturnValue(true);
    const c = capture();
    const rc = await main(['simulate', '--urdf', `${FIX}/gripper/gripper.urdf`, '--seconds', '0.1', '--json']);
    expect(rc).toBe(1);
    expect(c.out).toHaveLength(1);
    expect(JSON.parse(c.out[0]).hasNaN).toBe(true);
    expect(c.err.join('\n')).toMatch(/NaN/);
  });

  it('an origin of 1e300 is a one-line error naming file, element and attribute', async () => {
    const file = join(dir, 'far.urdf');
    writeFileSync(file, '<robot name="far">\n<link name="a"/>\n<link name="b"/>\n<joint name="j" type="revolute">\n<parent link="a"/><child link="b"/>\n<origin xyz="0 0 1e300"/>\n</joint>\n</robot>');
    const c = capture();
    expect(await main(['simulate', '--urdf', file, '--json'])).toBe(1);
    const line = oneJsonLine(c.out);
    expect(line.ok).toBe(false);
    expect(line.error).toMatchObject({ code: 'invalid-value', file, element: '<origin>', line: 6 });
    expect(line.error.message).toMatch(/"xyz": 1e\+300 is out of range; \|value\| must be at most 1e6 m/);
  });

  it('a 50,000-link cycle is one short JSON line (simulate and inspect)', { timeout: 60_000 }, async () => {
    const file = join(dir, 'loop.urdf');
    const parts = ['<robot name="loop">'];
    for (let i = 0; i < 50_000; i++) parts.push(`<link name="l${i}"/>`);
    for (let i = 0; i < 50_000; i++) parts.push(`<joint name="j${i}" type="fixed"><parent link="l${i}"/><child link="l${(i + 1) % 50_000}"/></joint>`);
    writeFileSync(file, parts.join('\n') + '\n</robot>');
    for (const argv of [['simulate', '--urdf', file, '--json'], ['inspect', file, '--json']]) {
      const c = capture();
      expect(await main(argv)).toBe(1);
      const line = oneJsonLine(c.out);
      expect(line.error).toMatchObject({ code: 'cycle', file });
      expect(line.error.element).toMatch(/^<joint name="j\d+">$/);
      expect(line.error.message).toMatch(/\(50000 joints in the loop\)/);
      expect(c.out[0].length).toBeLessThan(600);
      vi.restoreAllMocks();
    }
  });

  it('an 8000-link chain loads and simulates (the subtree walk overflowed the stack)', { timeout: 120_000 }, async () => {
    const file = join(dir, 'chain.urdf');
    const parts = ['<robot name="chain">', '<link name="world"/>', '<joint name="base" type="fixed"><parent link="world"/><child link="l0"/></joint>'];
    const inertial = '<inertial><mass value="0.01"/><inertia ixx="1e-5" iyy="1e-5" izz="1e-5"/></inertial>';
    for (let i = 0; i < 8000; i++) parts.push(`<link name="l${i}">${inertial}</link>`);
    for (let i = 1; i < 8000; i++) parts.push(`<joint name="j${i}" type="revolute"><parent link="l${i - 1}"/><child link="l${i}"/><origin xyz="0 0 0.01"/><axis xyz="0 1 0"/><limit lower="-1" upper="1" effort="1" velocity="1"/></joint>`);
    writeFileSync(file, parts.join('\n') + '\n</robot>');
    const c = capture();
    expect(await main(['simulate', '--urdf', file, '--seconds', '0.02', '--json'])).toBe(0);
    expect(JSON.parse(c.out[0])).toMatchObject({ bodies: 8000, joints: 7999, hasNaN: false, fixedBase: true });
  });

  it('any other failure is still one JSON line, code "internal"', async () => {
    vi.spyOn(UrdfScene, 'create').mockRejectedValue(new RangeError('Maximum call stack size exceeded'));
    const c = capture();
    expect(await main(['simulate', '--urdf', `${FIX}/gripper/gripper.urdf`, '--json'])).toBe(1);
    expect(oneJsonLine(c.out)).toEqual({ ok: false, error: { code: 'internal', message: 'RangeError: Maximum call stack size exceeded' } });
  });
});
