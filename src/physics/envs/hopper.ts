/**
 * Hopper-v0: Gymnasium Hopper (v4 semantics) on Rapier; planar (x, z, pitch), bodies locked to
 * the x-z plane. dt = 0.008 s (timestep 0.002 s x frameSkip 4).
 *
 * ## Observation (11; 12 with `includeX`, which puts torso x first and moves the rest up by 1)
 *
 * | index | includeX | observation                                         | unit / frame  |
 * |-------|----------|-----------------------------------------------------|---------------|
 * |       | 0        | torso x                                             | m, world      |
 * | 0     | 1        | torso z                                             | m, world      |
 * | 1     | 2        | torso angle (pitch about world +y)                  | rad           |
 * | 2-4   | 3-5      | joint angles thigh_joint, leg_joint, foot_joint     | rad           |
 * | 5     | 6        | torso x velocity, clipped to [-10, 10]              | m/s, world    |
 * | 6     | 7        | torso z velocity, clipped to [-10, 10]              | m/s, world    |
 * | 7     | 8        | torso angular velocity about y, clipped to [-10, 10] | rad/s, world |
 * | 8-10  | 9-11     | joint velocities, same order, clipped to [-10, 10]  | rad/s         |
 *
 * Index constants: {@link HOPPER_OBS} (default) and {@link HOPPER_OBS_X} (includeX).
 *
 * ## Action (3)
 *
 * | index | actuator    | range   | torque     |
 * |-------|-------------|---------|------------|
 * | 0     | thigh_joint | [-1, 1] | 200 a N m  |
 * | 1     | leg_joint   | [-1, 1] | 200 a N m  |
 * | 2     | foot_joint  | [-1, 1] | 200 a N m  |
 *
 * Actions are clipped to [-1, 1] (NaN reads as 0); torque = gear x strength x fault scale x a.
 *
 * ## Reward ({@link hopperReward}; each term is `info.reward_<term>`)
 *
 * | term    | value                                                                  |
 * |---------|------------------------------------------------------------------------|
 * | forward | forwardRewardWeight (1) x torso x velocity, (x_after - x_before) / dt  |
 * | survive | healthyReward (1) if healthy or terminateWhenUnhealthy, else 0         |
 * | ctrl    | -ctrlCostWeight (1e-3) x \|a\|^2                                        |
 *
 * reward = forward + survive + ctrl.
 *
 * ## Termination (Gym's is_healthy, {@link hopperHealthy})
 * With terminateWhenUnhealthy (default), unhealthy when any of angle, joint angles and UNCLIPPED
 * velocities (Gym's state[2:]) is non-finite or has |v| >= healthyStateRange (100), torso z <=
 * healthyZ (0.7 m), or |angle| >= healthyAngle (0.2 rad). Truncation at maxEpisodeSteps (1000).
 * info.x_position / x_velocity are the torso's.
 *
 * rewardFromTransition: exact forward term with includeX; otherwise it uses nextObs's (clipped)
 * x velocity. Health is read from nextObs, whose clipped velocities never reach the state range.
 */
import type { Rapier } from '../rapier.js';
import { hopperModel, hopperTorsoZ, HOPPER_ACTUATORS, type HopperParams } from '../robots/hopper.js';
import { actionSquaredNorm, ArticulatedEnv, BODY_STATE as S, shiftIndices, stepDt, type InitialState } from './base.js';
import type { EnvConfig } from './types.js';
import type { Rng } from '../rng.js';
import { qaxisAngle, twistAngle } from '../math.js';

/** Observation indices (default layout); `joints` and `jointVels` start 3 entries each (thigh, leg, foot). */
export const HOPPER_OBS = { z: 0, angle: 1, joints: 2, vx: 5, vz: 6, angVel: 7, jointVels: 8 } as const;
export const HOPPER_OBS_SIZE = 11;
/** Observation indices with includeX: torso x leads. */
export const HOPPER_OBS_X = { x: 0, ...shiftIndices(HOPPER_OBS, 1) };
export const HOPPER_OBS_X_SIZE = HOPPER_OBS_SIZE + 1;
/** Actuated joints in action order (Gym's). */
export const HOPPER_ACTUATOR_ORDER = Object.keys(HOPPER_ACTUATORS);
export const HOPPER_ACTION_SIZE = HOPPER_ACTUATOR_ORDER.length;
/** Gym's timestep, frame skip and gravity. */
export const HOPPER_PHYSICS = { timestep: 0.002, frameSkip: 4, gravity: -9.81 };
export const HOPPER_DT = stepDt(HOPPER_PHYSICS);
/** Velocities in the observation are clipped to +-this (Gym's hopper). */
const VELOCITY_CLIP = 10;

export interface HopperConfig extends EnvConfig {
  includeX?: boolean;
  terminateWhenUnhealthy?: boolean;
  healthyZ?: number;
  healthyAngle?: number;
  healthyStateRange?: number;
  ctrlCostWeight?: number;
  healthyReward?: number;
  forwardRewardWeight?: number;
  resetNoiseScale?: number;
  robot?: Partial<HopperParams>;
}

type HopperResolved = HopperConfig & {
  includeX: boolean; terminateWhenUnhealthy: boolean; healthyZ: number; healthyAngle: number; healthyStateRange: number;
  ctrlCostWeight: number; healthyReward: number; forwardRewardWeight: number; resetNoiseScale: number;
  substeps: number; solverIterations: number; maxEpisodeSteps: number;
};

export const HOPPER_DEFAULT_CONFIG: HopperResolved = {
  includeX: false,
  terminateWhenUnhealthy: true,
  healthyZ: 0.7,
  healthyAngle: 0.2,
  healthyStateRange: 100,
  ctrlCostWeight: 1e-3,
  healthyReward: 1,
  forwardRewardWeight: 1,
  resetNoiseScale: 5e-3,
  maxEpisodeSteps: 1000,
  // one Rapier world step per 2 Gym timesteps (h = 4 ms, 2 world steps per env step) with 8 solver
  // iterations (TGS substeps of 0.5 ms). 2 iterations kept the joints together (< 2 mm) but lost
  // the ankle's torque in the motor-contact chain: the hopper could not push itself off the ground
  // (torso z never rose; MuJoCo's rises 10 cm) and PPO could not learn to hop. With 8: joint error
  // < 0.5 mm and the push-off matches MuJoCo's (see ACTUATION.md)
  substeps: 0.5,
  solverIterations: 8,
};

/** Named reward terms (info.reward_<name>) and their sum. */
export interface HopperReward {
  forward: number;
  survive: number;
  ctrl: number;
  total: number;
}

type HopperRewardConfig = Pick<HopperResolved, 'forwardRewardWeight' | 'healthyReward' | 'ctrlCostWeight' | 'terminateWhenUnhealthy' | 'healthyZ' | 'healthyAngle' | 'healthyStateRange'>;

/**
 * Gym's is_healthy on an observation row at `offset` in layout `ix` (`size` entries): step passes
 * one with unclipped velocities, rewardFromTransition the observation itself.
 */
export function hopperHealthy(c: HopperRewardConfig, o: ArrayLike<number>, offset: number, ix: { readonly [K in keyof typeof HOPPER_OBS]: number }, size: number): boolean {
  // angle, joint angles and velocities (Gym's state[2:]); NaN fails the comparison
  for (let k = ix.angle; k < size; k++) if (!(Math.abs(o[offset + k]) < c.healthyStateRange)) return false;
  return o[offset + ix.z] > c.healthyZ && Math.abs(o[offset + ix.angle]) < c.healthyAngle;
}

/**
 * The Hopper reward, for a live step and an imagined transition alike: from the torso's x
 * velocity, its health and the action row at `offset` (clipped as step clips it).
 */
export function hopperReward(c: HopperRewardConfig, xVelocity: number, healthy: boolean, action: ArrayLike<number>, offset = 0): HopperReward {
  const forward = c.forwardRewardWeight * xVelocity;
  const survive = healthy || c.terminateWhenUnhealthy ? c.healthyReward : 0;
  const ctrlCost = c.ctrlCostWeight * actionSquaredNorm(action, offset, HOPPER_ACTION_SIZE);
  return { forward, survive, ctrl: -ctrlCost, total: forward + survive - ctrlCost };
}

export class HopperEnv extends ArticulatedEnv {
  readonly id = 'Hopper-v0';
  readonly observationSize: number;
  readonly actionSize = HOPPER_ACTION_SIZE;
  private readonly cfg: HopperResolved;
  /** observation indices of this env's layout (includeX or not) */
  private readonly ix: { readonly [K in keyof typeof HOPPER_OBS]: number };
  /** the observation with unclipped velocities, for the health check */
  private readonly raw: Float64Array;

  constructor(R: Rapier, config: HopperConfig = {}) {
    const cfg: HopperResolved = { ...HOPPER_DEFAULT_CONFIG, ...config } as HopperResolved;
    super(R, hopperModel(cfg.robot), { ...HOPPER_PHYSICS, substeps: cfg.substeps, solverIterations: cfg.solverIterations }, cfg, HOPPER_DEFAULT_CONFIG.maxEpisodeSteps);
    this.cfg = cfg;
    this.ix = cfg.includeX ? HOPPER_OBS_X : HOPPER_OBS;
    this.observationSize = cfg.includeX ? HOPPER_OBS_X_SIZE : HOPPER_OBS_SIZE;
    this.raw = new Float64Array(this.observationSize);
    this.actuatorJoint = HOPPER_ACTUATOR_ORDER.map((n) => this.robot.joints.findIndex((j) => j.name === n));
  }

  protected override legs(): string[][] {
    return [[...HOPPER_ACTUATOR_ORDER]];
  }

  protected initialState(rng: Rng, noNoise: boolean): InitialState {
    const s = noNoise ? 0 : this.cfg.resetNoiseScale;
    const u = () => (s ? rng.range(-s, s) : 0);
    const x = u(), z = hopperTorsoZ(this.model) + u(), pitch = u();
    const q = this.robot.joints.map((j) => Math.min(j.upper, Math.max(j.lower, u())));
    const vx = u(), vz = u(), wy = u();
    const qd = this.robot.joints.map(() => u());
    return { basePos: [x, 0, z], baseQuat: qaxisAngle([0, 1, 0], pitch), baseLinVel: [vx, 0, vz], baseAngVel: [0, wy, 0], q, qd };
  }

  private angle(): number {
    const s = this.art.state;
    return twistAngle([s[S.qx], s[S.qy], s[S.qz], s[S.qw]], [0, 1, 0]);
  }

  /** The observation, with its velocities clipped (what the agent sees) or not (what health reads). */
  private writeObservation(out: Float32Array | Float64Array, clipVelocities: boolean): void {
    const s = this.art.state;
    const ix = this.ix;
    const nj = this.robot.joints.length;
    const clip = clipVelocities ? (v: number) => (v > VELOCITY_CLIP ? VELOCITY_CLIP : v < -VELOCITY_CLIP ? -VELOCITY_CLIP : v) : (v: number) => v;
    if (this.cfg.includeX) out[HOPPER_OBS_X.x] = s[S.x];
    out[ix.z] = s[S.z];
    out[ix.angle] = this.angle();
    for (let i = 0; i < nj; i++) out[ix.joints + i] = this.art.q[i];
    out[ix.vx] = clip(s[S.vx]);
    out[ix.vz] = clip(s[S.vz]);
    out[ix.angVel] = clip(s[S.wy]);
    for (let i = 0; i < nj; i++) out[ix.jointVels + i] = clip(this.art.qd[i]);
  }

  protected observe(out: Float32Array): void {
    this.writeObservation(out, true);
  }

  protected evaluate(a: Float64Array, xBefore: number) {
    const xVelocity = (this.art.state[S.x] - xBefore) / this.dt;
    this.writeObservation(this.raw, false);
    const healthy = hopperHealthy(this.cfg, this.raw, 0, this.ix, this.observationSize);
    const { total, ...parts } = hopperReward(this.cfg, xVelocity, healthy, a);
    return { reward: total, parts, terminated: this.cfg.terminateWhenUnhealthy && !healthy, xVelocity };
  }

  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array {
    const no = this.observationSize, na = this.actionSize;
    const n = Math.floor(obs.length / no);
    const r = out ?? new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * no;
      const xVel = this.cfg.includeX ? (nextObs[o + HOPPER_OBS_X.x] - obs[o + HOPPER_OBS_X.x]) / this.dt : nextObs[o + this.ix.vx];
      r[i] = hopperReward(this.cfg, xVel, hopperHealthy(this.cfg, nextObs, o, this.ix, no), action, i * na).total;
    }
    return r;
  }
}
