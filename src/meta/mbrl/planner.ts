/**
 * Model-predictive control with a learned dynamics model: random shooting, CEM and MPPI. Each
 * planner iteration evaluates all candidates in ONE batched tensor program (H model steps over
 * [N, ...] tensors, one read-back), then scores them with the env's own reward function computed
 * from the imagined observations (`rewardFromTransition`, exact for the env's reward).
 *
 * Candidate action sequences are drawn from the seeded {@link Rng}, so planning is reproducible.
 */
import { tf, type Tensor } from '../tf.js';
import type { Params } from '../params.js';
import type { Rng } from '../rng.js';
import type { DynamicsModel } from './model.js';

export type PlannerKind = 'rs' | 'cem' | 'mppi';

export interface PlannerConfig {
  kind: PlannerKind;
  /** Candidate action sequences per iteration (paper code: 500). */
  candidates: number;
  /** Planning horizon in env steps (paper code: 10). */
  horizon: number;
  /** CEM: refinement iterations (default 3); MPPI: iterations per control step (default 1). */
  iterations?: number;
  /** CEM: elite count (default 10% of candidates). */
  elites?: number;
  /** CEM: initial std; MPPI: exploration noise std (default 0.5 CEM, 0.6 MPPI). */
  std?: number;
  /** CEM: smoothing of mean/std updates (default 0.1 kept from the old). */
  alpha?: number;
  /** MPPI: temperature lambda (default 1, on returns scaled by their std). */
  temperature?: number;
  /** MPPI: smoothing of the noise along time (0 = white, default 0.5). */
  noiseBeta?: number;
}

export const DEFAULT_PLANNER: PlannerConfig = { kind: 'mppi', candidates: 200, horizon: 8 };

/** Scores imagined transitions: the env's reward (plus an optional penalty), batched. */
export type RewardFn = (obs: Float32Array, act: Float32Array, next: Float32Array, out: Float32Array) => Float32Array;

export interface PlanResult {
  /** First action of the plan [A]. */
  action: Float32Array;
  /** The best candidate's imagined observations [(H + 1) * O], starting with the current obs. */
  bestObs: Float32Array;
  /** The best candidate's actions [H * A]. */
  bestActions: Float32Array;
  /** Its imagined return. */
  bestReturn: number;
  /** Mean imagined return over the last iteration's candidates. */
  meanReturn: number;
}

/**
 * Rolls out N action sequences [N, H, A] from obs through the model; returns imagined observations
 * [N, H, O] (row n, step t at (n * H + t) * O) in one read-back.
 */
export function imagine(model: DynamicsModel, params: Params, ctx: Tensor | null, obs: Float32Array, actions: Float32Array, N: number, H: number): Float32Array {
  const O = model.O;
  const A = model.A;
  const out = tf.tidy(() => {
    let s: Tensor = tf.tile(tf.tensor2d(obs, [1, O]), [N, 1]);
    // the action inputs once per rollout rather than once per step (same values)
    const acts = tf.unstack(model.actionFeatures(tf.tensor3d(actions, [N, H, A])), 1);
    const c = ctx ? (ctx.shape[0] === N ? ctx : tf.tile(ctx, [N, 1])) : null;
    const states: Tensor[] = [];
    for (let t = 0; t < H; t++) {
      s = model.predictNext(params, s, acts[t], c, true);
      states.push(s);
    }
    return tf.stack(states, 1);
  });
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return data;
}

/** Returns [N] of imagined trajectories (undiscounted sums of rewards). */
export function scoreTrajectories(reward: RewardFn, obs: Float32Array, actions: Float32Array, imagined: Float32Array, N: number, H: number, O: number): Float32Array {
  const prev = new Float32Array(N * H * O);
  for (let n = 0; n < N; n++) {
    prev.set(obs, n * H * O);
    prev.set(imagined.subarray(n * H * O, (n * H + H - 1) * O), (n * H + 1) * O);
  }
  const r = reward(prev, actions, imagined, new Float32Array(N * H));
  const ret = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let t = 0; t < H; t++) s += r[n * H + t];
    ret[n] = Number.isFinite(s) ? s : -1e9;
  }
  return ret;
}

const clip1 = (x: number): number => (x > 1 ? 1 : x < -1 ? -1 : x);

/** A stateful planner (CEM and MPPI warm-start from the previous step's plan, shifted). */
export class Planner {
  readonly cfg: Required<PlannerConfig>;
  private readonly A: number;
  private mean: Float32Array;

  constructor(cfg: PlannerConfig, actionSize: number) {
    const N = cfg.candidates;
    this.cfg = {
      iterations: cfg.kind === 'cem' ? 3 : 1,
      elites: Math.max(2, Math.round(N * 0.1)),
      std: cfg.kind === 'cem' ? 0.5 : 0.6,
      alpha: 0.1,
      temperature: 1,
      noiseBeta: 0.5,
      ...cfg,
    } as Required<PlannerConfig>;
    this.A = actionSize;
    this.mean = new Float32Array(cfg.horizon * actionSize);
  }

  /** Forgets the warm start (new episode). */
  reset(): void {
    this.mean.fill(0);
  }

  plan(model: DynamicsModel, params: Params, ctx: Tensor | null, obs: Float32Array, reward: RewardFn, rng: Rng): PlanResult {
    const { kind, candidates: N, horizon: H } = this.cfg;
    const A = this.A;
    const O = model.O;
    let best = { ret: -Infinity, obs: new Float32Array(0), acts: new Float32Array(H * A) };
    let meanReturn = 0;
    const consider = (acts: Float32Array, imagined: Float32Array, ret: Float32Array) => {
      let b = 0;
      let m = 0;
      for (let n = 0; n < N; n++) {
        m += ret[n];
        if (ret[n] > ret[b]) b = n;
      }
      meanReturn = m / N;
      if (ret[b] > best.ret) best = { ret: ret[b], obs: imagined.slice(b * H * O, (b + 1) * H * O), acts: acts.slice(b * H * A, (b + 1) * H * A) };
    };
    const evaluate = (acts: Float32Array) => {
      const imagined = imagine(model, params, ctx, obs, acts, N, H);
      const ret = scoreTrajectories(reward, obs, acts, imagined, N, H, O);
      consider(acts, imagined, ret);
      return ret;
    };

    let action: Float32Array;
    if (kind === 'rs') {
      const acts = new Float32Array(N * H * A);
      for (let i = 0; i < acts.length; i++) acts[i] = rng.range(-1, 1);
      evaluate(acts);
      action = best.acts.slice(0, A);
    } else if (kind === 'cem') {
      // warm start: previous mean shifted by one step
      const mean = this.shifted();
      const std = new Float32Array(H * A).fill(this.cfg.std);
      const E = Math.min(N, this.cfg.elites);
      for (let it = 0; it < this.cfg.iterations; it++) {
        const acts = new Float32Array(N * H * A);
        for (let n = 0; n < N; n++)
          for (let j = 0; j < H * A; j++) acts[n * H * A + j] = n === 0 ? mean[j] : clip1(mean[j] + std[j] * rng.normal());
        const ret = evaluate(acts);
        const order = Array.from(ret.keys()).sort((a, b) => ret[b] - ret[a] || a - b).slice(0, E);
        const a = this.cfg.alpha;
        for (let j = 0; j < H * A; j++) {
          let m = 0;
          for (const n of order) m += acts[n * H * A + j];
          m /= E;
          let v = 0;
          for (const n of order) v += (acts[n * H * A + j] - m) ** 2;
          v /= E;
          mean[j] = a * mean[j] + (1 - a) * m;
          std[j] = a * std[j] + (1 - a) * Math.sqrt(v);
        }
      }
      this.mean = mean;
      action = mean.slice(0, A);
    } else {
      // MPPI (Williams et al.): returns-weighted average of perturbed sequences around the mean.
      const mean = this.shifted();
      const sigma = this.cfg.std;
      const beta = this.cfg.noiseBeta;
      for (let it = 0; it < this.cfg.iterations; it++) {
        const acts = new Float32Array(N * H * A);
        for (let n = 0; n < N; n++) {
          for (let j = 0; j < A; j++) {
            let e = 0;
            for (let t = 0; t < H; t++) {
              // temporally correlated noise: e_t = beta e_{t-1} + sqrt(1 - beta^2) w_t
              e = t === 0 ? sigma * rng.normal() : beta * e + Math.sqrt(1 - beta * beta) * sigma * rng.normal();
              const k = t * A + j;
              acts[n * H * A + k] = n === 0 ? mean[k] : clip1(mean[k] + e);
            }
          }
        }
        const ret = evaluate(acts);
        let mx = -Infinity;
        let mu = 0;
        for (let n = 0; n < N; n++) {
          mx = Math.max(mx, ret[n]);
          mu += ret[n];
        }
        mu /= N;
        let sd = 0;
        for (let n = 0; n < N; n++) sd += (ret[n] - mu) ** 2;
        sd = Math.sqrt(sd / N) + 1e-6;
        const lam = this.cfg.temperature;
        const w = new Float64Array(N);
        let ws = 0;
        for (let n = 0; n < N; n++) {
          w[n] = Math.exp((ret[n] - mx) / (lam * sd));
          ws += w[n];
        }
        for (let k = 0; k < H * A; k++) {
          let s = 0;
          for (let n = 0; n < N; n++) s += w[n] * acts[n * H * A + k];
          mean[k] = s / ws;
        }
      }
      this.mean = mean;
      action = mean.slice(0, A);
    }
    const bestObs = new Float32Array((H + 1) * O);
    bestObs.set(obs, 0);
    bestObs.set(best.obs, O);
    return { action, bestObs, bestActions: best.acts, bestReturn: best.ret, meanReturn };
  }

  private shifted(): Float32Array {
    const A = this.A;
    const m = new Float32Array(this.mean.length);
    m.set(this.mean.subarray(A));
    m.set(this.mean.subarray(this.mean.length - A), this.mean.length - A);
    return m;
  }
}
