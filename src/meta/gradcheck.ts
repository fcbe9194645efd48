/**
 * Finite-difference gradient checks for functional networks (first and second order), in
 * float32: central differences with Richardson extrapolation (error O(eps^4)), directional
 * derivatives along random directions so that one check covers all parameters at once.
 */
import { tf, type Scalar } from './tf.js';
import { mapParams, valueAndGrads, disposeParams, type Params } from './params.js';
import { Rng } from './rng.js';

export function randomDirection(p: Params, rng: Rng): Params {
  return mapParams(p, (t) => {
    const d = new Float32Array(t.size);
    rng.fillNormal(d);
    return tf.tensor(d, t.shape, 'float32');
  });
}

function axpy(p: Params, v: Params, eps: number): Params {
  return mapParams(p, (t, k) => tf.add(t, tf.mul(v[k], eps)));
}

function dot(a: Params, b: Params): number {
  return tf.tidy(() => {
    let s = tf.scalar(0);
    for (const k in a) if (b[k]) s = tf.add(s, tf.sum(tf.mul(a[k], b[k])));
    return s.dataSync()[0];
  });
}

/** d/de g(p + e v) at e = 0 by Richardson-extrapolated central differences. */
export function fdDirectional(g: (p: Params) => number, p: Params, v: Params, eps = 1e-2): number {
  const D = (h: number) => {
    const pp = axpy(p, v, h);
    const pm = axpy(p, v, -h);
    const r = (g(pp) - g(pm)) / (2 * h);
    disposeParams(pp);
    disposeParams(pm);
    return r;
  };
  return (4 * D(eps / 2) - D(eps)) / 3;
}

export interface GradCheckResult {
  analytic: number;
  numeric: number;
  relError: number;
}

function result(analytic: number, numeric: number): GradCheckResult {
  return { analytic, numeric, relError: Math.abs(analytic - numeric) / Math.max(1, Math.abs(analytic), Math.abs(numeric)) };
}

/** First order: <grad f(p), v> against d/de f(p + e v). */
export function checkFirstOrder(f: (p: Params) => Scalar, p: Params, rng: Rng, eps = 1e-2): GradCheckResult {
  const v = randomDirection(p, rng);
  const analytic = tf.tidy(() => dot(valueAndGrads(f, p).grads, v));
  const numeric = fdDirectional((q) => tf.tidy(() => f(q).dataSync()[0]), p, v, eps);
  disposeParams(v);
  return result(analytic, numeric);
}

/**
 * Second order: with h(p) = <grad f(p), u>, compares <grad h(p), v> (a Hessian-vector product
 * through the taped gradient) against d/de h(p + e v) computed from first-order gradients.
 */
export function checkSecondOrder(f: (p: Params) => Scalar, p: Params, rng: Rng, eps = 1e-2): GradCheckResult {
  const u = randomDirection(p, rng);
  const v = randomDirection(p, rng);
  const h = (q: Params): Scalar =>
    tf.tidy(() => {
      const { grads } = valueAndGrads(f, q);
      let s = tf.scalar(0);
      for (const k in grads) s = tf.add(s, tf.sum(tf.mul(grads[k], u[k])));
      return s as Scalar;
    });
  const analytic = tf.tidy(() => dot(valueAndGrads(h, p).grads, v));
  const numeric = fdDirectional((q) => tf.tidy(() => h(q).dataSync()[0]), p, v, eps);
  disposeParams(u);
  disposeParams(v);
  return result(analytic, numeric);
}
