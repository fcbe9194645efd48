/**
 * Context inputs of a dynamics model that are not a recurrent encoder's (model.ts ContextSpec):
 * the latent task variable z of Belkhale et al. 2021 (learned per training task, inferred online by
 * gradient steps with the model frozen), the true physical parameters (the oracle), and a window of
 * previous transitions (MB with history). Training objectives and run-time context builders live
 * together so that the two read the same inputs.
 */
import { tf, type Scalar, type Tensor } from '../tf.js';
import { valueAndGrads, type Params } from '../params.js';
import type { Rng } from '../rng.js';
import { LATENT_LOG_STD, LATENT_MU, type Batch, type ContextSpec, type DynamicsModel } from './model.js';
import type { TransitionData } from './data.js';

type LatentSpec = Extract<ContextSpec, { kind: 'latent' }>;
type ParamsSpec = Extract<ContextSpec, { kind: 'params' }>;

/** KL(N(mu, exp(logStd)^2) || N(0, I)), summed over all rows and dims. */
export function klToPrior(mu: Tensor, logStd: Tensor): Scalar {
  return tf.tidy(() => tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(tf.mul(2, logStd))), tf.add(1, tf.mul(2, logStd))))) as Scalar);
}

/**
 * The KL term's weight per nat against the normalized MSE: the ELBO of a unit-variance Gaussian
 * likelihood over `rows` transitions of `O` dims, divided by rows x O / 2 (so its likelihood part is
 * the MSE), times the prior weight `klWeight` (Belkhale et al.: ~0.1).
 */
export function klScale(klWeight: number, rows: number, O: number): number {
  return (2 * klWeight) / (Math.max(1, rows) * O);
}

/**
 * The latent model's training loss on a minibatch: z drawn from each row's task posterior
 * (reparameterized with `eps` [n, size]) conditions the prediction; the tasks' KL to the prior is
 * weighted as one ELBO over `dataRows` transitions. With 30k transitions the KL hardly pulls, and
 * each task's q(z) shrinks to near a point (std ~0.003); weighting it per transition instead (beta
 * 0.1 or 0.1 x 2 / O against the MSE, with or without a warm-up) collapsed every q(z) onto the
 * prior: z unused (the quadrotor, see README).
 */
export function latentObjective(model: DynamicsModel, p: Params, b: Batch, task: Tensor, eps: Tensor, dataRows: number): Scalar {
  const spec = model.spec.context as LatentSpec;
  const mu = p[LATENT_MU];
  const logStd = p[LATENT_LOG_STD];
  const z = latentDraw(mu, logStd, task, eps);
  const mse = model.loss(p, b, z);
  return tf.add(mse, tf.mul(klScale(spec.klWeight, dataRows, model.O), klToPrior(mu, logStd))) as Scalar;
}

/**
 * z = mu[task] + exp(logStd[task]) * eps, rows picked by a one-hot matmul rather than a gather:
 * gather's gradient (UnsortedSegmentSum) has no wasm kernel.
 */
export function latentDraw(mu: Tensor, logStd: Tensor, task: Tensor, eps: Tensor): Tensor {
  const pick = tf.oneHot(task, mu.shape[0] as number).toFloat();
  return tf.add(tf.matMul(pick, mu), tf.mul(tf.exp(tf.matMul(pick, logStd)), eps));
}

/** Standard-normal draws [n, size] from the seeded rng (reproducible training and inference). */
export function normalDraws(rng: Rng, n: number, size: number): Tensor {
  const e = new Float32Array(n * size);
  for (let i = 0; i < e.length; i++) e[i] = rng.normal();
  return tf.tensor2d(e, [n, size]);
}

/** A task's (or an episode's) q(z) = N(mu, exp(logStd)^2), as numbers. */
export interface LatentPosterior {
  mean: number[];
  std: number[];
}

export interface LatentInference {
  /** Gradient steps on q(z) per control step (warm-started from the last step's q). */
  steps: number;
  /** Adam step size on (mu, logStd). */
  lr: number;
  /** Reparameterized draws of z per transition in the window. */
  samples: number;
}

/**
 * Ten warm-started Adam steps a control step: chosen on the TRAINING payloads (0.1 kg / 0.3 m and
 * 0.3 kg / 1.0 m, 3 seeded figure-8 flights each): payload tracking error 0.198 m with 2 steps,
 * 0.156 with 5, 0.135 with 10, 0.132 with 20 (lr 0.1); slower inference leaves the first seconds
 * of a flight to a model conditioned on a z that has not converged. ~23 ms a control step here
 * (bench/adapt.ts --env QuadPayloadVel-v0).
 */
export const LATENT_INFERENCE: LatentInference = { steps: 10, lr: 0.1, samples: 4 };

/**
 * Online inference of q(z) from a window of transitions, the model frozen: Adam steps on the
 * window's ELBO (normalized MSE under sampled z + the weighted KL to the prior), from the previous
 * q (the prior at an episode's start).
 */
export class LatentInferrer {
  private mu: Float32Array;
  private logStd: Float32Array;
  private m: Float32Array;
  private v: Float32Array;
  private t = 0;

  constructor(private readonly model: DynamicsModel, private readonly o: LatentInference = LATENT_INFERENCE) {
    const d = (model.spec.context as LatentSpec).size;
    this.mu = new Float32Array(d);
    this.logStd = new Float32Array(d);
    this.m = new Float32Array(2 * d);
    this.v = new Float32Array(2 * d);
  }

  /** Back to the prior N(0, I). */
  reset(): void {
    this.mu.fill(0);
    this.logStd.fill(0);
    this.m.fill(0);
    this.v.fill(0);
    this.t = 0;
  }

  posterior(): LatentPosterior {
    return { mean: Array.from(this.mu), std: Array.from(this.logStd, (l) => Math.exp(l)) };
  }

  /** The posterior mean as a context row [1, size] (what the planner conditions on). */
  meanContext(): Tensor {
    return tf.tensor2d(this.mu, [1, this.mu.length]);
  }

  /** `steps` Adam steps on the window `b` ([n] rows); returns the last ELBO loss. */
  update(p: Params, b: Batch, rng: Rng): number {
    const spec = this.model.spec.context as LatentSpec;
    const d = this.mu.length;
    const n = b.obs.shape[0] as number;
    const S = this.o.samples;
    const scale = klScale(spec.klWeight, n, this.model.O);
    const [b1, b2, eps0] = [0.9, 0.999, 1e-8];
    let last = NaN;
    const tiled: Batch = tf.tidy(() => ({ obs: tf.tile(b.obs, [S, 1]), act: tf.tile(b.act, [S, 1]), target: tf.tile(b.target, [S, 1]) }));
    try {
      for (let k = 0; k < this.o.steps; k++) {
        const eps = normalDraws(rng, n * S, d);
        const mu = tf.tensor2d(this.mu, [1, d]);
        const logStd = tf.tensor2d(this.logStd, [1, d]);
        const { value, grads } = tf.tidy(() =>
          valueAndGrads((q) => tf.add(this.model.loss(p, tiled, tf.add(q.mu, tf.mul(tf.exp(q.logStd), eps))), tf.mul(scale, klToPrior(q.mu, q.logStd))) as Scalar, { mu, logStd }),
        );
        last = value.dataSync()[0];
        const gm = grads.mu.dataSync();
        const gl = grads.logStd.dataSync();
        tf.dispose([eps, mu, logStd, value, grads.mu, grads.logStd]);
        this.t++;
        for (let i = 0; i < 2 * d; i++) {
          const g = i < d ? gm[i] : gl[i - d];
          this.m[i] = b1 * this.m[i] + (1 - b1) * g;
          this.v[i] = b2 * this.v[i] + (1 - b2) * g * g;
          const step = (this.o.lr * (this.m[i] / (1 - b1 ** this.t))) / (Math.sqrt(this.v[i] / (1 - b2 ** this.t)) + eps0);
          if (i < d) this.mu[i] -= step;
          else this.logStd[i - d] = Math.max(-7, Math.min(1, this.logStd[i - d] - step));
        }
      }
    } finally {
      tf.dispose([tiled.obs, tiled.act, tiled.target]);
    }
    return last;
  }
}

/** The oracle's context row: the true parameters, standardized as in training. */
export function paramsContext(spec: ParamsSpec, params: Record<string, number>): Float32Array {
  return Float32Array.from(spec.keys, (k, i) => {
    const v = params[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`the oracle needs the true '${k}' (got ${String(v)})`);
    return (v - spec.mean[i]) / spec.std[i];
  });
}

/** Mean and std (floored) of each key over the training tasks' parameters. */
export function paramsSpec(keys: string[], tasks: Record<string, number>[]): ParamsSpec {
  const mean = keys.map((k) => tasks.reduce((s, t) => s + t[k], 0) / tasks.length);
  const std = keys.map((k, i) => Math.max(1e-3, Math.sqrt(tasks.reduce((s, t) => s + (t[k] - mean[i]) ** 2, 0) / tasks.length)));
  return { kind: 'params', keys, mean, std };
}

/**
 * MB-with-history's context for rows of `data`: the network inputs of each row's previous `steps`
 * transitions in the same episode (slot 0 the most recent), zero where the episode had not begun.
 */
export function historyRowsContext(model: DynamicsModel, data: TransitionData, rows: ArrayLike<number>, steps: number): Tensor {
  const n = rows.length;
  const O = data.O;
  const A = data.A;
  const obs = new Float32Array(n * steps * O);
  const act = new Float32Array(n * steps * A);
  const mask = new Float32Array(n * steps);
  for (let j = 0; j < n; j++) {
    const i = rows[j];
    for (let s = 0; s < steps; s++) {
      const r = i - 1 - s;
      if (r < 0 || data.episode[r] !== data.episode[i]) break;
      obs.set(data.obs.subarray(r * O, (r + 1) * O), (j * steps + s) * O);
      act.set(data.act.subarray(r * A, (r + 1) * A), (j * steps + s) * A);
      mask[j * steps + s] = 1;
    }
  }
  return historyContext(model, obs, act, mask, n, steps);
}

/** History context [n, steps * (I + A)] from previous obs [n * steps, O], actions and a 0/1 mask [n * steps]. */
export function historyContext(model: DynamicsModel, obs: Float32Array, act: Float32Array, mask: Float32Array, n: number, steps: number): Tensor {
  return tf.tidy(() => {
    const f = model.features(tf.tensor2d(obs, [n * steps, model.O]), tf.tensor2d(act, [n * steps, model.A]));
    return tf.reshape(tf.mul(f, tf.tensor2d(mask, [n * steps, 1])), [n, -1]);
  });
}

/**
 * Least-squares linear read-out of the physical parameters from the training tasks' latent means
 * (a small ridge keeps it defined when tasks are fewer than size + 1).
 */
export function fitReadout(means: number[][], params: Record<string, number>[], keys: string[]): { keys: string[]; weights: number[][]; bias: number[] } {
  const d = means[0].length;
  // normal equations on [z, 1]
  const D = d + 1;
  const X = means.map((m) => [...m, 1]);
  const XtX = Array.from({ length: D }, (_, a) => Array.from({ length: D }, (_, b) => X.reduce((s, r) => s + r[a] * r[b], 0) + (a === b && a < d ? 1e-6 : 0)));
  const weights: number[][] = [];
  const bias: number[] = [];
  for (const k of keys) {
    const Xty = Array.from({ length: D }, (_, a) => X.reduce((s, r, t) => s + r[a] * params[t][k], 0));
    const w = solve(XtX.map((r) => r.slice()), Xty.slice());
    weights.push(w.slice(0, d));
    bias.push(w[d]);
  }
  return { keys, weights, bias };
}

/** The read-out's estimate of each parameter for a latent mean. */
export function readParams(readout: NonNullable<LatentSpec['readout']>, mean: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  readout.keys.forEach((k, i) => {
    out[k] = readout.bias[i] + readout.weights[i].reduce((s, w, j) => s + w * mean[j], 0);
  });
  return out;
}

/** Gaussian elimination with partial pivoting (tiny systems). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    [b[c], b[piv]] = [b[piv], b[c]];
    for (let r = c + 1; r < n; r++) {
      const f = A[r][c] / A[c][c];
      for (let k = c; k < n; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= A[r][k] * x[k];
    x[r] = s / A[r][r];
  }
  return x;
}
