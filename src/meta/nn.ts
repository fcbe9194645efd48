/**
 * Functional networks: initializers (seeded by ./rng.ts), MLP, GRU, LSTM, diagonal Gaussian.
 * Each network is `init*(rng, ...) -> Params` plus a pure function `(params, inputs) -> outputs`.
 * All gradients (any order) go through ./ops.ts, so MAML through these layers works.
 */
import { tf, type Tensor } from './tf.js';
import { activation, dense, matmul, sigmoid, tanh, exp, type ActivationName } from './ops.js';
import type { Params } from './params.js';
import type { Rng } from './rng.js';

export type InitScheme = 'orthogonal' | 'glorot' | 'he';

/** Orthogonal [rows, cols] matrix times gain (modified Gram-Schmidt on a Gaussian matrix). */
export function orthogonal(rng: Rng, rows: number, cols: number, gain = 1): Float32Array {
  const n = Math.max(rows, cols);
  const m = Math.min(rows, cols);
  // m orthonormal vectors of length n
  const q = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const v = q.subarray(i * n, (i + 1) * n);
    for (;;) {
      for (let j = 0; j < n; j++) v[j] = rng.normal();
      for (let r = 0; r < 2; r++) {
        for (let k = 0; k < i; k++) {
          const u = q.subarray(k * n, (k + 1) * n);
          let d = 0;
          for (let j = 0; j < n; j++) d += u[j] * v[j];
          for (let j = 0; j < n; j++) v[j] -= d * u[j];
        }
      }
      let norm = 0;
      for (let j = 0; j < n; j++) norm += v[j] * v[j];
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        for (let j = 0; j < n; j++) v[j] /= norm;
        break;
      }
    }
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[c * n + r] : q[r * n + c]);
  return out;
}

/** Weight matrix [fanIn, fanOut] as Float32Array. */
export function initWeights(rng: Rng, fanIn: number, fanOut: number, scheme: InitScheme = 'glorot', gain = 1): Float32Array {
  if (scheme === 'orthogonal') return orthogonal(rng, fanIn, fanOut, gain);
  const out = new Float32Array(fanIn * fanOut);
  if (scheme === 'glorot') {
    const lim = gain * Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < out.length; i++) out[i] = rng.range(-lim, lim);
  } else {
    const std = gain * Math.sqrt(2 / fanIn);
    for (let i = 0; i < out.length; i++) out[i] = std * rng.normal();
  }
  return out;
}

export interface DenseInit {
  scheme?: InitScheme;
  gain?: number;
  bias?: number;
}

export function initDense(rng: Rng, fanIn: number, fanOut: number, name: string, o: DenseInit = {}): Params {
  const W = tf.tensor2d(initWeights(rng, fanIn, fanOut, o.scheme ?? 'glorot', o.gain ?? 1), [fanIn, fanOut]);
  const b = tf.fill([fanOut], o.bias ?? 0);
  return { [`${name}.W`]: W, [`${name}.b`]: b };
}

// ---------------------------------------------------------------------------------------------
// MLP

export interface MlpSpec {
  /** Layer sizes including input and output, e.g. [45, 512, 512, 27]. */
  sizes: number[];
  /** Hidden activation (default tanh). */
  activation?: ActivationName;
  /** Output activation (default linear). */
  outputActivation?: ActivationName;
}

export interface MlpInit {
  scheme?: InitScheme;
  /** Gain of hidden layers (default sqrt(2) for orthogonal, 1 otherwise). */
  gain?: number;
  /** Gain of the last layer (default same as hidden). */
  outputGain?: number;
}

/** Params named `${prefix}l0.W`, `${prefix}l0.b`, ... */
export function initMlp(rng: Rng, spec: MlpSpec, prefix = '', o: MlpInit = {}): Params {
  const scheme = o.scheme ?? 'glorot';
  const gain = o.gain ?? (scheme === 'orthogonal' ? Math.SQRT2 : 1);
  let p: Params = {};
  for (let i = 0; i + 1 < spec.sizes.length; i++) {
    const last = i + 2 === spec.sizes.length;
    p = { ...p, ...initDense(rng, spec.sizes[i], spec.sizes[i + 1], `${prefix}l${i}`, { scheme, gain: last ? (o.outputGain ?? gain) : gain }) };
  }
  return p;
}

/** MLP forward. x [..., sizes[0]] -> [..., sizes[last]]. */
export function mlp(p: Params, x: Tensor, spec: MlpSpec, prefix = ''): Tensor {
  const act = activation(spec.activation ?? 'tanh');
  const outAct = activation(spec.outputActivation ?? 'linear');
  const n = spec.sizes.length - 1;
  let h = x;
  for (let i = 0; i < n; i++) {
    const W = p[`${prefix}l${i}.W`];
    const b = p[`${prefix}l${i}.b`];
    if (!W) throw new Error(`mlp: missing param ${prefix}l${i}.W`);
    h = dense(h, W, b);
    h = i + 1 < n ? act(h) : outAct(h);
  }
  return h;
}

/** FLOPs of one forward pass of an MLP at a batch size (2 per multiply-add). */
export function mlpFlops(sizes: number[], batch: number): number {
  let f = 0;
  for (let i = 0; i + 1 < sizes.length; i++) f += 2 * sizes[i] * sizes[i + 1];
  return f * batch;
}

// ---------------------------------------------------------------------------------------------
// GRU (PyTorch gate layout r, z, n)

export function initGru(rng: Rng, inputSize: number, hiddenSize: number, prefix = 'gru.'): Params {
  const H = hiddenSize;
  const W = new Float32Array(inputSize * 3 * H);
  const U = new Float32Array(H * 3 * H);
  for (let g = 0; g < 3; g++) {
    const wg = initWeights(rng, inputSize, H, 'glorot');
    const ug = orthogonal(rng, H, H);
    for (let i = 0; i < inputSize; i++) for (let j = 0; j < H; j++) W[i * 3 * H + g * H + j] = wg[i * H + j];
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) U[i * 3 * H + g * H + j] = ug[i * H + j];
  }
  return {
    [`${prefix}W`]: tf.tensor2d(W, [inputSize, 3 * H]),
    [`${prefix}U`]: tf.tensor2d(U, [H, 3 * H]),
    [`${prefix}b`]: tf.zeros([3 * H]),
    [`${prefix}bh`]: tf.zeros([3 * H]),
  };
}

/** One GRU step from precomputed input projection xw = x W + b ([B, 3H]). */
function gruStep(p: Params, xw: Tensor, h: Tensor, prefix: string): Tensor {
  const H = h.shape[h.rank - 1] as number;
  const hu = dense(h, p[`${prefix}U`], p[`${prefix}bh`]);
  const [xr, xz, xn] = tf.split(xw, [H, H, H], -1);
  const [hr, hz, hn] = tf.split(hu, [H, H, H], -1);
  const r = sigmoid(tf.add(xr, hr));
  const z = sigmoid(tf.add(xz, hz));
  const n = tanh(tf.add(xn, tf.mul(r, hn)));
  // h' = (1 - z) * n + z * h = n + z * (h - n)
  return tf.add(n, tf.mul(z, tf.sub(h, n)));
}

/** One GRU step: x [B, in], h [B, H] -> h' [B, H]. */
export function gruCell(p: Params, x: Tensor, h: Tensor, prefix = 'gru.'): Tensor {
  return gruStep(p, dense(x, p[`${prefix}W`], p[`${prefix}b`]), h, prefix);
}

/** GRU over a sequence: xs [T, B, in], h0 [B, H] -> outputs [T, B, H] and the last h. */
export function gruSequence(p: Params, xs: Tensor, h0: Tensor, prefix = 'gru.'): { outputs: Tensor; h: Tensor } {
  const xw = dense(xs, p[`${prefix}W`], p[`${prefix}b`]); // [T, B, 3H] in one matmul
  const steps = tf.unstack(xw, 0);
  const outs: Tensor[] = [];
  let h = h0;
  for (const x of steps) {
    h = gruStep(p, x, h, prefix);
    outs.push(h);
  }
  return { outputs: tf.stack(outs, 0), h };
}

// ---------------------------------------------------------------------------------------------
// LSTM (gate layout i, f, g, o; forget bias 1)

export function initLstm(rng: Rng, inputSize: number, hiddenSize: number, prefix = 'lstm.'): Params {
  const H = hiddenSize;
  const W = new Float32Array(inputSize * 4 * H);
  const U = new Float32Array(H * 4 * H);
  const b = new Float32Array(4 * H);
  for (let g = 0; g < 4; g++) {
    const wg = initWeights(rng, inputSize, H, 'glorot');
    const ug = orthogonal(rng, H, H);
    for (let i = 0; i < inputSize; i++) for (let j = 0; j < H; j++) W[i * 4 * H + g * H + j] = wg[i * H + j];
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) U[i * 4 * H + g * H + j] = ug[i * H + j];
  }
  for (let j = 0; j < H; j++) b[H + j] = 1;
  return {
    [`${prefix}W`]: tf.tensor2d(W, [inputSize, 4 * H]),
    [`${prefix}U`]: tf.tensor2d(U, [H, 4 * H]),
    [`${prefix}b`]: tf.tensor1d(b),
  };
}

export interface LstmState {
  h: Tensor;
  c: Tensor;
}

function lstmStep(p: Params, xw: Tensor, s: LstmState, prefix: string): LstmState {
  const H = s.h.shape[s.h.rank - 1] as number;
  const gates = tf.add(xw, matmul(s.h, p[`${prefix}U`]));
  const [gi, gf, gg, go] = tf.split(gates, [H, H, H, H], -1);
  const c = tf.add(tf.mul(sigmoid(gf), s.c), tf.mul(sigmoid(gi), tanh(gg)));
  const h = tf.mul(sigmoid(go), tanh(c));
  return { h, c };
}

/** One LSTM step: x [B, in], state {h, c} [B, H]. */
export function lstmCell(p: Params, x: Tensor, s: LstmState, prefix = 'lstm.'): LstmState {
  return lstmStep(p, dense(x, p[`${prefix}W`], p[`${prefix}b`]), s, prefix);
}

/** LSTM over a sequence: xs [T, B, in] -> outputs [T, B, H] and the last state. */
export function lstmSequence(p: Params, xs: Tensor, s0: LstmState, prefix = 'lstm.'): { outputs: Tensor; state: LstmState } {
  const xw = dense(xs, p[`${prefix}W`], p[`${prefix}b`]);
  const steps = tf.unstack(xw, 0);
  const outs: Tensor[] = [];
  let s = s0;
  for (const x of steps) {
    s = lstmStep(p, x, s, prefix);
    outs.push(s.h);
  }
  return { outputs: tf.stack(outs, 0), state: s };
}

// ---------------------------------------------------------------------------------------------
// Diagonal Gaussian

const LOG_2PI = Math.log(2 * Math.PI);

/** log N(a; mean, exp(logStd)^2) summed over the last axis. a, mean [B, A]; logStd [A] or [B, A]. */
export function gaussianLogProb(a: Tensor, mean: Tensor, logStd: Tensor): Tensor {
  const z = tf.mul(tf.sub(a, mean), exp(tf.neg(logStd)));
  const per = tf.add(tf.mul(tf.square(z), -0.5), tf.sub(tf.neg(logStd), 0.5 * LOG_2PI));
  return tf.sum(per, -1);
}

/** Entropy of the diagonal Gaussian, summed over the last axis. */
export function gaussianEntropy(logStd: Tensor): Tensor {
  return tf.sum(tf.add(logStd, 0.5 * (1 + LOG_2PI)), -1);
}

/** Samples mean + exp(logStd) * eps with eps from the seeded rng (on CPU, reproducible). */
export function gaussianSample(mean: Float32Array, logStd: Float32Array, rng: Rng, out = new Float32Array(mean.length)): Float32Array {
  const A = logStd.length;
  for (let i = 0; i < mean.length; i++) out[i] = mean[i] + Math.exp(logStd[i % A]) * rng.normal();
  return out;
}

/** Same log-prob on CPU, float64 (used when acting). */
export function gaussianLogProbCpu(a: Float32Array, mean: Float32Array, logStd: Float32Array, batch: number): Float32Array {
  const A = logStd.length;
  const out = new Float32Array(batch);
  for (let b = 0; b < batch; b++) {
    let s = 0;
    for (let j = 0; j < A; j++) {
      const z = (a[b * A + j] - mean[b * A + j]) / Math.exp(logStd[j]);
      s += -0.5 * z * z - logStd[j] - 0.5 * LOG_2PI;
    }
    out[b] = s;
  }
  return out;
}
