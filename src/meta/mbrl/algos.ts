/**
 * The learning rules: plain supervised model learning (MB), GrBAL's meta-objective (MAML through
 * one or more inner SGD steps, second-order or first-order), ReBAL's recurrent objective, and the
 * run-time adaptation step shared by GrBAL and MB + dynamic evaluation.
 */
import { tf, type Scalar, type Tensor } from '../tf.js';
import { exp } from '../ops.js';
import { sgdStep, valueAndGrads, mapParams, subParams, type Params } from '../params.js';
import type { Rng } from '../rng.js';
import type { Batch, DynamicsModel } from './model.js';

/**
 * 'latent': a latent task variable inferred online (Belkhale et al. 2021); 'params': the true
 * physical parameters as input (the quadrotor's oracle); 'mbhist': MB with a window of previous transitions as input.
 */
export type MbMethod = 'grbal' | 'rebal' | 'mb' | 'latent' | 'params' | 'mbhist';

/** Methods whose model reads a ContextSpec input (context.ts), trained on plain minibatches. */
export const CONTEXT_METHODS = ['latent', 'params', 'mbhist'] as const;
export function isContextMethod(m: string): m is (typeof CONTEXT_METHODS)[number] {
  return (CONTEXT_METHODS as readonly string[]).includes(m);
}

/** Name of GrBAL's learnable log inner step size in the params record. */
export const LOG_LR = 'inner.logLr';

export interface MetaHyper {
  /** Past transitions adapted on (paper: 16). */
  M: number;
  /** Future transitions the adapted model is scored on (paper: 16). */
  K: number;
  /** Inner SGD step size (paper: 1e-3; initial value when learnInnerLr). */
  innerLr: number;
  /** Inner gradient steps during meta-training (paper: 1). */
  innerSteps: number;
  /** First-order MAML (no second derivatives through the inner step). */
  firstOrder: boolean;
  /** Meta-learn the inner step size too (log-parameterized, Meta-SGD style scalar). */
  learnInnerLr: boolean;
}

/** The network's params (without the inner step size). */
export function netParams(p: Params): Params {
  const out: Params = {};
  for (const k in p) if (k !== LOG_LR) out[k] = p[k];
  return out;
}

/** The inner step size in effect (a scalar tensor when learned, else the number). */
export function innerLrOf(p: Params, h: Pick<MetaHyper, 'innerLr' | 'learnInnerLr'>): number | Tensor {
  return h.learnInnerLr && p[LOG_LR] ? exp(p[LOG_LR]) : h.innerLr;
}

/** `steps` SGD steps of the model loss on `b` from `p` (differentiable when taped). */
export function adaptParams(model: DynamicsModel, p: Params, b: Batch, lr: number | Tensor, steps = 1): Params {
  let q = netParams(p);
  for (let k = 0; k < steps; k++) {
    const { grads } = valueAndGrads((r) => model.loss(r, b), q);
    q = sgdStep(q, grads, lr);
  }
  return q;
}

/**
 * Error on `future` of the model adapted on `past` by a method's run-time rule: ReBAL reads `past`
 * into its context; GrBAL and MB (+ dynamic evaluation) take `steps` SGD steps at `lr`.
 */
export function adaptedLoss(model: DynamicsModel, p: Params, method: MbMethod, past: Batch, future: Batch, lr: number, steps = 1): Scalar {
  const a = adaptedModel(model, p, method, past, lr, steps);
  return model.loss(a.params, future, a.ctx);
}

/** The model a method predicts with after reading `past`: ReBAL's context, else adapted params. */
export function adaptedModel(model: DynamicsModel, p: Params, method: MbMethod, past: Batch, lr: number, steps = 1): { params: Params; ctx: Tensor | null } {
  if (method === 'rebal') return { params: p, ctx: model.windowContext(p, past) };
  return { params: adaptParams(model, p, past, lr, steps), ctx: null };
}

/** A meta-training task sample: M past and K future transitions of one episode. */
export interface Segment {
  past: Batch;
  future: Batch;
}

/**
 * First-order MAML's inner displacement, computed outside the outer tape: the sum of the inner
 * gradients G with theta' = theta - lr * G (lr is a number here).
 */
export function firstOrderDirections(model: DynamicsModel, p: Params, segs: Segment[], h: MetaHyper): Params[] {
  return segs.map((s) =>
    tf.tidy(() => {
      const lr = typeof innerLrOf(p, h) === 'number' ? (innerLrOf(p, h) as number) : (innerLrOf(p, h) as Tensor).dataSync()[0];
      const q = adaptParams(model, p, s.past, lr, h.innerSteps);
      const base = netParams(p);
      return mapParams(q, (t, k) => tf.div(tf.sub(base[k], t), lr));
    }),
  );
}

/**
 * GrBAL's meta-objective: mean over segments of L(theta'_i; future_i) with
 * theta'_i = theta - lr * grad L(theta; past_i) (innerSteps times). Second-order unless
 * `foDirections` (from {@link firstOrderDirections}) is given, then theta'_i = theta - lr * G_i with
 * G_i held constant.
 */
export function grbalObjective(model: DynamicsModel, p: Params, segs: Segment[], h: MetaHyper, foDirections?: Params[]): Scalar {
  const lr = innerLrOf(p, h);
  const losses = segs.map((s, i) => {
    const q = foDirections ? sgdStep(netParams(p), foDirections[i], lr) : adaptParams(model, p, s.past, lr, h.innerSteps);
    return model.loss(q, s.future);
  });
  return tf.div(tf.addN(losses), losses.length) as Scalar;
}

/** ReBAL's segments: batched, time-major [M, B] past and [K, B] future. */
export interface RecurrentSegments {
  past: Batch;
  future: Batch;
  batch: number;
}

/**
 * ReBAL's objective: the encoder reads the M past transitions of each segment into h, the model
 * predicts the K future transitions given h. `mask` [B, 1] (0/1) drops the context of some
 * segments (context dropout) so that the model also predicts sensibly with no context.
 */
export function rebalObjective(model: DynamicsModel, p: Params, s: RecurrentSegments, mask: Tensor | null): Scalar {
  let ctx = model.context(p, s.past.obs, s.past.act, s.past.target, s.batch);
  if (mask) ctx = tf.mul(ctx, mask);
  const O = model.O;
  const A = model.A;
  const fut: Batch = { obs: tf.reshape(s.future.obs, [-1, O]), act: tf.reshape(s.future.act, [-1, A]), target: tf.reshape(s.future.target, [-1, O]) };
  return model.loss(p, fut, ctx);
}

/** Plain model learning: MSE on a minibatch. */
export function mbObjective(model: DynamicsModel, p: Params, b: Batch): Scalar {
  return model.loss(p, b);
}

/** Context-dropout mask [B, 1] drawn from the seeded rng. */
export function dropoutMask(rng: Rng, batch: number, pDrop: number): Tensor {
  const m = new Float32Array(batch);
  for (let i = 0; i < batch; i++) m[i] = rng.uniform() < pDrop ? 0 : 1;
  return tf.tensor2d(m, [batch, 1]);
}

export { subParams };
