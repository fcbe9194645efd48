/**
 * The built-in robots come from assets/robots/*.urdf. Golden models (golden/*.model.json) were
 * written by the TypeScript factories that defined the robots before the URDF files existed: the
 * URDF path must give the same physics (links, joints, inertials, geometry, limits, damping,
 * friction, actuators; floats within 1e-9).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RobotModel } from '../robot/model.js';
import { assetsDir, builtinRobotPath, loadBuiltinRobot, type BuiltinRobot } from './load.js';
import { antModel } from './ant.js';
import { hopperModel, hopperTorsoZ } from './hopper.js';
import { quadGeometry, quadParams, quadrotorModel, rotorLayout } from './quadrotor.js';

const NAMES: BuiltinRobot[] = ['ant', 'hopper', 'quadrotor'];
const golden = (n: BuiltinRobot): RobotModel => JSON.parse(readFileSync(new URL(`./golden/${n}.model.json`, import.meta.url), 'utf8'));

/** Differences between two models: numbers within tol, quaternions up to sign, materials by colour. */
function diff(a: unknown, b: unknown, path: string, out: string[], tol = 1e-9): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Math.abs(a - b) <= tol) && a !== b) out.push(`${path}: ${a} != ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return void out.push(`${path}: length ${a.length} != ${b.length}`);
    let bb = b;
    if (path.endsWith('.quat') && a.reduce((s: number, v: number, i: number) => s + v * (b[i] as number), 0) < 0) bb = b.map((v: number) => -v);
    a.forEach((v, i) => diff(v, bb[i], `${path}[${i}]`, out, tol));
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
    const skip = new Set(['source', ...(path.endsWith('.material') ? ['name'] : [])]);
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)].filter((k) => !skip.has(k) && (ao[k] !== undefined || bo[k] !== undefined)));
    for (const k of keys) diff(ao[k], bo[k], `${path}.${k}`, out, tol);
    return;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
}

function modelDiff(a: RobotModel, b: RobotModel): string[] {
  const out: string[] = [];
  diff(a, b, a.name, out);
  return out;
}

/** The golden model without what URDF does not hold (the actuator table). */
function withoutActuators(m: RobotModel): RobotModel {
  return { ...m, joints: m.joints.map(({ gear: _g, armature: _a, ...j }) => j) };
}

describe('built-in robots from assets/robots', () => {
  it('finds the assets folder next to package.json, and ADAPTLAB_ASSETS overrides it', () => {
    expect(builtinRobotPath('ant')).toBe(`${assetsDir()}/robots/ant.urdf`);
    const prev = process.env.ADAPTLAB_ASSETS;
    process.env.ADAPTLAB_ASSETS = '/nowhere/assets';
    try {
      expect(builtinRobotPath('hopper')).toBe('/nowhere/assets/robots/hopper.urdf');
    } finally {
      if (prev === undefined) delete process.env.ADAPTLAB_ASSETS;
      else process.env.ADAPTLAB_ASSETS = prev;
    }
  });

  for (const n of NAMES) {
    it(`${n}.urdf equals the former factory's model (without actuators)`, () => {
      const m = loadBuiltinRobot(n);
      expect(m.name).toBe(n);
      expect(m.links.map((l) => l.name)).toEqual(golden(n).links.map((l) => l.name));
      expect(m.joints.map((j) => j.name)).toEqual(golden(n).joints.map((j) => j.name));
      expect(modelDiff(m, withoutActuators(golden(n)))).toEqual([]);
    });
  }

  it('the factories (URDF + actuator table) equal the former factories', () => {
    expect(modelDiff(antModel(), golden('ant'))).toEqual([]);
    expect(modelDiff(hopperModel(), golden('hopper'))).toEqual([]);
    expect(modelDiff(quadrotorModel(), golden('quadrotor'))).toEqual([]);
  });

  it('the values the envs read from the URDF equal the former constants', () => {
    expect(hopperTorsoZ(hopperModel())).toBeCloseTo(1.25, 12);
    const q = quadrotorModel();
    const g = quadGeometry(q);
    const former = { bodyMass: 0.5, armLength: 0.12, bodyHalfHeight: 0.02, payloadMass: 0.1, payloadRadius: 0.03, cableLength: 0.5 };
    for (const k of Object.keys(former) as (keyof typeof former)[]) expect(g[k], k).toBeCloseTo(former[k], 12);
    expect(quadParams(q)).toEqual({ yawPerThrust: 0.016, thrustToHover: 2, payloadMass: g.payloadMass, cableLength: g.cableLength });
    expect(quadParams(q, { cableLength: 1 }).cableLength).toBe(1);
    const a = 0.12 / Math.SQRT2;
    const formerRotors = [[a, a, 1], [-a, a, -1], [-a, -a, 1], [a, -a, -1]];
    rotorLayout(q).forEach((r, i) => {
      const [x, y, spin] = formerRotors[i];
      expect(r.spin).toBe(spin);
      expect(Math.abs(r.pos[0] - x) + Math.abs(r.pos[1] - y) + Math.abs(r.pos[2])).toBeLessThan(1e-12);
    });
  });

  it('applies actuator overrides to every actuated joint', () => {
    const m = antModel({ gear: 100, damping: 2 });
    expect(m.joints.every((j) => j.gear === 100 && j.armature === 1 && j.dynamics?.damping === 2)).toBe(true);
    expect(hopperModel().joints.filter((j) => j.gear === 200).map((j) => j.name)).toEqual(['thigh_joint', 'leg_joint', 'foot_joint']);
  });

  it('loads from $ADAPTLAB_ASSETS/robots when set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adaptlab-assets-'));
    mkdirSync(join(dir, 'robots'));
    const xml = readFileSync(builtinRobotPath('hopper'), 'utf8').replace('<robot name="hopper">', '<robot name="hopper_copy">');
    writeFileSync(join(dir, 'robots', 'hopper.urdf'), xml);
    const prev = process.env.ADAPTLAB_ASSETS;
    process.env.ADAPTLAB_ASSETS = dir;
    try {
      expect(loadBuiltinRobot('hopper').name).toBe('hopper_copy');
      expect(() => loadBuiltinRobot('ant')).toThrow(/ADAPTLAB_ASSETS/);
    } finally {
      if (prev === undefined) delete process.env.ADAPTLAB_ASSETS;
      else process.env.ADAPTLAB_ASSETS = prev;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(loadBuiltinRobot('hopper').name).toBe('hopper');
  });

  it('parses once and hands out independent copies', () => {
    const a = loadBuiltinRobot('ant');
    a.links[0].inertial!.mass = 123;
    expect(loadBuiltinRobot('ant').links[0].inertial!.mass).not.toBe(123);
  });

  it('the comparison catches a changed value', () => {
    const g = golden('hopper');
    const m = structuredClone(g);
    m.joints[1].limit!.upper += 1e-6;
    expect(modelDiff(m, g)).toHaveLength(1);
  });

  it('scripts/gen-robots.ts writes exactly the committed files', async () => {
    // a computed specifier: scripts/ is outside the typed projects (run by tsx)
    const spec = new URL('../../../scripts/gen-robots.ts', import.meta.url).href;
    const { generateRobotUrdfs } = (await import(/* @vite-ignore */ spec)) as { generateRobotUrdfs(): Record<BuiltinRobot, string> };
    const gen = generateRobotUrdfs();
    for (const n of NAMES) expect(gen[n], n).toBe(readFileSync(builtinRobotPath(n), 'utf8'));
  });
});

let hasCheckUrdf = true;
try {
  execFileSync('check_urdf', ['--help'], { stdio: 'ignore' });
} catch (e) {
  hasCheckUrdf = (e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as { status?: number }).status !== 127;
}
describe.skipIf(!hasCheckUrdf)('check_urdf accepts the built-in robots', () => {
  for (const n of NAMES) {
    it(n, () => {
      const out = execFileSync('check_urdf', [builtinRobotPath(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      expect(out).toContain(`robot name is: ${n}`);
      expect(out).toContain(`root Link: ${loadBuiltinRobot(n).root}`);
    });
  }
});
