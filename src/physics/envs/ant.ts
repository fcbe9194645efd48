/**
 * Ant-v0: Gymnasium Ant (v4 semantics) on Rapier. dt = 0.05 s (timestep 0.01 s x frameSkip 5).
 *
 * ## Observation (27; 29 with `includeXY`, which puts torso x, y first and moves the rest up by 2)
 *
 * | index | includeXY | observation                                           | unit / frame        |
 * |-------|-----------|-------------------------------------------------------|---------------------|
 * |       | 0         | torso x                                               | m, world            |
 * |       | 1         | torso y                                               | m, world            |
 * | 0     | 2         | torso z                                               | m, world            |
 * | 1-4   | 3-6       | torso orientation quaternion (w, x, y, z)             | torso -> world      |
 * | 5-12  | 7-14      | joint angles hip_1, ankle_1, hip_2, ..., hip_4, ankle_4 | rad               |
 * | 13-15 | 15-17     | torso linear velocity (x, y, z)                       | m/s, world          |
 * | 16-18 | 18-20     | torso angular velocity (x, y, z)                      | rad/s, torso frame  |
 * | 19-26 | 21-28     | joint velocities, same order as the angles            | rad/s               |
 *
 * Index constants: {@link ANT_OBS} (default) and {@link ANT_OBS_XY} (includeXY).
 *
 * ## Action (8), Gym's actuator order (not the joint order of the observation)
 *
 * | index | actuator | range   | torque          |
 * |-------|----------|---------|-----------------|
 * | 0     | hip_4    | [-1, 1] | 150 a N m       |
 * | 1     | ankle_4  | [-1, 1] | 150 a N m       |
 * | 2     | hip_1    | [-1, 1] | 150 a N m       |
 * | 3     | ankle_1  | [-1, 1] | 150 a N m       |
 * | 4     | hip_2    | [-1, 1] | 150 a N m       |
 * | 5     | ankle_2  | [-1, 1] | 150 a N m       |
 * | 6     | hip_3    | [-1, 1] | 150 a N m       |
 * | 7     | ankle_3  | [-1, 1] | 150 a N m       |
 *
 * Actions are clipped to [-1, 1] (NaN reads as 0); torque = gear x strength x fault scale x a.
 *
 * ## Reward ({@link antReward}; each term is `info.reward_<term>`)
 *
 * | term    | value                                                                          |
 * |---------|--------------------------------------------------------------------------------|
 * | forward | forwardRewardWeight (1) x torso x velocity, (x_after - x_before) / dt          |
 * | survive | healthyReward (1) if healthy or terminateWhenUnhealthy, else 0                 |
 * | ctrl    | -ctrlCostWeight (0.5) x \|a\|^2                                                 |
 *
 * reward = forward + survive + ctrl. No contact cost (Gymnasium's default use_contact_forces=False).
 *
 * With `path` (needs includeXY) the ant follows the world x axis (y = 0), the broken-leg
 * showcase's task: two more terms, from the torso's y and yaw after the step,
 *
 * | term    | value                                                                          |
 * |---------|--------------------------------------------------------------------------------|
 * | lateral | -lateralWeight x \|y\|                                                           |
 * | heading | -headingWeight x (1 - cos(yaw - yaw_d)), yaw_d = -atan(y / lookahead): line of sight back to the axis |
 *
 * Progress along the path is the forward term.
 *
 * ## Termination
 * With terminateWhenUnhealthy (default): torso z outside healthyZRange ([0.2, 1.0] m) or a
 * non-finite torso state. Truncation at maxEpisodeSteps (1000). info.x_position / x_velocity are
 * the torso's.
 *
 * rewardFromTransition: with includeXY the forward term is exact ((x' - x) / dt); without it the
 * forward term uses nextObs's torso x velocity, the end-of-step velocity. Health there is the z
 * range only (an observation carries no non-finite state).
 */
import type { Rapier } from '../rapier.js';
import { antModel, ANT_ACTUATOR_ORDER, type AntParams } from '../robots/ant.js';
import { actionSquaredNorm, ArticulatedEnv, BODY_STATE as S, shiftIndices, stepDt, type InitialState } from './base.js';
import type { EnvConfig } from './types.js';
import type { Rng } from '../rng.js';
import { qconj, qrotate } from '../math.js';

/** Observation indices (default layout); `joints` and `jointVels` start 8 entries each (hip_1, ankle_1, ..., ankle_4). */
export const ANT_OBS = { z: 0, qw: 1, qx: 2, qy: 3, qz: 4, joints: 5, vx: 13, vy: 14, vz: 15, wx: 16, wy: 17, wz: 18, jointVels: 19 } as const;
export const ANT_OBS_SIZE = 27;
/** Observation indices with includeXY: torso x, y lead. */
export const ANT_OBS_XY = { x: 0, y: 1, ...shiftIndices(ANT_OBS, 2) };
export const ANT_OBS_XY_SIZE = ANT_OBS_SIZE + 2;
export const ANT_ACTION_SIZE = ANT_ACTUATOR_ORDER.length;
/** Gym's timestep, frame skip and gravity. */
export const ANT_PHYSICS = { timestep: 0.01, frameSkip: 5, gravity: -9.81 };
export const ANT_DT = stepDt(ANT_PHYSICS);

export interface AntConfig extends EnvConfig {
  /** put torso x, y at the front of the observation (GrBAL-style; needed for exact imagined reward) */
  includeXY?: boolean;
  terminateWhenUnhealthy?: boolean;
  healthyZRange?: [number, number];
  ctrlCostWeight?: number;
  healthyReward?: number;
  forwardRewardWeight?: number;
  resetNoiseScale?: number;
  robot?: Partial<AntParams>;
  /** follow the world x axis: lateral and heading costs (see the reward table); needs includeXY */
  path?: AntPath;
}

/** Path following along the world x axis (y = 0). */
export interface AntPath {
  /** reward per metre of lateral error |y|, per step */
  lateralWeight: number;
  /** weight of the heading error 1 - cos(yaw - yaw_d) */
  headingWeight: number;
  /** m: look-ahead of the line-of-sight heading yaw_d = -atan(y / lookahead) */
  lookahead: number;
}

/**
 * The showcase's weights: a metre off the line costs 0.5 a step, about what the crippled ant's
 * forward speed earns. No heading cost: the ant walks in any direction whatever way its torso
 * faces, and a cost on the torso's yaw (weight 1, the first version of the task) dominated the
 * reward of every method (the torso 60-90 degrees off the line of sight on average) while it
 * decided nothing about staying on the path.
 */
export const ANT_PATH: AntPath = { lateralWeight: 0.5, headingWeight: 0, lookahead: 1 };

/** Yaw (rad) of a torso quaternion (w, x, y, z), scale-free (imagined quaternions are not unit). */
export function quatYaw(w: number, x: number, y: number, z: number): number {
  return Math.atan2(2 * (w * z + x * y), w * w + x * x - y * y - z * z);
}

type AntResolved = AntConfig & {
  includeXY: boolean; terminateWhenUnhealthy: boolean; healthyZRange: [number, number]; ctrlCostWeight: number;
  healthyReward: number; forwardRewardWeight: number; resetNoiseScale: number;
  substeps: number; solverIterations: number; limitProjection: number; separationProjection: number; maxEpisodeSteps: number;
};

export const ANT_DEFAULT_CONFIG: AntResolved = {
  includeXY: false,
  terminateWhenUnhealthy: true,
  healthyZRange: [0.2, 1.0],
  ctrlCostWeight: 0.5,
  healthyReward: 1,
  forwardRewardWeight: 1,
  resetNoiseScale: 0.1,
  maxEpisodeSteps: 1000,
  // see ACTUATION.md: 2 world steps per Gym timestep (h = 5 ms), 8 solver iterations,
  // backstops: joint-limit projection at 0.03 rad, joint-separation projection at 5 mm
  substeps: 2,
  solverIterations: 8,
  limitProjection: 0.03,
  separationProjection: 0.005,
};

/** Named reward terms (info.reward_<name>) and their sum. */
export interface AntReward {
  forward: number;
  survive: number;
  ctrl: number;
  /** path following only */
  lateral?: number;
  heading?: number;
  total: number;
}

type AntRewardConfig = Pick<AntResolved, 'forwardRewardWeight' | 'healthyReward' | 'ctrlCostWeight' | 'terminateWhenUnhealthy' | 'healthyZRange' | 'path'>;

/** Whether the torso height is in the healthy range (step also requires a finite state). */
export function antHealthyZ(c: AntRewardConfig, z: number): boolean {
  return z >= c.healthyZRange[0] && z <= c.healthyZRange[1];
}

/**
 * The Ant reward, for a live step and an imagined transition alike: from the torso's x velocity,
 * its health and the action row at `offset` (clipped as step clips it).
 */
export function antReward(c: AntRewardConfig, xVelocity: number, healthy: boolean, action: ArrayLike<number>, offset = 0, pose?: { y: number; yaw: number }): AntReward {
  const forward = c.forwardRewardWeight * xVelocity;
  const survive = healthy || c.terminateWhenUnhealthy ? c.healthyReward : 0;
  const ctrlCost = c.ctrlCostWeight * actionSquaredNorm(action, offset, ANT_ACTION_SIZE);
  const total = forward + survive - ctrlCost;
  if (!c.path || !pose) return { forward, survive, ctrl: -ctrlCost, total };
  const p = c.path;
  const lateral = -p.lateralWeight * Math.abs(pose.y);
  const heading = -p.headingWeight * (1 - Math.cos(pose.yaw + Math.atan(pose.y / p.lookahead)));
  return { forward, survive, ctrl: -ctrlCost, lateral, heading, total: total + lateral + heading };
}

export class AntEnv extends ArticulatedEnv {
  readonly id = 'Ant-v0';
  readonly observationSize: number;
  readonly actionSize = ANT_ACTION_SIZE;
  private readonly cfg: AntResolved;
  /** observation indices of this env's layout (includeXY or not) */
  private readonly ix: { readonly [K in keyof typeof ANT_OBS]: number };

  constructor(R: Rapier, config: AntConfig = {}) {
    const cfg: AntResolved = { ...ANT_DEFAULT_CONFIG, ...config } as AntResolved;
    super(R, antModel(cfg.robot), { ...ANT_PHYSICS, substeps: cfg.substeps, solverIterations: cfg.solverIterations, limitProjection: cfg.limitProjection, separationProjection: cfg.separationProjection }, cfg, ANT_DEFAULT_CONFIG.maxEpisodeSteps);
    if (cfg.path && !cfg.includeXY) throw new Error('Ant-v0: path following needs includeXY (the reward reads the torso y from the observation)');
    this.cfg = cfg;
    this.ix = cfg.includeXY ? ANT_OBS_XY : ANT_OBS;
    this.observationSize = cfg.includeXY ? ANT_OBS_XY_SIZE : ANT_OBS_SIZE;
    this.actuatorJoint = ANT_ACTUATOR_ORDER.map((n) => this.robot.joints.findIndex((j) => j.name === n));
  }

  protected override legs(): string[][] {
    return [1, 2, 3, 4].map((k) => [`hip_${k}`, `ankle_${k}`]);
  }

  protected override shrinkLeg(leg: number, factor: number): void {
    const b = this.robot.bodyNames.indexOf(`foot_${leg + 1}`);
    const rb = this.robot.bodies[b];
    const c = rb.collider(0);
    const shape = c.shape as unknown as { halfHeight: number; radius: number };
    const half = shape.halfHeight;
    c.setHalfHeight(half * factor);
    const t = c.translationWrtParent();
    if (t) c.setTranslationWrtParent({ x: t.x * factor, y: t.y * factor, z: t.z * factor });
    // Rapier capsules lie along their local y; the segment runs from the body origin along it.
    const r = c.rotationWrtParent() ?? { x: 0, y: 0, z: 0, w: 1 };
    this.stretched.push({ body: b, axis: qrotate([r.x, r.y, r.z, r.w], [0, 1, 0]), factor });
  }

  protected initialState(rng: Rng, noNoise: boolean): InitialState {
    const s = noNoise ? 0 : this.cfg.resetNoiseScale;
    const u = () => (s ? rng.range(-s, s) : 0);
    const n = () => (s ? s * rng.normal() : 0);
    const basePos: [number, number, number] = [u(), u(), 0.75 + u()];
    const baseQuat: [number, number, number, number] = [u(), u(), u(), 1 + u()];
    const q = this.robot.joints.map((j) => {
      // qpos0 has the ankles at 0, outside their limits; start them at the nearest limit
      const q0 = Math.min(j.upper, Math.max(j.lower, 0));
      return Math.min(j.upper, Math.max(j.lower, q0 + u()));
    });
    const baseLinVel: [number, number, number] = [n(), n(), n()];
    const baseAngVel: [number, number, number] = [n(), n(), n()];
    const qd = this.robot.joints.map(() => n());
    return { basePos, baseQuat, baseLinVel, baseAngVel, q, qd };
  }

  protected observe(out: Float32Array): void {
    const s = this.art.state;
    const ix = this.ix;
    const nj = this.robot.joints.length;
    if (this.cfg.includeXY) {
      out[ANT_OBS_XY.x] = s[S.x];
      out[ANT_OBS_XY.y] = s[S.y];
    }
    out[ix.z] = s[S.z];
    out[ix.qw] = s[S.qw];
    out[ix.qx] = s[S.qx];
    out[ix.qy] = s[S.qy];
    out[ix.qz] = s[S.qz];
    for (let i = 0; i < nj; i++) out[ix.joints + i] = this.art.q[i];
    out[ix.vx] = s[S.vx];
    out[ix.vy] = s[S.vy];
    out[ix.vz] = s[S.vz];
    const wl = qrotate(qconj([s[S.qx], s[S.qy], s[S.qz], s[S.qw]]), [s[S.wx], s[S.wy], s[S.wz]]);
    out[ix.wx] = wl[0];
    out[ix.wy] = wl[1];
    out[ix.wz] = wl[2];
    for (let i = 0; i < nj; i++) out[ix.jointVels + i] = this.art.qd[i];
  }

  protected evaluate(a: Float64Array, xBefore: number) {
    const s = this.art.state;
    const xVelocity = (s[S.x] - xBefore) / this.dt;
    let finite = true;
    for (let i = 0; i < S.size; i++) if (!Number.isFinite(s[i])) finite = false;
    const healthy = finite && antHealthyZ(this.cfg, s[S.z]);
    const pose = this.cfg.path ? { y: s[S.y], yaw: quatYaw(s[S.qw], s[S.qx], s[S.qy], s[S.qz]) } : undefined;
    const { total, ...parts } = antReward(this.cfg, xVelocity, healthy, a, 0, pose);
    return { reward: total, parts, terminated: this.cfg.terminateWhenUnhealthy && !healthy, xVelocity };
  }

  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array {
    const no = this.observationSize, na = this.actionSize;
    const n = Math.floor(obs.length / no);
    const r = out ?? new Float32Array(n);
    const ix = this.ix;
    for (let i = 0; i < n; i++) {
      const o = i * no;
      const xVel = this.cfg.includeXY ? (nextObs[o + ANT_OBS_XY.x] - obs[o + ANT_OBS_XY.x]) / this.dt : nextObs[o + ix.vx];
      const pose = this.cfg.path ? { y: nextObs[o + ANT_OBS_XY.y], yaw: quatYaw(nextObs[o + ix.qw], nextObs[o + ix.qx], nextObs[o + ix.qy], nextObs[o + ix.qz]) } : undefined;
      r[i] = antReward(this.cfg, xVel, antHealthyZ(this.cfg, nextObs[o + ix.z]), action, i * na, pose).total;
    }
    return r;
  }
}
