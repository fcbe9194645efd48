/**
 * DARC's two domain classifiers (Eysenbach et al. 2021; google-research darc/classifiers.py):
 * q(target | s, a) and q(target | s, a, s'), each two logits (class 0 = source, 1 = target) from
 * an MLP. The (s, a, s') logits are the (s, a) logits plus a second net's output on (s, a, s'), so
 * that net only has to learn what s' adds. Trained together (one Adam) with cross-entropy on
 * balanced batches (as many source as target transitions) whose inputs get Gaussian noise, the
 * official regularizer against overconfident classifiers; dr is read without noise.
 */
import { tf, type Scalar, type Tensor } from '../tf.js';
import { Adam, type AdamState } from '../adam.js';
import { initMlp, mlp, type MlpSpec } from '../nn.js';
import { disposeParams, paramsFromArrays, paramsToArrays, valueAndGrads, type NamedArray, type Params } from '../params.js';
import type { Rng } from '../rng.js';
import type { ReplayBatch } from './replay.js';
import { deltaReward } from './darc-classifier-dr.js';

// dr from logits lives where no TensorFlow is loaded (readers of a run's classifiers use it too)
export { deltaReward };

export interface DomainClassifierConfig {
  /** Hidden layer sizes of both nets (official: one layer of 32 ReLU). */
  hidden: number[];
  /** Std of the Gaussian noise added to the inputs while training (official: 1). */
  inputNoise: number;
  lr: number;
}

export interface ClassifierStats {
  saLoss: number;
  sasLoss: number;
  /** Accuracies on the (noisy) training batch, as the official code logs them. */
  saAccuracy: number;
  sasAccuracy: number;
}

export interface DomainClassifierState {
  params: Record<string, NamedArray>;
  opt: AdamState;
}

/** Rows [obs, action, nextObs] of a batch, the (s, a, s') input. */
function sasRows(b: ReplayBatch, O: number, A: number, out: Float32Array, row0 = 0): void {
  const n = b.rewards.length;
  const W = 2 * O + A;
  for (let k = 0; k < n; k++) {
    const o = (row0 + k) * W;
    out.set(b.obs.subarray(k * O, (k + 1) * O), o);
    out.set(b.actions.subarray(k * A, (k + 1) * A), o + O);
    out.set(b.nextObs.subarray(k * O, (k + 1) * O), o + O + A);
  }
}

export class DomainClassifiers {
  readonly saSpec: MlpSpec;
  readonly sasSpec: MlpSpec;
  params: Params;
  readonly opt: Adam;

  constructor(
    readonly observationSize: number,
    readonly actionSize: number,
    readonly config: DomainClassifierConfig,
    initRng: Rng,
  ) {
    const O = observationSize;
    const A = actionSize;
    this.saSpec = { sizes: [O + A, ...config.hidden, 2], activation: 'relu' };
    this.sasSpec = { sizes: [2 * O + A, ...config.hidden, 2], activation: 'relu' };
    // Keras Dense's default initialization (Glorot uniform, zero bias), as the official nets
    this.params = { ...initMlp(initRng, this.saSpec, 'sa.', { scheme: 'glorot' }), ...initMlp(initRng, this.sasSpec, 'sas.', { scheme: 'glorot' }) };
    this.opt = new Adam({ lr: config.lr });
  }

  /** (s, a) and (s, a, s') logits [n, 2] of sas inputs x [n, 2O + A], noise added to each net's input when given. */
  logits(p: Params, x: Tensor, noise?: { sa: Tensor; sas: Tensor }): { sa: Tensor; sas: Tensor } {
    let sa = tf.slice(x, [0, 0], [-1, this.observationSize + this.actionSize]);
    let sas = x;
    if (noise) {
      sa = tf.add(sa, noise.sa);
      sas = tf.add(sas, noise.sas);
    }
    const saLogits = mlp(p, sa, this.saSpec, 'sa.');
    return { sa: saLogits, sas: tf.add(saLogits, mlp(p, sas, this.sasSpec, 'sas.')) };
  }

  /** Both nets' logits (no noise) for a batch of transitions, on the CPU. */
  logitsOf(b: ReplayBatch): { sa: Float32Array; sas: Float32Array } {
    const O = this.observationSize;
    const A = this.actionSize;
    const n = b.rewards.length;
    const x = new Float32Array(n * (2 * O + A));
    sasRows(b, O, A, x);
    const [sa, sas] = tf.tidy(() => {
      const l = this.logits(this.params, tf.tensor2d(x, [n, 2 * O + A]));
      return [l.sa, l.sas];
    });
    const out = { sa: (sa.dataSync() as Float32Array).slice(), sas: (sas.dataSync() as Float32Array).slice() };
    tf.dispose([sa, sas]);
    return out;
  }

  /** dr of each transition of a batch with the current classifiers. */
  deltaReward(b: ReplayBatch): Float32Array {
    const l = this.logitsOf(b);
    return deltaReward(l.sa, l.sas);
  }

  /** One Adam step on sa + sas cross-entropy over a source batch (label 0) and a target batch (label 1) of one size. */
  train(source: ReplayBatch, target: ReplayBatch, rng: Rng): ClassifierStats {
    const O = this.observationSize;
    const A = this.actionSize;
    const B = source.rewards.length;
    if (target.rewards.length !== B) throw new Error(`classifier batches must be balanced: ${B} source, ${target.rewards.length} target`);
    const n = 2 * B;
    const W = 2 * O + A;
    const x = new Float32Array(n * W);
    sasRows(source, O, A, x, 0);
    sasRows(target, O, A, x, B);
    const y = new Float32Array(n * 2);
    for (let k = 0; k < n; k++) y[2 * k + (k < B ? 0 : 1)] = 1;
    const std = this.config.inputNoise;
    const noiseSa = std > 0 ? rng.fillNormal(new Float32Array(n * (O + A)), 0, std) : null;
    const noiseSas = std > 0 ? rng.fillNormal(new Float32Array(n * W), 0, std) : null;
    const out = tf.tidy(() => {
      const xt = tf.tensor2d(x, [n, W]);
      const yt = tf.tensor2d(y, [n, 2]);
      const noise = noiseSa && noiseSas ? { sa: tf.tensor2d(noiseSa, [n, O + A]), sas: tf.tensor2d(noiseSas, [n, W]) } : undefined;
      const ce = (logits: Tensor) => tf.neg(tf.mean(tf.sum(tf.mul(yt, tf.logSoftmax(logits)), -1))) as Scalar;
      let parts: Tensor[] = [];
      const { value, grads } = valueAndGrads((p) => {
        const l = this.logits(p, xt, noise);
        const saLoss = ce(l.sa);
        const sasLoss = ce(l.sas);
        parts = [saLoss, sasLoss, l.sa, l.sas].map((t) => tf.keep(t));
        return tf.add(saLoss, sasLoss) as Scalar;
      }, this.params);
      return { value, grads, parts };
    });
    this.params = this.opt.apply(this.params, out.grads);
    const [saLoss, sasLoss] = out.parts.slice(0, 2).map((t) => t.dataSync()[0]);
    const accuracy = (t: Tensor) => {
      const l = t.dataSync();
      let right = 0;
      for (let k = 0; k < n; k++) if (l[2 * k + 1] > l[2 * k] === k >= B) right++;
      return right / n;
    };
    const stats = { saLoss, sasLoss, saAccuracy: accuracy(out.parts[2]), sasAccuracy: accuracy(out.parts[3]) };
    tf.dispose([out.value, ...out.parts, ...Object.values(out.grads)]);
    return stats;
  }

  getState(): DomainClassifierState {
    return { params: paramsToArrays(this.params), opt: this.opt.getState() };
  }

  setState(s: DomainClassifierState): void {
    disposeParams(this.params);
    this.params = paramsFromArrays(s.params);
    this.opt.setState(s.opt);
  }

  dispose(): void {
    disposeParams(this.params);
    this.opt.dispose();
  }
}
