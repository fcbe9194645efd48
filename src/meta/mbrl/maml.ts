/**
 * GrBAL's meta-objective for MLP dynamics, batched over the meta-batch: the inner gradient of each
 * segment's loss is written out as tensor ops (manual backprop through the MLP, batched over
 * segments with per-segment weights [B, in, out]), so ONE first-order tape over this expression
 * yields the exact second-order MAML gradient, with an op count independent of the meta-batch.
 * It computes the same value and gradient as the generic {@link grbalObjective} (nested
 * `valueAndGrads` through the core's layers; see maml.test.ts), several times faster.
 */
import { tf, type Scalar, type Tensor } from '../tf.js';
import { heaviside, matmul, relu, tanh } from '../ops.js';
import { mapParams, type Params } from '../params.js';
import { innerLrOf, netParams, type MetaHyper } from './algos.js';
import type { Batch, DynamicsModel } from './model.js';

/** Activations the batched path knows the derivative of. */
export function batchedSupported(model: DynamicsModel): boolean {
  return !model.spec.recurrent && (model.spec.activation === 'relu' || model.spec.activation === 'tanh');
}

/** x [B, n, in] times W [in, out] (shared) or [B, in, out] (per segment), plus b [out] or [B, out]. */
function affine(x: Tensor, W: Tensor, b: Tensor): Tensor {
  const y = W.rank === 2 ? matmul(x, W) : tf.matMul(x as tf.Tensor3D, W as tf.Tensor3D);
  return tf.add(y, b.rank === 1 ? b : tf.expandDims(b, 1));
}

interface Layers {
  W: Tensor[];
  b: Tensor[];
}

function layersOf(p: Params, n: number): Layers {
  const W: Tensor[] = [];
  const b: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    W.push(p[`dyn.l${i}.W`]);
    b.push(p[`dyn.l${i}.b`]);
  }
  return { W, b };
}

/** Forward keeping pre-activations; returns [xs (layer inputs), zs (pre-activations)]. */
function forward(model: DynamicsModel, L: Layers, x0: Tensor): { xs: Tensor[]; zs: Tensor[] } {
  const act = model.spec.activation === 'relu' ? relu : tanh;
  const n = L.W.length;
  const xs = [x0];
  const zs: Tensor[] = [];
  let x = x0;
  for (let i = 0; i < n; i++) {
    const z = affine(x, L.W[i], L.b[i]);
    zs.push(z);
    if (i + 1 < n) {
      x = act(z);
      xs.push(x);
    }
  }
  return { xs, zs };
}

/** Per-segment gradients of each segment's mean squared error, batched: gW [B, in, out], gb [B, out]. */
function segmentGrads(model: DynamicsModel, L: Layers, x0: Tensor, target: Tensor): Layers {
  const { xs, zs } = forward(model, L, x0);
  const n = L.W.length;
  const [, rows, O] = target.shape as number[];
  let delta = tf.mul(tf.sub(zs[n - 1], target), 2 / (rows * O)); // [B, rows, out]
  const gW: Tensor[] = new Array(n);
  const gb: Tensor[] = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    gW[i] = tf.matMul(xs[i] as tf.Tensor3D, delta as tf.Tensor3D, true, false);
    gb[i] = tf.sum(delta, 1);
    if (i > 0) {
      const Wt = L.W[i].rank === 2 ? tf.transpose(L.W[i]) : tf.transpose(L.W[i], [0, 2, 1]);
      const back = Wt.rank === 2 ? matmul(delta, Wt) : tf.matMul(delta as tf.Tensor3D, Wt as tf.Tensor3D);
      const dact = model.spec.activation === 'relu' ? heaviside(zs[i - 1]) : tf.sub(1, tf.square(xs[i]));
      delta = tf.mul(back, dact);
    }
  }
  return { W: gW, b: gb };
}

/** Segment-major batches [B, M, ...] and [B, K, ...]. */
export interface BatchedSegments {
  past: Batch;
  future: Batch;
}

function step(L: Layers, g: Layers, lr: number | Tensor): Layers {
  return { W: L.W.map((w, i) => tf.sub(w, tf.mul(g.W[i], lr))), b: L.b.map((b, i) => tf.sub(b, tf.mul(g.b[i], lr))) };
}

/**
 * Mean over segments of L(theta'_b; future_b), theta'_b after `innerSteps` SGD steps on past_b.
 * `foGrads`, when given (first-order MAML), replaces the inner gradients by constants.
 */
export function grbalObjectiveBatched(model: DynamicsModel, p: Params, s: BatchedSegments, h: MetaHyper, foGrads?: Layers): Scalar {
  const n = model.spec.hidden.length + 1;
  const lr = innerLrOf(p, h);
  let L = layersOf(p, n);
  const xPast = model.features(s.past.obs, s.past.act);
  if (foGrads) L = step(L, foGrads, lr);
  else for (let k = 0; k < h.innerSteps; k++) L = step(L, segmentGrads(model, L, xPast, s.past.target), lr);
  const { zs } = forward(model, L, model.features(s.future.obs, s.future.act));
  return tf.mean(tf.square(tf.sub(zs[n - 1], s.future.target))) as Scalar;
}

/** First-order MAML's summed inner gradients G_b (constants), so that theta'_b = theta - lr G_b. */
export function firstOrderGradsBatched(model: DynamicsModel, p: Params, s: BatchedSegments, h: MetaHyper): Layers {
  return tf.tidy(() => {
    const n = model.spec.hidden.length + 1;
    const lrv = innerLrOf(p, h);
    const lr = typeof lrv === 'number' ? lrv : lrv.dataSync()[0];
    const L0 = layersOf(netParams(p), n);
    let L = L0;
    const xPast = model.features(s.past.obs, s.past.act);
    const sum: Layers = { W: L0.W.map(() => tf.scalar(0)), b: L0.b.map(() => tf.scalar(0)) };
    for (let k = 0; k < h.innerSteps; k++) {
      const g = segmentGrads(model, L, xPast, s.past.target);
      sum.W = sum.W.map((t, i) => tf.add(t, g.W[i]));
      sum.b = sum.b.map((t, i) => tf.add(t, g.b[i]));
      L = step(L, g, lr);
    }
    return sum as unknown as tf.TensorContainer;
  }) as unknown as Layers;
}

export function disposeLayers(l: Layers): void {
  tf.dispose([...l.W, ...l.b]);
}

export { mapParams };
