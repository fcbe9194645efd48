/**
 * Dynamics models for model-based (meta-)RL, as pure functions of explicit {@link Params} so that
 * MAML can differentiate through an inner gradient step (GrBAL), and a recurrent variant that reads
 * recent transitions into a context (ReBAL).
 *
 * The model predicts NORMALIZED state deltas: z = f_theta(norm(s_in), norm(a)[, h]) and
 * s' = s + z * std_delta + mean_delta. The loss is the mean squared error in that normalized
 * space, which is also the prediction error reported everywhere (scale-free, per dimension).
 */
import { tf, type Tensor, type Scalar } from '../tf.js';
import { initMlp, mlp, initGru, initLstm, gruSequence, lstmSequence } from '../nn.js';
import type { ActivationName } from '../ops.js';
import { paramsFromArrays, paramsToArrays, type NamedArray, type Params } from '../params.js';
import type { Rng } from '../rng.js';
import type { TransitionData } from './data.js';
import { HeadingFrame, type FrameRotation, type YawFrame } from './frame.js';

export interface DynamicsSpec {
  observationSize: number;
  actionSize: number;
  /** Observation dims the model reads (the others, e.g. absolute x, y, are only predicted). */
  inputDims: number[];
  /** Hidden layer sizes of the MLP (the paper: [512, 512, 512]). */
  hidden: number[];
  activation: ActivationName;
  /** ReBAL: a recurrent encoder over recent transitions whose last hidden state conditions the MLP. */
  recurrent?: { cell: 'gru' | 'lstm'; hidden: number } | null;
  /** Read the state and predict its change in the torso's heading frame (see frame.ts); absent = world frame. */
  frame?: YawFrame | null;
  /** A context input beside (obs, action) that is not a recurrent encoder's (see ContextSpec). */
  context?: ContextSpec | null;
}

/**
 * What conditions the model besides (obs, action):
 * - 'latent': a task variable z (Belkhale et al. 2021): one Gaussian q(z) per training task learned
 *   with the model (params `lat.mu`, `lat.logStd` [tasks, size]), prior N(0, I) with weight
 *   `klWeight`; at run time q(z) is inferred from recent transitions with the model frozen.
 *   `readout` maps z linearly to the physical parameters it stands for (fitted on the training
 *   tasks' means), for telemetry only.
 * - 'params': the true physical parameters, standardized (the oracle).
 * - 'history': the network inputs of the previous `steps` transitions (MB with a history window).
 */
export type ContextSpec =
  | { kind: 'latent'; size: number; klWeight: number; tasks: number; readout?: { keys: string[]; weights: number[][]; bias: number[] } | null }
  | { kind: 'params'; keys: string[]; mean: number[]; std: number[] }
  | { kind: 'history'; steps: number };

/** Width of a context input. */
export function contextWidth(spec: Pick<DynamicsSpec, 'recurrent' | 'context' | 'inputDims' | 'actionSize'>): number {
  if (spec.recurrent) return spec.recurrent.hidden;
  const c = spec.context;
  if (!c) return 0;
  if (c.kind === 'latent') return c.size;
  if (c.kind === 'params') return c.keys.length;
  return c.steps * (spec.inputDims.length + spec.actionSize);
}

/** Normalization statistics (float32, fixed once computed from data). */
export interface DynamicsStats {
  inMean: number[];
  inStd: number[];
  actMean: number[];
  actStd: number[];
  dMean: number[];
  dStd: number[];
}

/** Mean and std per column of an [n, d] array, std floored at `minStd`. */
function colStats(x: Float32Array, d: number, cols: number[] | null, minStd: number): { mean: number[]; std: number[] } {
  const idx = cols ?? Array.from({ length: d }, (_, i) => i);
  const n = x.length / d;
  const mean = new Float64Array(idx.length);
  const sq = new Float64Array(idx.length);
  for (let i = 0; i < n; i++)
    idx.forEach((c, j) => {
      mean[j] += x[i * d + c];
    });
  for (let j = 0; j < idx.length; j++) mean[j] /= Math.max(1, n);
  for (let i = 0; i < n; i++)
    idx.forEach((c, j) => {
      const v = x[i * d + c] - mean[j];
      sq[j] += v * v;
    });
  const std = Array.from(sq, (s) => Math.max(minStd, Math.sqrt(s / Math.max(1, n))));
  return { mean: Array.from(mean, (v) => Math.fround(v)), std: std.map((v) => Math.fround(v)) };
}

export function computeStats(data: TransitionData, inputDims: number[], frame?: YawFrame | null): DynamicsStats {
  const n = data.count;
  const O = data.O;
  let obs: Float32Array = data.obs.subarray(0, n * O);
  let delta: Float32Array = new Float32Array(n * O);
  for (let i = 0; i < n * O; i++) delta[i] = data.next[i] - data.obs[i];
  if (frame) {
    // the statistics of what the model sees: inputs and deltas in each row's heading frame
    const h = new HeadingFrame(frame, O);
    [obs, delta] = tf.tidy(() => {
      const o = tf.tensor2d(obs, [n, O]);
      const r = h.rotation(o);
      return [h.rotate(o, r).dataSync() as Float32Array, h.rotate(tf.tensor2d(delta, [n, O]), r).dataSync() as Float32Array];
    });
    h.dispose();
  }
  const inS = colStats(obs, O, inputDims, 1e-3);
  const aS = colStats(data.act.subarray(0, n * data.A), data.A, null, 1e-3);
  const dS = colStats(delta, O, null, 1e-4);
  return { inMean: inS.mean, inStd: inS.std, actMean: aS.mean, actStd: aS.std, dMean: dS.mean, dStd: dS.std };
}

/** Normalized training targets and inputs on the CPU, as tensors of one batch. */
export interface Batch {
  /** raw observations [n, O] */
  obs: Tensor;
  /** actions [n, A] */
  act: Tensor;
  /** normalized delta targets [n, O] */
  target: Tensor;
}

const NORM_CLIP = 10;

/** Names of a latent model's per-task q(z) in its params. */
export const LATENT_MU = 'lat.mu';
export const LATENT_LOG_STD = 'lat.logStd';

export class DynamicsModel {
  readonly spec: DynamicsSpec;
  readonly stats: DynamicsStats;
  private readonly inIdx: Tensor;
  /** inputDims as [start, length] when they are one contiguous run (Ant-v0: 2..28), else null. */
  private readonly inRun: [number, number] | null;
  private readonly inMean: Tensor;
  private readonly inStd: Tensor;
  private readonly actMean: Tensor;
  private readonly actStd: Tensor;
  readonly dMean: Tensor;
  readonly dStd: Tensor;
  private readonly heading: HeadingFrame | null;

  constructor(spec: DynamicsSpec, stats: DynamicsStats) {
    this.spec = spec;
    this.stats = stats;
    this.heading = spec.frame ? new HeadingFrame(spec.frame, spec.observationSize) : null;
    this.inIdx = tf.tensor1d(spec.inputDims, 'int32');
    const d = spec.inputDims;
    this.inRun = d.length > 0 && d.every((v, i) => v === d[0] + i) ? [d[0], d.length] : null;
    this.inMean = tf.tensor1d(stats.inMean);
    this.inStd = tf.tensor1d(stats.inStd);
    this.actMean = tf.tensor1d(stats.actMean);
    this.actStd = tf.tensor1d(stats.actStd);
    this.dMean = tf.tensor1d(stats.dMean);
    this.dStd = tf.tensor1d(stats.dStd);
  }

  get O(): number {
    return this.spec.observationSize;
  }

  get A(): number {
    return this.spec.actionSize;
  }

  get contextSize(): number {
    return contextWidth(this.spec);
  }

  mlpSizes(): number[] {
    const s = this.spec;
    return [s.inputDims.length + s.actionSize + this.contextSize, ...s.hidden, s.observationSize];
  }

  /** Fresh parameters: the MLP `dyn.` plus, for ReBAL, the encoder `enc.`, for a latent model the tasks' q(z) `lat.`. */
  init(rng: Rng): Params {
    const s = this.spec;
    let p: Params = initMlp(rng, { sizes: this.mlpSizes(), activation: s.activation }, 'dyn.', { scheme: 'glorot' });
    if (s.context?.kind === 'latent') {
      const { tasks, size } = s.context;
      // small random means break the symmetry between tasks; std starts at 0.1
      p[LATENT_MU] = tf.tensor2d(Float32Array.from({ length: tasks * size }, () => 0.1 * rng.normal()), [tasks, size]);
      p[LATENT_LOG_STD] = tf.fill([tasks, size], Math.log(0.1));
    }
    if (s.recurrent) {
      const inSize = s.inputDims.length + s.actionSize + s.observationSize;
      p = { ...p, ...(s.recurrent.cell === 'gru' ? initGru(rng, inSize, s.recurrent.hidden, 'enc.') : initLstm(rng, inSize, s.recurrent.hidden, 'enc.')) };
    }
    return p;
  }

  /** Each row's rotation into the model's frame (null: the model works in the world frame). */
  private rotation(obs: Tensor): FrameRotation | null {
    return this.heading ? this.heading.rotation(obs) : null;
  }

  /** The network inputs [..., I + A] from raw obs [..., O] and actions [..., A] (or their {@link actionFeatures}). */
  features(obs: Tensor, act: Tensor, r: FrameRotation | null = this.rotation(obs), actNormalized = false): Tensor {
    const o = r ? this.heading!.rotate(obs, r) : obs;
    const x = tf.clipByValue(tf.div(tf.sub(this.inputColumns(o), this.inMean), this.inStd), -NORM_CLIP, NORM_CLIP);
    return tf.concat([x, actNormalized ? act : this.actionFeatures(act)], -1);
  }

  /** The network's action inputs [..., A] from raw actions: a rollout computes them once for every step. */
  actionFeatures(act: Tensor): Tensor {
    return tf.div(tf.sub(tf.clipByValue(act, -1, 1), this.actMean), this.actStd);
  }

  /** The observation columns the network reads. A slice where they are contiguous: the same values
   * as a gather, and on wasm ~6-10x cheaper (gather was the costliest kernel of a planning step). */
  private inputColumns(o: Tensor): Tensor {
    if (!this.inRun) return tf.gather(o, this.inIdx, o.rank - 1);
    const lead = o.shape.slice(0, -1).map(() => 0);
    return tf.slice(o, [...lead, this.inRun[0]], [...lead.map(() => -1), this.inRun[1]]);
  }

  /** Normalized delta of a transition: (next - obs - mean) / std, in the frame of obs. */
  normDelta(obs: Tensor, next: Tensor): Tensor {
    const r = this.rotation(obs);
    const d = tf.sub(next, obs);
    return tf.div(tf.sub(r ? this.heading!.rotate(d, r) : d, this.dMean), this.dStd);
  }

  /** The next observation (raw units, world frame) that normalized delta z [B, O] predicts from obs. */
  nextFromNorm(obs: Tensor, z: Tensor, r: FrameRotation | null = this.rotation(obs)): Tensor {
    const d = tf.add(tf.mul(z, this.dStd), this.dMean);
    return tf.add(obs, r ? this.heading!.rotate(d, HeadingFrame.inverse(r)) : d);
  }

  /** Predicted normalized delta [B, O]; ctx [B, H] (ReBAL) or null. */
  predictNorm(p: Params, obs: Tensor, act: Tensor, ctx: Tensor | null = null, r: FrameRotation | null = this.rotation(obs), actNormalized = false): Tensor {
    let f = this.features(obs, act, r, actNormalized);
    if (this.contextSize > 0) {
      const B = f.shape[0] as number;
      const h = ctx ?? tf.zeros([B, this.contextSize]);
      const hb = h.shape[0] as number;
      if (B % hb !== 0) throw new Error(`context rows ${hb} do not divide batch ${B}`);
      // rows t * hb + b read context b (time-major batches)
      f = tf.concat([f, hb === B ? h : tf.tile(h, [B / hb, 1])], -1);
    }
    return mlp(p, f, { sizes: this.mlpSizes(), activation: this.spec.activation }, 'dyn.');
  }

  /** Predicted next observation (raw units). Normalized deltas are clipped to keep rollouts sane. */
  predictNext(p: Params, obs: Tensor, act: Tensor, ctx: Tensor | null = null, actNormalized = false): Tensor {
    const r = this.rotation(obs);
    const z = tf.clipByValue(this.predictNorm(p, obs, act, ctx, r, actNormalized), -NORM_CLIP, NORM_CLIP);
    return this.nextFromNorm(obs, z, r);
  }

  /** Mean squared error in normalized-delta space (the loss and the reported prediction error). */
  loss(p: Params, b: Batch, ctx: Tensor | null = null): Scalar {
    return tf.mean(tf.square(tf.sub(this.predictNorm(p, b.obs, b.act, ctx), b.target))) as Scalar;
  }

  /** Encoder inputs for transitions [T, B, O] / [T, B, A] / normalized deltas [T, B, O]. */
  private encoderInputs(obs: Tensor, act: Tensor, target: Tensor): Tensor {
    return tf.concat([this.features(obs, act), tf.clipByValue(target, -NORM_CLIP, NORM_CLIP)], -1);
  }

  /**
   * ReBAL's recurrent update: reads transitions laid out [T, B, ...] (T may be 0) and returns the
   * context h [B, H].
   */
  context(p: Params, obs: Tensor, act: Tensor, target: Tensor, batch: number): Tensor {
    const r = this.spec.recurrent;
    if (!r) throw new Error('context() needs a recurrent model');
    const h0 = tf.zeros([batch, r.hidden]);
    if ((obs.shape[0] as number) === 0) return h0;
    const xs = this.encoderInputs(obs, act, target);
    if (r.cell === 'gru') return gruSequence(p, xs, h0, 'enc.').h;
    return lstmSequence(p, xs, { h: h0, c: tf.zeros([batch, r.hidden]) }, 'enc.').state.h;
  }

  /** ReBAL's context from one window of transitions [n, ...] read as a single sequence. */
  windowContext(p: Params, w: Batch): Tensor {
    const tm = (x: Tensor) => tf.reshape(x, [x.shape[0] as number, 1, -1]);
    return this.context(p, tm(w.obs), tm(w.act), tm(w.target), 1);
  }

  /** A batch of tensors from data rows (obs, actions, normalized delta targets), shaped [...lead, dim]. */
  batch(data: { obs: Float32Array; act: Float32Array; next: Float32Array }, lead: number[]): Batch {
    return tf.tidy(() => {
      const obs = tf.tensor(data.obs, [...lead, this.O]);
      const next = tf.tensor(data.next, [...lead, this.O]);
      const act = tf.tensor(data.act, [...lead, this.A]);
      return { obs, act, target: this.normDelta(obs, next) };
    });
  }

  dispose(): void {
    tf.dispose([this.inIdx, this.inMean, this.inStd, this.actMean, this.actStd, this.dMean, this.dStd]);
    this.heading?.dispose();
  }
}

export function disposeBatch(b: Batch): void {
  tf.dispose([b.obs, b.act, b.target]);
}

export type { NamedArray };
export { paramsToArrays, paramsFromArrays };
