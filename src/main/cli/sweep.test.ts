/**
 * `adaptlab sweep`: the JSON shape, determinism and paired seeds, that the parameter really changes
 * the outcome, that the nominal value measures what `eval --policy` measures, usage errors for bad
 * parameters and values, and the charts (a line per policy; a heatmap for two parameters).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { evaluatePolicy } from '../../meta/eval-policy';
import { loadPolicy } from '../../meta/policy';
import { makeEnv } from '../../physics/envs/registry';
import { captureConsole } from '../../../test/support/capture-console';
import { main } from './index';
import { physicalProblem } from './sweep';

const PPO = 'assets/policies/Hopper-v0/ppo.json';
const SAC = 'assets/policies/Hopper-v0/sac.json';
const dir = mkdtempSync(join(tmpdir(), 'adaptlab-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function sweep(argv: string[]): Promise<{ rc: number; out: string[]; err: string[] }> {
  const c = captureConsole();
  const rc = await main(['sweep', ...argv]);
  vi.restoreAllMocks();
  return { rc, ...c };
}

describe('adaptlab sweep', () => {
  it('prints the JSON line, deterministically; torso mass changes the return; progress on stderr', { timeout: 30_000 }, async () => {
    const argv = ['--policy', PPO, '--env', 'Hopper-v0', '--param', 'mass.torso', '--values', '3,6', '--episodes', '1', '--seed', '0', '--json'];
    const a = await sweep(argv);
    expect(a.rc).toBe(0);
    expect(a.out).toHaveLength(1);
    const line = JSON.parse(a.out[0]);
    expect(Object.keys(line).sort()).toEqual(['episodes', 'forwardDistance', 'param', 'policy', 'return', 'seed', 'values']);
    expect(line).toMatchObject({ policy: PPO, param: 'mass.torso', values: [3, 6] });
    expect(Object.keys(line.return).sort()).toEqual(['mean', 'std']);
    expect(Object.keys(line.forwardDistance)).toEqual(['mean']);
    for (const xs of [line.return.mean, line.return.std, line.forwardDistance.mean]) {
      expect(xs).toHaveLength(2);
      for (const x of xs) expect(Number.isFinite(x)).toBe(true);
    }
    expect(Math.abs(line.return.mean[0] - line.return.mean[1])).toBeGreaterThan(1);
    expect(a.err.join('\n')).toMatch(/value 1 of 2.*ETA/);
    expect(a.err.join('\n')).toMatch(/value 2 of 2/);
    const b = await sweep(argv);
    expect(b.out).toEqual(a.out);
  });

  it('at the nominal value it measures exactly what eval --policy measures', { timeout: 20_000 }, async () => {
    const env = await makeEnv('Hopper-v0');
    const nominal = env.nominalParams()['mass.torso'];
    env.dispose();
    const r = await sweep(['--policy', PPO, '--param', 'mass.torso', '--values', String(nominal), '--episodes', '1', '--seed', '3', '--json']);
    expect(r.rc).toBe(0);
    const plain = await evaluatePolicy(loadPolicy(PPO), 'Hopper-v0', { episodes: 1, seed: 3 });
    const line = JSON.parse(r.out[0]);
    expect(line.return.mean[0]).toBe(plain.return.mean);
    expect(line.forwardDistance.mean[0]).toBe(plain.forwardDistance.mean);
  });

  it('an unknown parameter is a usage error listing the env\'s parameters', async () => {
    const r = await sweep(['--policy', PPO, '--env', 'Hopper-v0', '--param', 'mass.head', '--values', '3', '--json']);
    expect(r.rc).toBe(2);
    expect(r.out).toEqual([]);
    const msg = r.err.join('\n');
    expect(msg).toMatch(/--param mass\.head: Hopper-v0 has no such parameter/);
    for (const k of ['mass.torso', 'mass.thigh', 'friction.foot', 'damping.leg_joint', 'gravity']) expect(msg).toContain(k);
  });

  it('a value outside the physical range is an error naming it', async () => {
    const r = await sweep(['--policy', PPO, '--param', 'mass.torso', '--values', '3,-1', '--json']);
    expect(r.rc).toBe(2);
    expect(r.err.join('\n')).toMatch(/mass\.torso = -1 is outside the physical range/);
    expect(physicalProblem('friction.foot', 0)).toBeNull();
    expect(physicalProblem('mass.torso', 0)).toMatch(/> 0/);
    expect(physicalProblem('gravity', -20)).toBeNull();
    const png = await sweep(['--policy', PPO, '--param', 'mass.torso', '--values', '3', '--plot', join(dir, 'x.png')]);
    expect(png.rc).toBe(2);
    expect(png.err.join('\n')).toMatch(/SVG only/);
  });

  it('--plot draws one line per policy with each file named in the legend', { timeout: 30_000 }, async () => {
    const file = join(dir, 'sweep.svg');
    const r = await sweep(['--policy', PPO, '--policy', SAC, '--param', 'mass.torso', '--values', '3,6', '--episodes', '1', '--plot', file, '--json']);
    expect(r.rc).toBe(0);
    expect(r.out).toHaveLength(2);
    expect(r.out.map((l) => JSON.parse(l).policy)).toEqual([PPO, SAC]);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('>ppo.json<');
    expect(svg).toContain('>sac.json<');
    expect(svg).toContain('mass.torso (kg)');
  });

  it('--param2 gives a 2-D grid and a heatmap', { timeout: 30_000 }, async () => {
    const file = join(dir, 'heat.svg');
    const r = await sweep(['--policy', PPO, '--param', 'mass.torso', '--values', '3,6', '--param2', 'friction.foot', '--values2', '1,2', '--episodes', '1', '--plot', file, '--json']);
    expect(r.rc).toBe(0);
    const line = JSON.parse(r.out[0]);
    expect(line).toMatchObject({ param: 'mass.torso', values: [3, 6], param2: 'friction.foot', values2: [1, 2] });
    expect(line.return.mean).toHaveLength(2);
    for (const row of line.return.mean) expect(row).toHaveLength(2);
    expect(r.err.join('\n')).toMatch(/value 4 of 4/);
    const svg = readFileSync(file, 'utf8');
    expect(svg.match(/<g class="panel">/g)).toHaveLength(1);
    expect(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="44" height="44"/g)).toHaveLength(4);
  });
});
