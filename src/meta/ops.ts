/**
 * Differentiable primitives with gradients that are themselves differentiable (any order), and
 * fast on the wasm backend.
 *
 * - {@link matmul}: 2-D matMul whose gradient uses explicit transposes instead of matMul's
 *   transpose flags (wasm's transposed matMul is 10–30x slower; see bench/learning.ts).
 * - Activations {@link tanh}, {@link sigmoid}, {@link exp}, {@link elu}, {@link relu},
 *   {@link softplus}: tfjs's own gradients of tanh/sigmoid/exp/elu reuse the op's output in a way
 *   the tape cannot differentiate again, so second-order gradients (MAML) fail. Each gradient here
 *   is written in terms of these same functions (recursively), so every order is taped.
 */
import { tf, type Tensor } from './tf.js';

type Save = (tensors: Tensor[]) => void;
type GradFn = (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[];
type CGF = Parameters<typeof tf.customGrad>[0];

const engineState = (tf.engine() as unknown as { state: { gradientDepth: number } }).state;

/**
 * True while a gradient tape records (inside tf.grads & co., including the backward pass of a
 * nested gradient). Outside, the custom-gradient wrappers are skipped: plain ops are faster for
 * inference and for the outermost backward pass, and nothing records them anyway.
 */
export function isTaping(): boolean {
  return engineState.gradientDepth > 0;
}

function unary(forward: (x: Tensor) => Tensor, grad: (dy: Tensor, x: Tensor) => Tensor): (x: Tensor) => Tensor {
  const f = tf.customGrad(((x: Tensor, save: Save) => {
    save([x]);
    return { value: forward(x), gradFunc: ((dy: Tensor, saved: Tensor[]) => grad(dy, saved[0])) as GradFn };
  }) as unknown as CGF);
  return (x: Tensor) => (isTaping() ? (f(x) as Tensor) : forward(x));
}

/** tanh; d/dx = 1 - tanh(x)^2. */
export const tanh: (x: Tensor) => Tensor = unary(
  (x) => tf.tanh(x),
  (dy, x) => tf.mul(dy, tf.sub(1, tf.square(tanh(x)))),
);

/** Logistic sigmoid; d/dx = s(x)(1 - s(x)). */
export const sigmoid: (x: Tensor) => Tensor = unary(
  (x) => tf.sigmoid(x),
  (dy, x) => {
    const s = sigmoid(x);
    return tf.mul(dy, tf.mul(s, tf.sub(1, s)));
  },
);

/** exp; d/dx = exp(x). */
export const exp: (x: Tensor) => Tensor = unary(
  (x) => tf.exp(x),
  (dy, x) => tf.mul(dy, exp(x)),
);

/**
 * Heaviside step (x > 0 ? 1 : 0) with a zero gradient that stays connected to x on the tape, so
 * higher-order gradients through piecewise-linear functions give zeros instead of
 * "Cannot compute gradient" errors.
 */
export const heaviside: (x: Tensor) => Tensor = unary(
  (x) => tf.step(x, 0),
  (dy, x) => tf.mul(dy, tf.zerosLike(x)),
);

/** ReLU; d/dx = heaviside(x) (second derivative 0 almost everywhere). */
export const relu: (x: Tensor) => Tensor = unary(
  (x) => tf.relu(x),
  (dy, x) => tf.mul(dy, heaviside(x)),
);

/** ELU (alpha = 1): x > 0 ? x : exp(x) - 1; d/dx = x > 0 ? 1 : exp(x). */
export const elu: (x: Tensor) => Tensor = unary(
  (x) => tf.elu(x),
  // exp(min(x, 0)) = exp(x - relu(x)) equals exp(x) where used and never overflows where it is not:
  // d/dx = m + (1 - m) exp(min(x, 0)) with m = heaviside(x).
  (dy, x) => {
    const m = heaviside(x);
    return tf.mul(dy, tf.add(m, tf.mul(tf.sub(1, m), exp(tf.sub(x, relu(x))))));
  },
);

/** softplus = log(1 + exp(x)) (stable); d/dx = sigmoid(x). */
export const softplus: (x: Tensor) => Tensor = unary(
  (x) => tf.softplus(x),
  (dy, x) => tf.mul(dy, sigmoid(x)),
);

/**
 * Identity in the forward pass, zero gradient (tf.stop_gradient). First-order MAML uses it on the
 * inner gradients.
 */
export const stopGradient: (x: Tensor) => Tensor = (() => {
  const f = tf.customGrad(((x: Tensor) => ({
    value: tf.clone(x),
    gradFunc: ((dy: Tensor) => tf.zerosLike(dy)) as GradFn,
  })) as unknown as CGF);
  return (x: Tensor) => (isTaping() ? (f(x) as Tensor) : tf.clone(x));
})();

/** Identity. */
export const linear = (x: Tensor): Tensor => x;

export const activations = { tanh, sigmoid, exp, elu, relu, softplus, linear } as const;
export type ActivationName = keyof typeof activations;

export function activation(name: ActivationName): (x: Tensor) => Tensor {
  const f = activations[name];
  if (!f) throw new Error(`unknown activation '${name}'`);
  return f;
}

const matmul2d = tf.customGrad(((a: Tensor, b: Tensor, save: Save) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: ((dy: Tensor, saved: Tensor[]) => {
      const [sa, sb] = saved;
      return [matmul(dy, tf.transpose(sb)), matmul(tf.transpose(sa), dy)];
    }) as GradFn,
  };
}) as unknown as CGF);

/**
 * a @ b for a [..., k] (rank >= 2; leading dims are flattened) and b [k, n]. Gradients use
 * explicit transposes and are differentiable to any order.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (b.rank !== 2) throw new Error(`matmul: b must be 2-D, got shape [${b.shape}]`);
  const mm = isTaping() ? (x: Tensor, y: Tensor) => matmul2d(x, y) as Tensor : (x: Tensor, y: Tensor) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D);
  if (a.rank === 2) return mm(a, b);
  const lead = a.shape.slice(0, -1) as number[];
  const k = a.shape[a.rank - 1];
  const y = mm(tf.reshape(a, [-1, k]), b);
  return tf.reshape(y, [...lead, b.shape[1] as number]);
}

/** x @ W + b (b optional), x [..., in], W [in, out], b [out]. */
export function dense(x: Tensor, W: Tensor, b?: Tensor): Tensor {
  const y = matmul(x, W);
  return b ? tf.add(y, b) : y;
}
