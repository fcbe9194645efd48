/**
 * Adaptation headroom: how much can the last M transitions of an episode tell a trained dynamics
 * model about the next K, on a given fault? Adaptation can only help a controller where this is
 * large. Measured on held-out segments of fresh random-action data, in the models' own metric
 * (normalized-delta MSE), for:
 *  - `none`: the unadapted model (ReBAL: no context);
 *  - `own`: the checkpoint's run-time rule (GrBAL: one SGD step at its adaptLr; MB: MB + dynamic
 *    evaluation's step; ReBAL: its context);
 *  - `offset`: a constant correction added to every prediction, half the window's mean residual
 *    (the whole mean overshoots when the residuals are noisy);
 *  - `ridge`: the output layer refit on the window's residuals (ridge, best λ of a grid): a
 *    generous bound for any adaptation confined to the output layer.
 * And, for `none` and `own`, the forward-velocity error in m/s: the part of the state the reward
 * reads, which the 29-dimension average can hide.
 */
import { tf, type Tensor } from '../tf.js';
import { activation, dense } from '../ops.js';
import { Rng } from '../rng.js';
import { disposeParams, type Params } from '../params.js';
import { adaptedModel } from './algos.js';
import { decodeParams, loadCheckpoint, type MbCheckpoint } from './checkpoint.js';
import { collect } from './collect.js';
import { runTimeAdaptLr } from './controller.js';
import { TransitionData } from './data.js';
import { DynamicsModel, disposeBatch, type Batch } from './model.js';
import type { MbFault, MbTaskSpec } from './types.js';

export interface HeadroomOptions {
  spec: MbTaskSpec;
  checkpoint: string | MbCheckpoint;
  faults: (MbFault | null)[];
  /** Random-action env steps to collect (default 3000). */
  steps?: number;
  /** Segments of M + K transitions scored (default 150). */
  segments?: number;
  seed?: number;
}

export type HeadroomRule = 'none' | 'own' | 'offset' | 'ridge';

const LAMBDAS = [1, 10, 100, 1000];

/** Solves (K + lam I) X = R for a small symmetric K (n x n), R (n x m); row-major arrays. */
function ridgeSolve(K: Float32Array, R: Float32Array, n: number, m: number, lam: number): Float32Array {
  const w = n + m;
  const a = new Float64Array(n * w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * w + j] = K[i * n + j] + (i === j ? lam : 0);
    for (let j = 0; j < m; j++) a[i * w + n + j] = R[i * m + j];
  }
  for (let c = 0; c < n; c++) {
    const piv = a[c * w + c]; // K + lam I is positive definite: no pivoting needed
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r * w + c] / piv;
      if (f !== 0) for (let k = c; k < w; k++) a[r * w + k] -= f * a[c * w + k];
    }
  }
  const x = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) x[i * m + j] = a[i * w + n + j] / a[i * w + i];
  return x;
}

/** Last hidden layer's output, with a bias column, of the (unadapted, context-free) MLP. */
function penultimate(model: DynamicsModel, p: Params, b: Batch): Tensor {
  let h = model.features(b.obs, b.act);
  const rows = h.shape[0] as number;
  if (model.contextSize) h = tf.concat([h, tf.zeros([rows, model.contextSize])], 1);
  const act = activation(model.spec.activation);
  for (let i = 0; i < model.spec.hidden.length; i++) h = act(dense(h, p[`dyn.l${i}.W`], p[`dyn.l${i}.b`]));
  return tf.concat([h, tf.ones([rows, 1])], 1);
}

export interface Headroom {
  segments: number;
  M: number;
  K: number;
  error: Record<HeadroomRule, number>;
  /**
   * Forward-velocity error (m/s, mean |predicted - actual x step| / dt over the K future
   * transitions) unadapted and under the checkpoint's own rule; null without an x observation.
   */
  velocityError: { none: number; own: number } | null;
}

export async function adaptationHeadroom(o: HeadroomOptions): Promise<Headroom> {
  const ck = loadCheckpoint(o.checkpoint);
  const { M, K } = ck.hyper;
  const env = await o.spec.make();
  const data = new TransitionData(env.observationSize, env.actionSize, 4096);
  const rng = new Rng(o.seed ?? 0);
  collect({ env, data, tasks: o.faults, steps: o.steps ?? 3000, episodeSteps: o.spec.episodeSteps ?? 500, rng: rng.fork() });
  const dt = env.dt;
  env.dispose?.();
  const xi = ck.positionIndices?.[0] ?? null;
  const model = new DynamicsModel(ck.spec, ck.stats);
  const p = decodeParams(ck.params);
  const starts = data.segmentStarts(M + K);
  const n = o.segments ?? 150;
  const sums = { none: 0, own: 0, offset: 0, ridge: 0 };
  const vel = { none: 0, own: 0 };
  const ridge = LAMBDAS.map(() => 0);
  const rows = (s: number, len: number) => Int32Array.from({ length: len }, (_, t) => s + t);
  try {
    for (let i = 0; i < n; i++) {
      const s = starts[rng.int(starts.length)];
      const past = model.batch(data.gather(rows(s, M)), [M]);
      const fut = model.batch(data.gather(rows(s + M, K)), [K]);
      const r = tf.tidy(() => {
        const mse = (pred: Tensor) => tf.mean(tf.square(tf.sub(pred, fut.target)));
        const predFut = model.predictNorm(p, fut.obs, fut.act);
        const resid = tf.sub(past.target, model.predictNorm(p, past.obs, past.act));
        const a = adaptedModel(model, p, ck.method, past, runTimeAdaptLr(ck.method === 'mb' ? 'mbde' : ck.method, ck));
        const own = model.loss(a.params, fut, a.ctx);
        // mean |x error| per step: the x delta is column xi of the predicted minus actual next obs
        const xErr = (params: Params, ctx: Tensor | null) =>
          xi === null ? tf.scalar(0) : tf.mean(tf.abs(tf.slice(tf.sub(model.predictNext(params, fut.obs, fut.act, ctx), model.nextFromNorm(fut.obs, fut.target)), [0, xi], [-1, 1])));
        const offset = mse(tf.add(predFut, tf.mul(tf.mean(resid, 0), 0.5)));
        // ridge in dual form: dW = F^T (F F^T + lam I)^-1 R, F the window's features
        const F = penultimate(model, p, past);
        const gram = tf.matMul(F, F, false, true).dataSync() as Float32Array;
        const R = resid.dataSync() as Float32Array;
        const Ff = penultimate(model, p, fut);
        const O = model.O;
        const ridges = LAMBDAS.map((lam) => mse(tf.add(predFut, tf.matMul(Ff, tf.matMul(F, tf.tensor2d(ridgeSolve(gram, R, M, O, lam), [M, O]), true, false)))));
        return tf.stack([mse(predFut), own, offset, ...ridges, xErr(p, null), xErr(a.params, a.ctx)]).dataSync();
      });
      sums.none += r[0];
      sums.own += r[1];
      sums.offset += r[2];
      LAMBDAS.forEach((_, j) => (ridge[j] += r[3 + j]));
      vel.none += r[3 + LAMBDAS.length];
      vel.own += r[4 + LAMBDAS.length];
      disposeBatch(past);
      disposeBatch(fut);
    }
  } finally {
    disposeParams(p);
    model.dispose();
  }
  return {
    segments: n,
    M,
    K,
    error: { none: sums.none / n, own: sums.own / n, offset: sums.offset / n, ridge: Math.min(...ridge) / n },
    velocityError: xi === null ? null : { none: vel.none / n / dt, own: vel.own / n / dt },
  };
}
