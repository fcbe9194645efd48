/**
 * QuadPayloadVel-v0: QuadPayload-v0 flown through its low-level controller. One action is a
 * commanded world-frame velocity of the quad, held for one control period (default 0.1 s = 5
 * physics steps of 20 ms); inside it the cascade of controllers/quad-cascade.ts (velocity PI ->
 * thrust and attitude -> attitude PD -> rotor mixer) runs at the physics rate (50 Hz). This is the
 * interface of Belkhale et al. 2021 (a planner sends velocity commands to the quad's own flight
 * controller; theirs at dt 0.25 s), made for planners, the latent payload model and the per-axis
 * PID baseline (controllers/quad-pid.ts). dt = controlPeriod.
 *
 * ## Observation (25): QuadPayload-v0's, at the end of the period (see quadPayload.ts, QUAD_OBS)
 *
 * | index | observation                                          | unit / frame         |
 * |-------|------------------------------------------------------|----------------------|
 * | 0-2   | tracked-body position minus reference (x, y, z)      | m, world             |
 * | 3-6   | quad orientation quaternion (w, x, y, z)             | body -> world        |
 * | 7-9   | quad linear velocity (x, y, z)                       | m/s, world           |
 * | 10-12 | quad angular velocity (x, y, z)                      | rad/s, body frame    |
 * | 13-15 | payload position minus quad position (x, y, z)       | m, world             |
 * | 16-18 | payload linear velocity (x, y, z)                    | m/s, world           |
 * | 19-21 | reference velocity (x, y, z)                         | m/s, world           |
 * | 22-24 | reference acceleration (x, y, z)                     | m/s^2, world         |
 *
 * ## Action (3)
 *
 * | index | command                          | range   | unit                      |
 * |-------|----------------------------------|---------|---------------------------|
 * | 0     | quad velocity x                  | [-1, 1] | x maxSpeed (2) m/s, world |
 * | 1     | quad velocity y                  | [-1, 1] | x maxSpeed m/s, world     |
 * | 2     | quad velocity z                  | [-1, 1] | x maxSpeed m/s, world     |
 *
 * Index constants: {@link QUAD_VEL_ACTION}. Clipped to [-1, 1] (NaN reads as 0).
 *
 * ## Reward ({@link quadReward}, each term `info.reward_<term>`)
 * survive (1) + track (-1 x the tracking error at the period's end, m, = |nextObs[0..2]|) +
 * ctrl (-0.01 x |a|^2 of the velocity action). The same terms as QuadPayload-v0, read at the
 * control period, so rewardFromTransition is exact (up to float32). info.tracking_error is the
 * error at the period's end.
 *
 * ## Termination, truncation, faults
 * QuadPayload-v0's crash conditions, checked at every physics step (a crash ends the period
 * early). Truncation at maxEpisodeSteps (default 100 = 10 s). Scheduled faults' atStep counts
 * THIS env's steps. Physical parameters (payload_mass, cable_length, DR, reset options.params)
 * are the inner env's.
 */
import type { Rapier } from '../rapier.js';
import { clipAction } from './base.js';
import { QuadPayloadEnv, QUAD_DEFAULT_CONFIG, QUAD_DT, QUAD_OBS, QUAD_OBS_SIZE, quadReward, quadRewardFromTransition, type QuadConfig } from './quadPayload.js';
import { QuadCascade, type CascadeGains } from '../controllers/quad-cascade.js';
import type { Diagnostics, Env, Fault, PhysParams, ResetOptions, ResetResult, StepInfo, StepResult } from './types.js';
import type { SceneSpec } from '../../shared/scene.js';

/** Action indices (commanded quad velocity, world frame, in units of maxSpeed). */
export const QUAD_VEL_ACTION = { vx: 0, vy: 1, vz: 2 } as const;
export const QUAD_VEL_ACTION_SIZE = 3;
export const QUAD_VEL_OBS_SIZE = QUAD_OBS_SIZE;

export interface QuadVelConfig extends QuadConfig {
  /** seconds a velocity command is held: a whole number of physics steps (0.02 s) */
  controlPeriod?: number;
  /** m/s per unit of action, per axis */
  maxSpeed?: number;
  /** low-level controller gains (controllers/quad-cascade.ts) */
  gains?: Partial<CascadeGains>;
}

export const QUAD_VEL_DEFAULT_CONFIG = {
  ...QUAD_DEFAULT_CONFIG,
  controlPeriod: 0.1,
  maxSpeed: 2,
  maxEpisodeSteps: 100,
};
export const QUAD_VEL_DT = QUAD_VEL_DEFAULT_CONFIG.controlPeriod;

/** Physics steps per control period; refuses periods that are not whole multiples of the physics step. */
export function physicsStepsPer(controlPeriod: number): number {
  const k = Math.round(controlPeriod / QUAD_DT);
  if (!(k >= 1) || Math.abs(k * QUAD_DT - controlPeriod) > 1e-9)
    throw new Error(`QuadPayloadVel-v0: controlPeriod ${controlPeriod} s must be a positive whole multiple of the physics step ${QUAD_DT} s (e.g. 0.1, 0.2, 0.24)`);
  return k;
}

export class QuadPayloadVelEnv implements Env {
  readonly id = 'QuadPayloadVel-v0';
  readonly observationSize = QUAD_VEL_OBS_SIZE;
  readonly actionSize = QUAD_VEL_ACTION_SIZE;
  readonly dt: number;
  readonly maxEpisodeSteps: number;
  readonly config: QuadVelConfig;
  /** The rotor-level env underneath (physics, parameters, faults). */
  readonly inner: QuadPayloadEnv;
  /** Physics steps per control period. */
  readonly substeps: number;
  readonly maxSpeed: number;
  private readonly cascade: QuadCascade;
  private readonly rewardCfg: { healthyReward: number; trackWeight: number; ctrlCostWeight: number };
  private readonly rotors = new Float32Array(4);
  private readonly v = new Float64Array(3);
  private obs: Float32Array = new Float32Array(QUAD_OBS_SIZE);
  private steps = 0;

  constructor(R: Rapier, config: QuadVelConfig = {}) {
    const { controlPeriod = QUAD_VEL_DEFAULT_CONFIG.controlPeriod, maxSpeed = QUAD_VEL_DEFAULT_CONFIG.maxSpeed, gains, maxEpisodeSteps, faults, ...rest } = config;
    this.config = config;
    this.substeps = physicsStepsPer(controlPeriod);
    this.dt = this.substeps * QUAD_DT;
    if (!(maxSpeed > 0)) throw new Error(`QuadPayloadVel-v0: maxSpeed must be > 0 m/s (got ${maxSpeed})`);
    this.maxSpeed = maxSpeed;
    this.maxEpisodeSteps = maxEpisodeSteps ?? Math.floor((QUAD_DEFAULT_CONFIG.maxEpisodeSteps * QUAD_DT) / this.dt);
    this.inner = new QuadPayloadEnv(R, {
      ...rest,
      maxEpisodeSteps: this.maxEpisodeSteps * this.substeps,
      faults: faults?.map((f) => ({ ...f, atStep: f.atStep * this.substeps })),
    });
    this.cascade = new QuadCascade(this.inner, gains);
    this.rewardCfg = {
      healthyReward: config.healthyReward ?? QUAD_DEFAULT_CONFIG.healthyReward,
      trackWeight: config.trackWeight ?? QUAD_DEFAULT_CONFIG.trackWeight,
      ctrlCostWeight: config.ctrlCostWeight ?? QUAD_DEFAULT_CONFIG.ctrlCostWeight,
    };
  }

  get bodyCount(): number {
    return this.inner.bodyCount;
  }

  reset(opts: { seed?: number; options?: ResetOptions } = {}): ResetResult {
    const r = this.inner.reset(opts);
    this.cascade.reset();
    this.steps = 0;
    this.obs = r.obs;
    return { obs: new Float32Array(r.obs), info: { ...r.info, step: 0 } };
  }

  step(action: ArrayLike<number>): StepResult {
    const a = new Float32Array(QUAD_VEL_ACTION_SIZE);
    for (let i = 0; i < QUAD_VEL_ACTION_SIZE; i++) {
      a[i] = clipAction(action[i]);
      this.v[i] = a[i] * this.maxSpeed;
    }
    let r: StepResult | null = null;
    for (let k = 0; k < this.substeps; k++) {
      r = this.inner.step(this.cascade.rotorCommands(this.obs, this.v, this.rotors));
      this.obs = r.obs;
      if (r.terminated || r.truncated) break;
    }
    this.steps++;
    const o = r!.obs;
    const err = Math.hypot(o[QUAD_OBS.errX], o[QUAD_OBS.errY], o[QUAD_OBS.errZ]);
    const { total, ...parts } = quadReward(this.rewardCfg, err, a, 0, QUAD_VEL_ACTION_SIZE);
    const info: StepInfo = { params: r!.info.params, x_position: r!.info.x_position, x_velocity: r!.info.x_velocity, step: this.steps, faults: r!.info.faults, tracking_error: err };
    for (const [k, v] of Object.entries(parts)) info[`reward_${k}`] = v;
    const truncated = !r!.terminated && (r!.truncated || this.steps >= this.maxEpisodeSteps);
    return { obs: new Float32Array(o), reward: total, terminated: r!.terminated, truncated, info };
  }

  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array {
    return quadRewardFromTransition(this.rewardCfg, obs, action, nextObs, this.observationSize, this.actionSize, out);
  }

  sceneSpec(): SceneSpec {
    return { ...this.inner.sceneSpec(), name: this.id };
  }

  writePoses(out: Float32Array, offset?: number): void {
    this.inner.writePoses(out, offset);
  }

  applyFault(fault: Fault): void {
    this.inner.applyFault(fault);
  }

  tetherLengths(): number[] {
    return this.inner.tetherLengths();
  }

  referencePath(): number[] {
    return this.inner.referencePath();
  }

  trackedPoint(): [number, number, number] {
    return this.inner.trackedPoint();
  }

  nominalParams(): PhysParams {
    return this.inner.nominalParams();
  }

  params(): PhysParams {
    return this.inner.params();
  }

  diagnostics(): Diagnostics {
    return this.inner.diagnostics();
  }

  dispose(): void {
    this.inner.dispose();
  }
}
