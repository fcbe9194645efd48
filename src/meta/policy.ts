/**
 * A trained policy as a self-contained file: an MLP's weights, its observation normalizer and its
 * action head, evaluated in plain JavaScript (no TensorFlow), so any scene, worker or command can
 * play it. PPO saves a Gaussian head (the mean is the deterministic action), SAC a tanh-squashed
 * Gaussian scaled into the action bounds.
 *
 * File format (JSON, Float32 arrays as base64 via encodeJson):
 *   {format: 'adaptlab-policy', version: 1, algo, env, observationSize, actionSize, activation,
 *    layers: [{W [in*out], b [out], in, out}], obsNorm: {mean, var, clip} | null,
 *    head: {kind: 'gaussian', logStd} | {kind: 'tanh-gaussian', scale, bias, logStdMin, logStdMax},
 *    meta: {...}}
 */
import fs from 'node:fs';
import { z } from 'zod';
import { decodeJson, encodeJson, writeFileAtomic } from './runs.js';
import type { Rng } from './rng.js';
import type { ActivationName } from './ops.js';

export const POLICY_FORMAT = 'adaptlab-policy';

export interface ActOptions {
  /** The mean action (default) or a sample from the policy's distribution. */
  deterministic?: boolean;
  rng?: Rng;
}

export interface Policy {
  readonly algo: string;
  readonly env: string;
  readonly observationSize: number;
  readonly actionSize: number;
  /** Actions for observations laid out [n, observationSize]; returns [n, actionSize]. */
  act(obs: ArrayLike<number>, opts?: ActOptions): Float32Array;
  toJSON(): PolicyFile;
}

/** A dense layer as policy files keep it: W [in, out] row-major (as tfjs keeps it), b [out]. */
export interface Layer {
  W: Float32Array;
  b: Float32Array;
  in: number;
  out: number;
}

export type PolicyHead =
  | { kind: 'gaussian'; logStd: Float32Array }
  | { kind: 'tanh-gaussian'; scale: Float32Array; bias: Float32Array; logStdMin: number; logStdMax: number };

export interface PolicyFile {
  format: typeof POLICY_FORMAT;
  version: 1;
  algo: string;
  env: string;
  observationSize: number;
  actionSize: number;
  activation: ActivationName;
  layers: Layer[];
  /** Float64, as the running normalizer keeps them, so playing matches training to the bit. */
  obsNorm: { mean: Float64Array; var: Float64Array; clip: number } | null;
  head: PolicyHead;
  meta?: Record<string, unknown>;
}

const f32 = z.instanceof(Float32Array);
const f64 = z.instanceof(Float64Array);
const policyFileSchema = z.object({
  format: z.literal(POLICY_FORMAT),
  version: z.literal(1),
  algo: z.string(),
  env: z.string(),
  observationSize: z.number().int().positive(),
  actionSize: z.number().int().positive(),
  activation: z.enum(['tanh', 'relu', 'elu', 'sigmoid', 'softplus', 'linear', 'exp']),
  layers: z.array(z.object({ W: f32, b: f32, in: z.number().int().positive(), out: z.number().int().positive() })).min(1),
  obsNorm: z.object({ mean: f64, var: f64, clip: z.number() }).nullable(),
  head: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('gaussian'), logStd: f32 }),
    z.object({ kind: z.literal('tanh-gaussian'), scale: f32, bias: f32, logStdMin: z.number(), logStdMax: z.number() }),
  ]),
  meta: z.record(z.string(), z.unknown()).optional(),
});

const ACT: Record<ActivationName, (x: number) => number> = {
  tanh: Math.tanh,
  relu: (x) => (x > 0 ? x : 0),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  softplus: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
  linear: (x) => x,
  exp: Math.exp,
};

/**
 * An MLP's forward pass in Float64 on one input: `act` after every layer but the last (linear).
 * Plain JavaScript, so files of weights run without TensorFlow (policies, DARC's classifiers).
 */
export function mlpForward(layers: readonly Layer[], x: Float64Array, act: (v: number) => number): Float64Array {
  let h = x;
  for (let li = 0; li < layers.length; li++) {
    const { W, b, in: I, out: O } = layers[li];
    const y = new Float64Array(O);
    for (let o = 0; o < O; o++) y[o] = b[o];
    for (let i = 0; i < I; i++) {
      const hi = h[i];
      if (hi === 0) continue;
      const row = i * O;
      for (let o = 0; o < O; o++) y[o] += hi * W[row + o];
    }
    if (li + 1 < layers.length) for (let o = 0; o < O; o++) y[o] = act(y[o]);
    h = y;
  }
  return h;
}

export class MlpPolicy implements Policy {
  readonly algo: string;
  readonly env: string;
  readonly observationSize: number;
  readonly actionSize: number;
  private readonly inv: Float64Array | null;

  constructor(readonly file: PolicyFile) {
    const last = file.layers[file.layers.length - 1];
    const outSize = file.head.kind === 'gaussian' ? file.actionSize : 2 * file.actionSize;
    if (file.layers[0].in !== file.observationSize) throw new Error(`policy: first layer takes ${file.layers[0].in} inputs, observations have ${file.observationSize}`);
    if (last.out !== outSize) throw new Error(`policy: last layer gives ${last.out} outputs, the ${file.head.kind} head needs ${outSize}`);
    for (let i = 0; i < file.layers.length; i++) {
      const l = file.layers[i];
      if (l.W.length !== l.in * l.out || l.b.length !== l.out) throw new Error(`policy: layer ${i} has the wrong number of weights`);
      if (i > 0 && l.in !== file.layers[i - 1].out) throw new Error(`policy: layer ${i} takes ${l.in} inputs, layer ${i - 1} gives ${file.layers[i - 1].out}`);
    }
    this.algo = file.algo;
    this.env = file.env;
    this.observationSize = file.observationSize;
    this.actionSize = file.actionSize;
    this.inv = file.obsNorm ? file.obsNorm.var.map((v) => 1 / Math.sqrt(v + 1e-8)) : null;
  }

  /** Raw network output for one observation row. */
  private forward(obs: ArrayLike<number>, offset: number): Float64Array {
    const f = this.file;
    const h = new Float64Array(f.observationSize);
    for (let j = 0; j < f.observationSize; j++) {
      let x = obs[offset + j];
      if (f.obsNorm && this.inv) x = Math.min(f.obsNorm.clip, Math.max(-f.obsNorm.clip, (x - f.obsNorm.mean[j]) * this.inv[j]));
      h[j] = x;
    }
    return mlpForward(f.layers, h, ACT[f.activation]);
  }

  act(obs: ArrayLike<number>, opts: ActOptions = {}): Float32Array {
    const n = Math.floor(obs.length / this.observationSize);
    const A = this.actionSize;
    const out = new Float32Array(n * A);
    const det = opts.deterministic ?? true;
    if (!det && !opts.rng) throw new Error('policy: sampled actions need an rng');
    const head = this.file.head;
    for (let r = 0; r < n; r++) {
      const y = this.forward(obs, r * this.observationSize);
      for (let j = 0; j < A; j++) {
        if (head.kind === 'gaussian') out[r * A + j] = det ? y[j] : y[j] + Math.exp(head.logStd[j]) * opts.rng!.normal();
        else {
          const { logStdMin: lo, logStdMax: hi } = head;
          const logStd = lo + 0.5 * (hi - lo) * (Math.tanh(y[A + j]) + 1);
          const u = det ? y[j] : y[j] + Math.exp(logStd) * opts.rng!.normal();
          out[r * A + j] = Math.tanh(u) * head.scale[j] + head.bias[j];
        }
      }
    }
    return out;
  }

  toJSON(): PolicyFile {
    return this.file;
  }
}

/** The layers of an MLP stored as params named `${prefix}l{i}.W` / `.b` (see nn.ts). */
export function layersFromParams(params: Record<string, { shape: number[]; data: Float32Array }>, prefix: string): Layer[] {
  const layers: Layer[] = [];
  for (let i = 0; params[`${prefix}l${i}.W`]; i++) {
    const W = params[`${prefix}l${i}.W`];
    const b = params[`${prefix}l${i}.b`];
    layers.push({ W: Float32Array.from(W.data), b: Float32Array.from(b.data), in: W.shape[0], out: W.shape[1] });
  }
  if (!layers.length) throw new Error(`no layers named ${prefix}l0.W in the params`);
  return layers;
}

export function savePolicy(file: string, policy: Policy): void {
  writeFileAtomic(file, encodeJson(policy.toJSON()));
}

/** Loads a policy file; the error says which file and what is wrong with it. */
export function loadPolicy(file: string): MlpPolicy {
  let raw: unknown;
  try {
    raw = decodeJson(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable policy file (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = policyFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${file}: not an AdaptLab policy (${issue.path.join('.') || 'file'}: ${issue.message})`);
  }
  try {
    return new MlpPolicy(r.data as PolicyFile);
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
