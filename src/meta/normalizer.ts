/**
 * Running mean / variance (parallel Welford, float64 on the CPU) for observation, reward and
 * dynamics-delta normalization. State round-trips exactly through getState/setState.
 */
import { tf, type Tensor } from './tf.js';

export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

export class RunningMeanStd {
  readonly size: number;
  mean: Float64Array;
  var: Float64Array;
  count: number;

  constructor(size: number, epsilon = 1e-4) {
    this.size = size;
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
    this.count = epsilon;
  }

  /** Updates from a batch laid out [n, size] (row-major). */
  update(x: ArrayLike<number>, n = x.length / this.size): void {
    if (n <= 0) return;
    const S = this.size;
    const bMean = new Float64Array(S);
    const bVar = new Float64Array(S);
    for (let i = 0; i < n; i++) for (let j = 0; j < S; j++) bMean[j] += x[i * S + j];
    for (let j = 0; j < S; j++) bMean[j] /= n;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < S; j++) {
        const d = x[i * S + j] - bMean[j];
        bVar[j] += d * d;
      }
    for (let j = 0; j < S; j++) bVar[j] /= n;
    const tot = this.count + n;
    for (let j = 0; j < S; j++) {
      const delta = bMean[j] - this.mean[j];
      const m2 = this.var[j] * this.count + bVar[j] * n + (delta * delta * this.count * n) / tot;
      this.mean[j] += (delta * n) / tot;
      this.var[j] = m2 / tot;
    }
    this.count = tot;
  }

  std(eps = 1e-8): Float64Array {
    return this.var.map((v) => Math.sqrt(v + eps));
  }

  /** (x - mean) / sqrt(var + eps), clipped to [-clip, clip]. x laid out [n, size]. */
  normalize(x: ArrayLike<number>, out = new Float32Array(x.length), clip = 10, eps = 1e-8): Float32Array {
    const S = this.size;
    const inv = this.var.map((v) => 1 / Math.sqrt(v + eps));
    for (let i = 0; i < x.length; i++) {
      const j = i % S;
      const z = (x[i] - this.mean[j]) * inv[j];
      out[i] = z > clip ? clip : z < -clip ? -clip : z;
    }
    return out;
  }

  /** x * sqrt(var + eps) + mean. */
  denormalize(z: ArrayLike<number>, out = new Float32Array(z.length), eps = 1e-8): Float32Array {
    const S = this.size;
    for (let i = 0; i < z.length; i++) {
      const j = i % S;
      out[i] = z[i] * Math.sqrt(this.var[j] + eps) + this.mean[j];
    }
    return out;
  }

  /** Mean and std as [size] tensors, for normalizing inside a tensor program. */
  toTensors(eps = 1e-8): { mean: Tensor; std: Tensor } {
    return { mean: tf.tensor1d(Float32Array.from(this.mean)), std: tf.tensor1d(Float32Array.from(this.std(eps))) };
  }

  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  setState(s: RunningMeanStdState): void {
    if (s.mean.length !== this.size) throw new Error(`normalizer size ${this.size} != state size ${s.mean.length}`);
    this.mean = Float64Array.from(s.mean);
    this.var = Float64Array.from(s.var);
    this.count = s.count;
  }

  static fromState(s: RunningMeanStdState): RunningMeanStd {
    const r = new RunningMeanStd(s.mean.length);
    r.setState(s);
    return r;
  }
}
