import { beforeAll, describe, expect, it } from 'vitest';
import { loadRapier } from '../rapier.js';
import { makeEnvSync, listEnvs } from './registry.js';
import { gaitAction } from '../simulate.js';
import { Rng } from '../rng.js';
import { POSE_STRIDE } from '../../shared/scene.js';
import type { Env, EnvId } from './types.js';
import { QUAD_OBS, type QuadPayloadEnv } from './quadPayload.js';
import { ANT_OBS, ANT_OBS_XY, ANT_PATH, quatYaw } from './ant.js';
import { HOPPER_OBS, HOPPER_OBS_X } from './hopper.js';

beforeAll(async () => {
  await loadRapier();
});

function runGait(env: Env, steps: number, warmup = 40): number {
  env.reset({ seed: 0 });
  const a = new Float32Array(env.actionSize);
  let x0 = 0;
  for (let t = 0; t < steps; t++) {
    const r = env.step(gaitAction(env, t, a));
    if (t === warmup - 1) x0 = r.info.x_position;
  }
  return (env.diagnostics().x - x0) / ((steps - warmup) * env.dt);
}

describe('registry', () => {
  it('lists the four envs with spaces, dt and episode lengths', () => {
    const specs = listEnvs();
    expect(specs.map((s) => s.id)).toEqual(['Ant-v0', 'Hopper-v0', 'QuadPayload-v0', 'QuadPayloadVel-v0']);
    for (const s of specs) {
      const env = makeEnvSync(s.id);
      expect(env.observationSize).toBe(s.observationSize);
      expect(env.actionSize).toBe(s.actionSize);
      expect(env.dt).toBeCloseTo(s.dt, 10);
      expect(env.maxEpisodeSteps).toBe(s.maxEpisodeSteps);
      const { obs, info } = env.reset({ seed: 1 });
      expect(obs.length).toBe(s.observationSize);
      expect(info.params).toEqual(env.nominalParams());
      // scene spec and poses agree
      const scene = env.sceneSpec();
      expect(scene.bodies.length).toBe(env.bodyCount);
      const poses = new Float32Array(env.bodyCount * POSE_STRIDE);
      env.writePoses(poses);
      expect(poses.every(Number.isFinite)).toBe(true);
      const q = poses.subarray(3, 7);
      expect(Math.hypot(q[0], q[1], q[2], q[3])).toBeCloseTo(1, 5);
      env.dispose();
    }
  });
});

describe('Ant-v0', () => {
  it('comes to rest at a plausible torso height under zero action', () => {
    const env = makeEnvSync('Ant-v0', { terminateWhenUnhealthy: false });
    env.reset({ seed: 0 });
    const a = new Float32Array(8);
    let r;
    for (let t = 0; t < 100; t++) r = env.step(a);
    const z = env.diagnostics().torsoHeight;
    expect(z).toBeGreaterThan(0.3);
    expect(z).toBeLessThan(0.75);
    // at rest: torso linear and angular velocities are small
    for (let k = ANT_OBS.vx; k <= ANT_OBS.wz; k++) expect(Math.abs(r!.obs[k])).toBeLessThan(0.05);
    env.dispose();
  });

  it('walks forward >= 0.3 m/s with the open-loop gait, and a crippled leg changes that', () => {
    const healthy = makeEnvSync('Ant-v0', { terminateWhenUnhealthy: false });
    const v = runGait(healthy, 140);
    expect(v).toBeGreaterThanOrEqual(0.3);
    const crippled = makeEnvSync('Ant-v0', { terminateWhenUnhealthy: false, faults: [{ atStep: 0, fault: { kind: 'cripple', leg: 0 } }] });
    const vc = runGait(crippled, 140);
    expect(Math.abs(v - vc)).toBeGreaterThan(Math.max(0.1, 0.2 * Math.abs(v)));
    healthy.dispose();
    crippled.dispose();
  });

  it('reports a shrunk leg so it can be drawn as short as it collides, until the reset', () => {
    const env = makeEnvSync('Ant-v0');
    env.reset({ seed: 0 });
    expect(env.stretchedBodies!()).toEqual([]);
    env.applyFault({ kind: 'cripple', leg: 3, shrink: true, shrinkFactor: 0.5 });
    const [st, ...rest] = env.stretchedBodies!();
    expect(rest).toEqual([]);
    const spec = env.sceneSpec();
    expect(spec.bodies[st.body].name).toBe('foot_4');
    expect(st.factor).toBe(0.5);
    // Along the drawn segment: scene capsules lie along their local z.
    const q = spec.bodies[st.body].visuals[0].origin.quat;
    const z = [2 * (q[0] * q[2] + q[3] * q[1]), 2 * (q[1] * q[2] - q[3] * q[0]), 1 - 2 * (q[0] * q[0] + q[1] * q[1])];
    expect(Math.abs(z[0] * st.axis[0] + z[1] * st.axis[1] + z[2] * st.axis[2])).toBeCloseTo(1, 6);
    env.reset({ seed: 0 });
    expect(env.stretchedBodies!()).toEqual([]);
    env.dispose();
  });

  it('rewardFromTransition reproduces the env reward (exact with includeXY)', () => {
    const env = makeEnvSync('Ant-v0', { includeXY: true });
    let { obs } = env.reset({ seed: 4 });
    const rng = new Rng(9);
    const a = new Float32Array(8);
    for (let t = 0; t < 20; t++) {
      rng.fillUniform(a);
      const r = env.step(a);
      const imagined = env.rewardFromTransition(obs, a, r.obs)[0];
      expect(imagined).toBeCloseTo(r.reward, 3);
      obs = r.obs;
    }
    env.dispose();
  });
});

describe('Hopper-v0', () => {
  it('falls and terminates under zero action', () => {
    const env = makeEnvSync('Hopper-v0');
    env.reset({ seed: 0 });
    const a = new Float32Array(3);
    let done = false;
    let t = 0;
    for (; t < 1000 && !done; t++) done = env.step(a).terminated;
    expect(done).toBe(true);
    expect(t).toBeLessThan(1000);
    env.dispose();
  });

  it('pushes itself up with its ankle like MuJoCo does (the solver transmits the foot torque into the ground)', () => {
    // From rest, full foot torque (action -1) tips the foot onto its toe and lifts the whole robot.
    // MuJoCo 2.2.2 on Gym's hopper.xml (bench/ref): torso z peaks at 1.355 m within 25 steps.
    // With 2 Rapier solver iterations per world step it stayed at 1.250 (never rose): the
    // torque was lost in the motor-contact chain, the hopper could not hop and PPO plateaued at
    // ~550 by diving forward; with 8 it reaches 1.338.
    const env = makeEnvSync('Hopper-v0', { terminateWhenUnhealthy: false });
    env.reset({ seed: 0, options: { noNoise: true } });
    let zmax = 0;
    for (let t = 0; t < 25; t++) zmax = Math.max(zmax, env.step(new Float32Array([0, 0, -1])).obs[HOPPER_OBS.z]);
    expect(zmax).toBeGreaterThan(1.32);
    env.dispose();
  });
});

describe('QuadPayload-v0', () => {
  it('holds a hover under hover thrust with the payload hanging at cable length', () => {
    for (const cable of [0.4, 0.8]) {
      const env = makeEnvSync('QuadPayload-v0') as QuadPayloadEnv;
      env.reset({ seed: 0, options: { noNoise: true, params: { cable_length: cable, payload_mass: 0.2 } } });
      const a = new Float32Array(4).fill(env.hoverAction());
      const z0 = env.diagnostics().torsoHeight;
      let r;
      for (let t = 0; t < 250; t++) {
        r = env.step(a);
        expect(r.terminated).toBe(false);
      }
      expect(Math.abs(env.diagnostics().torsoHeight - z0)).toBeLessThan(0.05);
      const rel = r!.obs.subarray(QUAD_OBS.payloadX, QUAD_OBS.payloadZ + 1);
      const len = Math.hypot(rel[0], rel[1], rel[2]);
      expect(Math.abs(len - (cable + 0.02)) / cable).toBeLessThan(0.05);
      expect(rel[2]).toBeLessThan(0);
      // The drawn cable runs between the rope's own anchors: as long as the taut rope.
      const [tether] = env.sceneSpec().tethers!;
      const poses = new Float32Array(env.bodyCount * POSE_STRIDE);
      env.writePoses(poses);
      const at = (end: { body: number; point: number[] }) => {
        const k = end.body * POSE_STRIDE;
        const [x, y, z, w] = Array.from(poses.subarray(k + 3, k + 7));
        const [px, py, pz] = end.point;
        // p + 2w(q x p) + 2 q x (q x p)
        const cx = y * pz - z * py, cy = z * px - x * pz, cz = x * py - y * px;
        return [px + 2 * (w * cx + y * cz - z * cy) + poses[k], py + 2 * (w * cy + z * cx - x * cz) + poses[k + 1], pz + 2 * (w * cz + x * cy - y * cx) + poses[k + 2]];
      };
      const hook = at(tether.from), load = at(tether.to);
      expect(Math.hypot(hook[0] - load[0], hook[1] - load[1], hook[2] - load[2])).toBeCloseTo(cable, 2);
      // and the length it is drawn with (its sag when slack) is the one this reset set
      expect(tether.length).toBeCloseTo(cable, 6);
      expect(env.tetherLengths()).toEqual([tether.length]);
      env.dispose();
    }
  });
});

describe('observation index constants and reward terms', () => {
  it('name what the observation holds, with and without the leading positions', () => {
    const cases: [EnvId, Record<string, unknown>, Record<string, number>][] = [
      ['Ant-v0', {}, ANT_OBS],
      ['Ant-v0', { includeXY: true }, ANT_OBS_XY],
      ['Hopper-v0', {}, HOPPER_OBS],
      ['Hopper-v0', { includeX: true }, HOPPER_OBS_X],
      ['QuadPayload-v0', {}, QUAD_OBS],
    ];
    for (const [id, config, ix] of cases) {
      const env = makeEnvSync(id, config);
      env.reset({ seed: 2 });
      const r = env.step(new Float32Array(env.actionSize).fill(0.3));
      const d = env.diagnostics();
      const f = (v: number) => Math.fround(v);
      if ('x' in ix) expect(r.obs[ix.x]).toBe(f(r.info.x_position));
      if ('z' in ix) expect(r.obs[ix.z]).toBe(f(d.torsoHeight));
      if ('qw' in ix) expect(Math.hypot(r.obs[ix.qw], r.obs[ix.qx], r.obs[ix.qy], r.obs[ix.qz])).toBeCloseTo(1, 5);
      // every index inside the observation
      for (const k of Object.values(ix)) expect(k).toBeLessThan(env.observationSize);
      env.dispose();
    }
  });

  for (const [id, config] of [
    ['Ant-v0', { includeXY: true, terminateWhenUnhealthy: false }],
    ['Ant-v0', { includeXY: true, terminateWhenUnhealthy: false, path: { ...ANT_PATH, headingWeight: 1 } }],
    ['Hopper-v0', { includeX: true, terminateWhenUnhealthy: false }],
    ['QuadPayload-v0', {}],
  ] as [EnvId, Record<string, unknown>][]) {
    it(`${id}${config.path ? ' (path)' : ''}: the reward is the sum of its info terms, and rewardFromTransition reproduces it`, () => {
      const env = makeEnvSync(id, config);
      let { obs } = env.reset({ seed: 4 });
      const rng = new Rng(9);
      const a = new Float32Array(env.actionSize);
      for (let t = 0; t < 30; t++) {
        rng.fillUniform(a, -1.2, 1.2);
        const r = env.step(a);
        const terms = Object.entries(r.info).filter(([k]) => k.startsWith('reward_'));
        expect(terms.map(([k]) => k)).toEqual(
          id === 'QuadPayload-v0' ? ['reward_survive', 'reward_track', 'reward_ctrl'] : config.path ? ['reward_forward', 'reward_survive', 'reward_ctrl', 'reward_lateral', 'reward_heading'] : ['reward_forward', 'reward_survive', 'reward_ctrl'],
        );
        expect(terms.reduce((sum, [, v]) => sum + (v as number), 0)).toBeCloseTo(r.reward, 9);
        expect(env.rewardFromTransition(obs, a, r.obs)[0]).toBeCloseTo(r.reward, 3);
        if (r.terminated) break;
        obs = r.obs;
      }
      env.dispose();
    });
  }
});

describe('Ant-v0 path following', () => {
  // the showcase has no heading cost (ANT_PATH); the term is tested with weight 1
  const PATH = { ...ANT_PATH, headingWeight: 1 };
  const cfg = { includeXY: true, terminateWhenUnhealthy: false, path: PATH };
  /** One imagined transition from the origin facing +x to (x 0.1, y, yaw), no action. */
  const reward = (env: Env, y: number, yaw: number) => {
    const o = new Float32Array(env.observationSize);
    o[ANT_OBS_XY.z] = 0.55;
    o[ANT_OBS_XY.qw] = 1;
    const n = o.slice();
    n[ANT_OBS_XY.x] = 0.1;
    n[ANT_OBS_XY.y] = y;
    n[ANT_OBS_XY.qw] = Math.cos(yaw / 2);
    n[ANT_OBS_XY.qz] = Math.sin(yaw / 2);
    return env.rewardFromTransition(o, new Float32Array(8), n)[0];
  };

  it('costs lateral error and heading away from the line of sight back to the x axis', () => {
    const env = makeEnvSync('Ant-v0', cfg);
    const onLine = reward(env, 0, 0);
    expect(onLine).toBeCloseTo(0.1 / env.dt + 1, 4); // progress and the healthy reward only
    // 1 m to the left: the lateral cost, and facing +x is 45 degrees off the line of sight
    expect(reward(env, 1, 0)).toBeCloseTo(onLine - PATH.lateralWeight - PATH.headingWeight * (1 - Math.SQRT1_2), 4);
    // heading back toward the axis along the line of sight costs no heading error
    expect(reward(env, 1, -Math.PI / 4)).toBeCloseTo(onLine - PATH.lateralWeight, 4);
    // on the line, turning away costs; symmetric in the direction of the turn
    expect(reward(env, 0, 0.5)).toBeLessThan(onLine);
    expect(reward(env, 0, 0.5)).toBeCloseTo(reward(env, 0, -0.5), 6);
    env.dispose();
  });

  it('needs torso x, y in the observation', () => {
    expect(() => makeEnvSync('Ant-v0', { path: ANT_PATH })).toThrow(/needs includeXY/);
  });

  it('quatYaw reads the heading of a yawed and tilted torso, scale-free', () => {
    const yaw = 0.7;
    const q = [Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)];
    expect(quatYaw(q[0], q[1], q[2], q[3])).toBeCloseTo(yaw, 9);
    expect(quatYaw(2 * q[0], 2 * q[1], 2 * q[2], 2 * q[3])).toBeCloseTo(yaw, 9);
  });
});

describe('determinism', () => {
  for (const id of ['Ant-v0', 'Hopper-v0', 'QuadPayload-v0'] as EnvId[]) {
    it(`${id}: same seed gives bit-identical observations over 1000 steps`, () => {
      const run = () => {
        const env = makeEnvSync(id, { terminateWhenUnhealthy: false });
        const rng = new Rng(11);
        const a = new Float32Array(env.actionSize);
        const out = new Float32Array(1000 * env.observationSize);
        env.reset({ seed: 5 });
        for (let t = 0; t < 1000; t++) {
          rng.fillUniform(a);
          const r = env.step(a);
          out.set(r.obs, t * env.observationSize);
          if (r.terminated || r.truncated) env.reset();
        }
        env.dispose();
        return out;
      };
      const a = run(), b = run();
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    });
  }
});

describe('robot knowledge on the env', () => {
  it('names each ant leg\'s joints and the bodies they move (hip -> aux_k, ankle -> foot_k)', () => {
    const env = makeEnvSync('Ant-v0');
    const names = env.sceneSpec().bodies.map((b) => b.name);
    const legs = env.legParts!();
    expect(legs).toHaveLength(4);
    expect(legs[3].joints).toEqual(['hip_4', 'ankle_4']);
    expect(legs[3].bodies.map((b) => names[b])).toEqual(['aux_4', 'foot_4']);
    env.dispose();
  });
});
