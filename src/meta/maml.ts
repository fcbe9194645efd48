/**
 * MAML building blocks (Finn et al. 2017) over functional params: the inner adaptation
 * theta' = theta - alpha * grad L_support(theta) (k steps), differentiable through (second order)
 * or with the inner gradients stopped (first-order MAML), and the outer meta-gradient.
 *
 * ```ts
 * const { value, grads } = metaGradient(params, tasks.map((t) => ({
 *   support: (p) => loss(p, t.xs, t.ys), query: (p) => loss(p, t.xq, t.yq) })), { innerLr: 1e-3 });
 * params = adam.apply(params, grads);
 * ```
 * Call these inside tf.tidy (metaGradient tidies itself).
 */
import { tf, type Scalar, type Tensor } from './tf.js';
import { stopGradient } from './ops.js';
import { mapParams, valueAndGrads, type Params } from './params.js';

export interface InnerOptions {
  /** Inner SGD step size alpha (GrBAL code: 1e-3... per-task; scalar here). */
  innerLr: number | Tensor;
  /** Number of inner gradient steps (default 1). */
  innerSteps?: number;
  /** First-order MAML: do not differentiate through the inner gradients. */
  firstOrder?: boolean;
  /** Only these param names are adapted (default: all). */
  adapt?: (name: string) => boolean;
}

/** theta' after k inner SGD steps on `support`. Differentiable w.r.t. params (unless firstOrder). */
export function adapt(params: Params, support: (p: Params) => Scalar, o: InnerOptions): Params {
  let p = params;
  for (let s = 0; s < (o.innerSteps ?? 1); s++) {
    const { grads } = valueAndGrads(support, p);
    p = mapParams(p, (t, k) => {
      if (o.adapt && !o.adapt(k)) return t;
      const g = o.firstOrder ? stopGradient(grads[k]) : grads[k];
      return tf.sub(t, tf.mul(g, o.innerLr));
    });
  }
  return p;
}

export interface MetaTask {
  support: (p: Params) => Scalar;
  query: (p: Params) => Scalar;
}

/** Mean over tasks of L_query(adapt(theta, L_support)), and its gradient w.r.t. theta. */
export function metaGradient(params: Params, tasks: MetaTask[], o: InnerOptions): { value: Scalar; grads: Params } {
  return tf.tidy(() =>
    valueAndGrads((p) => {
      const losses = tasks.map((t) => t.query(adapt(p, t.support, o)));
      return tf.div(tf.addN(losses), tasks.length) as Scalar;
    }, params),
  );
}
