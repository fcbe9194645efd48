/**
 * Functional parameters: a `Params` is a plain record of named tensors passed explicitly to the
 * network functions, so that MAML's theta' = theta - alpha * grad can be formed and differentiated
 * through. Key order (insertion order) is the canonical order for gradients and checkpoints.
 */
import { tf, type Tensor, type Scalar } from './tf.js';

export type Params = Record<string, Tensor>;

/** Serializable form of a tensor: shape, dtype and the raw float32 values. */
export interface NamedArray {
  shape: number[];
  dtype: 'float32';
  data: Float32Array;
}

export function paramNames(p: Params): string[] {
  return Object.keys(p);
}

export function paramCount(p: Params): number {
  let n = 0;
  for (const k in p) n += p[k].size;
  return n;
}

export function disposeParams(p: Params | null | undefined): void {
  if (!p) return;
  for (const k in p) p[k].dispose();
}

/** Deep copy (new tensors). */
export function cloneParams(p: Params): Params {
  const out: Params = {};
  for (const k in p) out[k] = tf.clone(p[k]);
  return out;
}

/** Keeps every tensor of `p` from being disposed by the enclosing tf.tidy. */
export function keepParams<P extends Params>(p: P): P {
  for (const k in p) tf.keep(p[k]);
  return p;
}

export function mapParams(p: Params, f: (t: Tensor, name: string) => Tensor): Params {
  const out: Params = {};
  for (const k in p) out[k] = f(p[k], k);
  return out;
}

/** Merges several param records (later keys win). */
export function mergeParams(...ps: Params[]): Params {
  return Object.assign({}, ...ps);
}

/** Selects the params whose names start with `prefix`. */
export function subParams(p: Params, prefix: string): Params {
  const out: Params = {};
  for (const k in p) if (k.startsWith(prefix)) out[k] = p[k];
  return out;
}

/**
 * Value and gradients of a scalar function of the params. Works nested inside another gradient
 * computation (the returned grads are taped), which is what second-order MAML needs.
 */
export function valueAndGrads(f: (p: Params) => Scalar, p: Params): { value: Scalar; grads: Params } {
  const names = Object.keys(p);
  const g = tf.valueAndGrads((...ts: Tensor[]) => {
    const q: Params = {};
    names.forEach((n, i) => (q[n] = ts[i]));
    return f(q);
  });
  const { value, grads } = g(names.map((n) => p[n]));
  const out: Params = {};
  names.forEach((n, i) => (out[n] = grads[i]));
  return { value, grads: out };
}

/** theta - lr * grads (differentiable; new tensors). MAML's inner update. */
export function sgdStep(p: Params, grads: Params, lr: number | Tensor): Params {
  return mapParams(p, (t, k) => (grads[k] ? tf.sub(t, tf.mul(grads[k], lr)) : t));
}

/** Global L2 norm over all gradient tensors. */
export function globalNorm(grads: Params): Scalar {
  return tf.tidy(() => {
    const parts = Object.keys(grads).map((k) => tf.sum(tf.square(grads[k])));
    return tf.sqrt(tf.addN(parts)) as Scalar;
  });
}

/** Scales grads so their global norm is at most maxNorm. Returns new tensors and the pre-clip norm. */
export function clipByGlobalNorm(grads: Params, maxNorm: number): { grads: Params; norm: Scalar } {
  const norm = globalNorm(grads);
  const scale = tf.tidy(() => tf.div(maxNorm, tf.maximum(norm, maxNorm)));
  const out = mapParams(grads, (g) => tf.mul(g, scale));
  scale.dispose();
  return { grads: out, norm };
}

/** Reads params to CPU (sync). */
export function paramsToArrays(p: Params): Record<string, NamedArray> {
  const out: Record<string, NamedArray> = {};
  for (const k in p) {
    const t = p[k];
    out[k] = { shape: t.shape.slice(), dtype: 'float32', data: Float32Array.from(t.dataSync() as Float32Array) };
  }
  return out;
}

export function paramsFromArrays(a: Record<string, NamedArray>): Params {
  const out: Params = {};
  for (const k in a) out[k] = tf.tensor(a[k].data, a[k].shape, 'float32');
  return out;
}

// Kept here for existing importers; the functions live where no TensorFlow is loaded.
export { base64ToF32, f32ToBase64 } from './f32.js';
import { base64ToF32, f32ToBase64 } from './f32.js';

export interface EncodedArray {
  shape: number[];
  dtype: 'float32';
  b64: string;
}

export function encodeArrays(a: Record<string, NamedArray>): Record<string, EncodedArray> {
  const out: Record<string, EncodedArray> = {};
  for (const k in a) out[k] = { shape: a[k].shape, dtype: 'float32', b64: f32ToBase64(a[k].data) };
  return out;
}

export function decodeArrays(a: Record<string, EncodedArray>): Record<string, NamedArray> {
  const out: Record<string, NamedArray> = {};
  for (const k in a) out[k] = { shape: a[k].shape, dtype: 'float32', data: base64ToF32(a[k].b64) };
  return out;
}
