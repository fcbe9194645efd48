/**
 * Hopper-v0: Gymnasium Hopper (v4 semantics) on Rapier; planar (x, z, pitch), bodies locked to
 * the x-z plane.
 *
 * Observation (11, or 12 with includeX): [x]? z, torso angle, thigh, leg, foot angles,
 * clip(vx, vz, pitch rate, 3 joint velocities, -10, 10).
 * Action (3): thigh, leg, foot in [-1, 1] times gear 200.
 * Reward: forward (x displacement / dt) + healthy (1) - 1e-3 |a|^2.
 * Termination (Gym): |state[2:]| >= 100, z <= 0.7, or |angle| >= 0.2.
 * rewardFromTransition: exact with includeX; otherwise it uses nextObs's (clipped) vx.
 */
import type { Rapier } from '../rapier.js';
import { hopperModel, hopperTorsoZ, type HopperParams } from '../robots/hopper.js';
import { ArticulatedEnv, type InitialState } from './base.js';
import type { EnvConfig } from './types.js';
import type { Rng } from '../rng.js';
import { qaxisAngle, twistAngle } from '../math.js';

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
  substeps: number; solverIterations: number;
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

export class HopperEnv extends ArticulatedEnv {
  readonly id = 'Hopper-v0';
  readonly observationSize: number;
  readonly actionSize = 3;
  private readonly cfg: HopperResolved;
  private readonly off: number;

  constructor(R: Rapier, config: HopperConfig = {}) {
    const cfg: HopperResolved = { ...HOPPER_DEFAULT_CONFIG, ...config } as HopperResolved;
    super(R, hopperModel(cfg.robot), { timestep: 0.002, frameSkip: 4, gravity: -9.81, substeps: cfg.substeps, solverIterations: cfg.solverIterations }, cfg, 1000);
    this.cfg = cfg;
    this.off = cfg.includeX ? 1 : 0;
    this.observationSize = 11 + this.off;
    this.actuatorJoint = ['thigh_joint', 'leg_joint', 'foot_joint'].map((n) => this.robot.joints.findIndex((j) => j.name === n));
  }

  protected override legs(): string[][] {
    return [['thigh_joint', 'leg_joint', 'foot_joint']];
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
    return twistAngle([s[3], s[4], s[5], s[6]], [0, 1, 0]);
  }

  protected observe(out: Float32Array): void {
    const s = this.art.state;
    const clip = (v: number) => (v > 10 ? 10 : v < -10 ? -10 : v);
    let k = 0;
    if (this.off) out[k++] = s[0];
    out[k++] = s[2];
    out[k++] = this.angle();
    for (let i = 0; i < 3; i++) out[k++] = this.art.q[i];
    out[k++] = clip(s[7]);
    out[k++] = clip(s[9]);
    out[k++] = clip(s[11]);
    for (let i = 0; i < 3; i++) out[k++] = clip(this.art.qd[i]);
  }

  private healthy(): boolean {
    const s = this.art.state;
    const c = this.cfg;
    const z = s[2], ang = this.angle();
    const st = [ang, this.art.q[0], this.art.q[1], this.art.q[2], s[7], s[9], s[11], this.art.qd[0], this.art.qd[1], this.art.qd[2]];
    const inRange = st.every((v) => Number.isFinite(v) && Math.abs(v) < c.healthyStateRange);
    return inRange && z > c.healthyZ && Math.abs(ang) < c.healthyAngle;
  }

  protected evaluate(a: Float64Array, xBefore: number) {
    const s = this.art.state;
    const xVelocity = (s[0] - xBefore) / this.dt;
    const healthy = this.healthy();
    let ctrl = 0;
    for (let k = 0; k < 3; k++) ctrl += a[k] * a[k];
    const forward = this.cfg.forwardRewardWeight * xVelocity;
    const survive = healthy || this.cfg.terminateWhenUnhealthy ? this.cfg.healthyReward : 0;
    const ctrlCost = this.cfg.ctrlCostWeight * ctrl;
    return { reward: forward + survive - ctrlCost, parts: { forward, survive, ctrl: -ctrlCost }, terminated: this.cfg.terminateWhenUnhealthy && !healthy, xVelocity };
  }

  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array {
    const no = this.observationSize, na = this.actionSize;
    const n = Math.floor(obs.length / no);
    const r = out ?? new Float32Array(n);
    const c = this.cfg;
    for (let i = 0; i < n; i++) {
      const o = i * no;
      const xVel = this.off ? (nextObs[o] - obs[o]) / this.dt : nextObs[o + 5];
      const z = nextObs[o + this.off], ang = nextObs[o + this.off + 1];
      let healthy = z > c.healthyZ && Math.abs(ang) < c.healthyAngle;
      for (let k = this.off + 1; k < no; k++) if (!(Math.abs(nextObs[o + k]) < c.healthyStateRange)) healthy = false;
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
