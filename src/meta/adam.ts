/**
 * Adam (Kingma & Ba) over functional {@link Params}, with state that round-trips bit-exactly
 * through {@link Adam.getState} / {@link Adam.setState} for checkpoints.
 *
 * `apply(params, grads)` returns NEW param tensors and disposes the old params and moments, so a
 * training loop holds exactly one copy of everything:
 * ```ts
 * const { value, grads } = tf.tidy(() => valueAndGrads(loss, params)); // or inside one tidy
 * params = adam.apply(params, grads); tf.dispose([value, ...Object.values(grads)]);
 * ```
 */
import { tf, type Tensor } from './tf.js';
import { clipByGlobalNorm, paramsFromArrays, paramsToArrays, disposeParams, type NamedArray, type Params } from './params.js';

export interface AdamConfig {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Clip gradients to this global L2 norm before the update (off when undefined). */
  maxGradNorm?: number;
}

export interface AdamState {
  config: Required<Omit<AdamConfig, 'maxGradNorm'>> & { maxGradNorm: number | null };
  t: number;
  m: Record<string, NamedArray>;
  v: Record<string, NamedArray>;
}

export class Adam {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  maxGradNorm: number | undefined;
  t = 0;
  private m: Params = {};
  private v: Params = {};
  /** Global gradient norm before clipping at the last step (when clipping is on). */
  lastGradNorm = NaN;

  constructor(cfg: AdamConfig) {
    this.lr = cfg.lr;
    this.beta1 = cfg.beta1 ?? 0.9;
    this.beta2 = cfg.beta2 ?? 0.999;
    this.eps = cfg.eps ?? 1e-8;
    this.maxGradNorm = cfg.maxGradNorm;
  }

  /** One update. Disposes the old params (unless keepOld) and old moments; grads are not disposed. */
  apply(params: Params, grads: Params, keepOld = false): Params {
    this.t += 1;
    const t = this.t;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = this.lr / (1 - Math.pow(b1, t));
    const sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
    const oldM = this.m;
    const oldV = this.v;
    const out: Params = {};
    const newM: Params = {};
    const newV: Params = {};
    let norm: Tensor | null = null;
    tf.tidy(() => {
      let g = grads;
      if (this.maxGradNorm !== undefined) {
        const c = clipByGlobalNorm(grads, this.maxGradNorm);
        g = c.grads;
        norm = tf.keep(c.norm);
      }
      for (const k in params) {
        const gk = g[k];
        const p = params[k];
        if (!gk) {
          out[k] = tf.keep(tf.clone(p));
          if (oldM[k]) {
            newM[k] = tf.keep(tf.clone(oldM[k]));
            newV[k] = tf.keep(tf.clone(oldV[k]));
          }
          continue;
        }
        const m = oldM[k] ? tf.add(tf.mul(oldM[k], b1), tf.mul(gk, 1 - b1)) : tf.mul(gk, 1 - b1);
        const v = oldV[k] ? tf.add(tf.mul(oldV[k], b2), tf.mul(tf.square(gk), 1 - b2)) : tf.mul(tf.square(gk), 1 - b2);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.eps);
        out[k] = tf.keep(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
        newM[k] = tf.keep(m);
        newV[k] = tf.keep(v);
      }
    });
    if (norm) {
      this.lastGradNorm = (norm as Tensor).dataSync()[0];
      (norm as Tensor).dispose();
    }
    disposeParams(oldM);
    disposeParams(oldV);
    this.m = newM;
    this.v = newV;
    if (!keepOld) disposeParams(params);
    return out;
  }

  getState(): AdamState {
    return {
      config: { lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, maxGradNorm: this.maxGradNorm ?? null },
      t: this.t,
      m: paramsToArrays(this.m),
      v: paramsToArrays(this.v),
    };
  }

  setState(s: AdamState): void {
    this.dispose();
    this.lr = s.config.lr;
    this.maxGradNorm = s.config.maxGradNorm ?? undefined;
    this.t = s.t;
    this.m = paramsFromArrays(s.m);
    this.v = paramsFromArrays(s.v);
  }

  static fromState(s: AdamState): Adam {
    const a = new Adam({ ...s.config, maxGradNorm: s.config.maxGradNorm ?? undefined });
    a.setState(s);
    return a;
  }

  dispose(): void {
    disposeParams(this.m);
    disposeParams(this.v);
    this.m = {};
    this.v = {};
  }
}
