/**
 * Ant-v0: Gymnasium Ant (v4 semantics) on Rapier.
 *
 * Observation (27, or 29 with includeXY): [x, y]? z, torso quat (w, x, y, z), 8 joint angles
 * (hip_1, ankle_1, ..., hip_4, ankle_4), torso linear velocity (world), torso angular velocity
 * (torso frame, like MuJoCo's free joint), 8 joint velocities.
 * Action (8): Gym's actuator order hip_4, ankle_4, hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3,
 * each in [-1, 1] times gear 150.
 * Reward: forward (torso x displacement / dt) + healthy (1) - 0.5 * |a|^2 (contact cost off, as
 * Gymnasium's default use_contact_forces=False).
 * Termination: torso z outside [0.2, 1.0] or non-finite state, when terminateWhenUnhealthy.
 * rewardFromTransition: with includeXY the forward term is exact ((x' - x) / dt); without it the
 * forward term uses nextObs's torso x-velocity (index 13), the end-of-step velocity.
 */
import type { Rapier } from '../rapier.js';
import { antModel, ANT_ACTUATOR_ORDER, type AntParams } from '../robots/ant.js';
import { ArticulatedEnv, type InitialState } from './base.js';
import type { EnvConfig } from './types.js';
import type { Rng } from '../rng.js';
import { qconj, qrotate } from '../math.js';

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
}

type AntResolved = AntConfig & {
  includeXY: boolean; terminateWhenUnhealthy: boolean; healthyZRange: [number, number]; ctrlCostWeight: number;
  healthyReward: number; forwardRewardWeight: number; resetNoiseScale: number;
  substeps: number; solverIterations: number; limitProjection: number; separationProjection: number;
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

export class AntEnv extends ArticulatedEnv {
  readonly id = 'Ant-v0';
  readonly observationSize: number;
  readonly actionSize = 8;
  private readonly cfg: AntResolved;
  private readonly off: number;

  constructor(R: Rapier, config: AntConfig = {}) {
    const cfg: AntResolved = { ...ANT_DEFAULT_CONFIG, ...config } as AntResolved;
    super(R, antModel(cfg.robot), { timestep: 0.01, frameSkip: 5, gravity: -9.81, substeps: cfg.substeps, solverIterations: cfg.solverIterations, limitProjection: cfg.limitProjection, separationProjection: cfg.separationProjection }, cfg, 1000);
    this.cfg = cfg;
    this.off = cfg.includeXY ? 2 : 0;
    this.observationSize = 27 + this.off;
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
    let k = 0;
    if (this.off) {
      out[k++] = s[0];
      out[k++] = s[1];
    }
    out[k++] = s[2];
    out[k++] = s[6];
    out[k++] = s[3];
    out[k++] = s[4];
    out[k++] = s[5];
    for (let i = 0; i < 8; i++) out[k++] = this.art.q[i];
    out[k++] = s[7];
    out[k++] = s[8];
    out[k++] = s[9];
    const wl = qrotate(qconj([s[3], s[4], s[5], s[6]]), [s[10], s[11], s[12]]);
    out[k++] = wl[0];
    out[k++] = wl[1];
    out[k++] = wl[2];
    for (let i = 0; i < 8; i++) out[k++] = this.art.qd[i];
  }

  private healthy(z: number, finite: boolean): boolean {
    return finite && z >= this.cfg.healthyZRange[0] && z <= this.cfg.healthyZRange[1];
  }

  protected evaluate(a: Float64Array, xBefore: number) {
    const s = this.art.state;
    const xVelocity = (s[0] - xBefore) / this.dt;
    let finite = true;
    for (let i = 0; i < 13; i++) if (!Number.isFinite(s[i])) finite = false;
    const healthy = this.healthy(s[2], finite);
    let ctrl = 0;
    for (let k = 0; k < 8; k++) ctrl += a[k] * a[k];
    const forward = this.cfg.forwardRewardWeight * xVelocity;
    const survive = healthy || this.cfg.terminateWhenUnhealthy ? this.cfg.healthyReward : 0;
    const ctrlCost = this.cfg.ctrlCostWeight * ctrl;
    const reward = forward + survive - ctrlCost;
    return { reward, parts: { forward, survive, ctrl: -ctrlCost }, terminated: this.cfg.terminateWhenUnhealthy && !healthy, xVelocity };
  }

  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array {
    const no = this.observationSize, na = this.actionSize;
    const n = Math.floor(obs.length / no);
    const r = out ?? new Float32Array(n);
    const c = this.cfg;
    for (let i = 0; i < n; i++) {
      const o = i * no, o2 = i * no;
      const xVel = this.off ? (nextObs[o2] - obs[o]) / this.dt : nextObs[o2 + 13];
      const z = nextObs[o2 + this.off];
      const healthy = z >= c.healthyZRange[0] && z <= c.healthyZRange[1];
      let ctrl = 0;
      for (let k = 0; k < na; k++) {
        const u = Math.max(-1, Math.min(1, action[i * na + k]));
        ctrl += u * u;
      }
      r[i] = c.forwardRewardWeight * xVel + (healthy || c.terminateWhenUnhealthy ? c.healthyReward : 0) - c.ctrlCostWeight * ctrl;
    }
    return r;
  }
}
