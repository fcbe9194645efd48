/**
 * Crawler-v0: a small pure-TS planar "ant" for developing and testing model-based meta-RL without
 * Rapier. A rigid body (x, y, heading) on four legs; each leg has a hip (swings the leg, a joint
 * angle q in [-1, 1]) and a lift (how hard the foot presses on the ground). A foot in contact
 * that swings backward pushes the body forward, one that swings forward drags it back, so walking
 * needs a gait: push while down, return while lifted. Legs sit at the body's corners, so uneven
 * thrust also turns the body.
 *
 * Crippling leg k (like GrBAL's ant) zeroes its two actuators: the hip no longer moves, the foot
 * drags half-loaded. The dynamics really change: the same action no longer moves q_k nor pushes,
 * and the body yaws under the other legs' asymmetric thrust, so adaptation has something to do.
 *
 * Observation (11): x, y, cos(heading), sin(heading), vx, vy (world), yaw rate, q_0..q_3.
 * Action (8): hip_0, lift_0, ..., hip_3, lift_3 in [-1, 1].
 * Reward: (x' - x) / dt - 0.02 |a|^2, exactly computable from (obs, action, nextObs).
 */
import { Rng } from '../rng.js';
import { isCripple, type MbEnv, type MbFault, type MbStepResult, type MbTaskSpec } from './types.js';

const LEG_POS: [number, number][] = [
  [0.3, 0.2],
  [0.3, -0.2],
  [-0.3, 0.2],
  [-0.3, -0.2],
];
/** Push direction of each leg in the body frame (slightly splayed). */
const LEG_DIR: [number, number][] = LEG_POS.map(([, py]) => {
  const a = (py > 0 ? 1 : -1) * 0.25;
  return [Math.cos(a), Math.sin(a)];
});

export interface CrawlerConfig {
  maxEpisodeSteps?: number;
  ctrlCost?: number;
  /** Reset noise on heading and joint angles. */
  resetNoise?: number;
}

export class CrawlerEnv implements MbEnv {
  readonly id = 'Crawler-v0';
  readonly observationSize = 11;
  readonly actionSize = 8;
  readonly dt = 0.05;
  readonly maxEpisodeSteps: number;
  private readonly substeps = 5;
  private readonly ctrlCost: number;
  private readonly resetNoise: number;
  private readonly s = new Float64Array(10); // x y th vx vy w q0..q3
  private crippled = [false, false, false, false];
  private t = 0;
  private rng = new Rng(0);

  constructor(cfg: CrawlerConfig = {}) {
    this.maxEpisodeSteps = cfg.maxEpisodeSteps ?? 200;
    this.ctrlCost = cfg.ctrlCost ?? 0.02;
    this.resetNoise = cfg.resetNoise ?? 0.1;
  }

  reset(opts: { seed?: number; options?: Record<string, unknown> } = {}): { obs: Float32Array; info: { x_position: number } } {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    const n = this.resetNoise;
    this.s.fill(0);
    this.s[2] = this.rng.range(-n, n);
    for (let i = 0; i < 4; i++) this.s[6 + i] = this.rng.range(-n, n);
    this.crippled = [false, false, false, false];
    this.t = 0;
    return { obs: this.obs(), info: { x_position: this.s[0] } };
  }

  applyFault(fault: MbFault): void {
    if (isCripple(fault)) {
      if (fault.leg < 0 || fault.leg > 3) throw new Error(`Crawler-v0 has legs 0-3, not ${fault.leg}`);
      this.crippled[fault.leg] = true;
    } else throw new Error(`Crawler-v0 supports only cripple faults, not '${fault.kind}'`);
  }

  private obs(): Float32Array {
    const s = this.s;
    return Float32Array.from([s[0], s[1], Math.cos(s[2]), Math.sin(s[2]), s[3], s[4], s[5], s[6], s[7], s[8], s[9]]);
  }

  step(action: ArrayLike<number>): MbStepResult {
    const a = new Float64Array(8);
    for (let i = 0; i < 8; i++) {
      const v = Number(action[i]);
      a[i] = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
    }
    const s = this.s;
    const x0 = s[0];
    const h = this.dt / this.substeps;
    const contact = new Float64Array(4);
    const rate = new Float64Array(4);
    for (let k = 0; k < 4; k++) {
      if (this.crippled[k]) {
        contact[k] = 0.5;
        rate[k] = 0;
      } else {
        contact[k] = 0.5 * (1 + Math.tanh(3 * a[2 * k + 1]));
        rate[k] = 4 * a[2 * k];
      }
    }
    const totalContact = contact[0] + contact[1] + contact[2] + contact[3];
    for (let sub = 0; sub < this.substeps; sub++) {
      let fx = 0;
      let fy = 0;
      let tau = 0;
      for (let k = 0; k < 4; k++) {
        const q0 = s[6 + k];
        const q1 = Math.max(-1, Math.min(1, q0 + h * rate[k]));
        const qd = (q1 - q0) / h;
        s[6 + k] = q1;
        const f = -1.5 * contact[k] * qd;
        const bx = f * LEG_DIR[k][0];
        const by = f * LEG_DIR[k][1];
        fx += bx;
        fy += by;
        tau += LEG_POS[k][0] * by - LEG_POS[k][1] * bx;
      }
      const c = Math.cos(s[2]);
      const sn = Math.sin(s[2]);
      const wx = c * fx - sn * fy;
      const wy = sn * fx + c * fy;
      const drag = 0.8 * (0.5 + totalContact);
      s[3] += h * (wx - drag * s[3]);
      s[4] += h * (wy - drag * s[4]);
      s[5] += h * (tau / 0.08 - 2 * s[5]);
      s[0] += h * s[3];
      s[1] += h * s[4];
      s[2] += h * s[5];
    }
    this.t++;
    let ctrl = 0;
    for (let i = 0; i < 8; i++) ctrl += a[i] * a[i];
    const forward = (s[0] - x0) / this.dt;
    const reward = forward - this.ctrlCost * ctrl;
    return {
      obs: this.obs(),
      reward,
      terminated: false,
      truncated: this.t >= this.maxEpisodeSteps,
      info: { x_position: s[0], reward_forward: forward, reward_ctrl: -this.ctrlCost * ctrl, step: this.t },
    };
  }

  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array {
    const O = this.observationSize;
    const A = this.actionSize;
    const n = Math.floor(obs.length / O);
    const r = out ?? new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let ctrl = 0;
      for (let k = 0; k < A; k++) {
        const u = Math.max(-1, Math.min(1, action[i * A + k]));
        ctrl += u * u;
      }
      r[i] = (nextObs[i * O] - obs[i * O]) / this.dt - this.ctrlCost * ctrl;
    }
    return r;
  }
}

/** The Crawler-v0 task family: meta-train on intact and legs 0-2 crippled, test on leg 3. */
export function crawlerTaskSpec(cfg: CrawlerConfig = {}): MbTaskSpec {
  return {
    id: 'Crawler-v0',
    make: () => new CrawlerEnv(cfg),
    trainFaults: [null, { kind: 'cripple', leg: 0 }, { kind: 'cripple', leg: 1 }, { kind: 'cripple', leg: 2 }],
    testFault: { kind: 'cripple', leg: 3 },
    positionIndices: [0, 1, null],
    excludeInputDims: [0, 1],
    episodeSteps: cfg.maxEpisodeSteps ?? 200,
  };
}
