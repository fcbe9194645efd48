/**
 * A DARC run's two domain classifiers as a file of their own, for reading dr outside training
 * (the DARC view, analyses): the DARC trainer writes it beside its checkpoints as
 * `darc-classifiers.json` (a run's policy.json holds only the actor), and a shipped run's copy lives
 * at `assets/policies/<pair>/darc-classifiers.json`. Inference is plain JavaScript (no TensorFlow),
 * so a scene in the sim worker can read dr for every step it shows.
 *
 * File format (JSON, Float32 arrays as base64 via encodeJson):
 *   {format: 'adaptlab-darc-classifiers', version: 1, env, observationSize, actionSize,
 *    sa: [{W [in*out], b [out], in, out}],   q(. | s, a): ReLU hidden layers, 2 linear logits
 *    sas: [{W, b, in, out}],                 the (s, a, s') net; its logits are added to sa's
 *    pair?: the pair it was trained on, meta?: {steps, targetSteps, ...}}
 * Logit 0 = source, 1 = target, as in ./darc-classifier.ts (which this mirrors; dr comes from the
 * same `deltaReward`).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { decodeJson, encodeJson, writeFileAtomic } from '../runs.js';
import { deltaReward } from './darc-classifier-dr.js';
import type { NamedArray } from '../params.js';
import { mlpForward, type Layer } from '../policy.js';

export const DARC_CLASSIFIERS_FORMAT = 'adaptlab-darc-classifiers';
/** The name of the file in a run folder (and in assets/policies/<pair>/). */
export const DARC_CLASSIFIERS_FILE = 'darc-classifiers.json';

export type DenseLayer = Layer;

export interface DarcClassifierFile {
  format: typeof DARC_CLASSIFIERS_FORMAT;
  version: 1;
  env: string;
  observationSize: number;
  actionSize: number;
  sa: DenseLayer[];
  sas: DenseLayer[];
  pair?: unknown;
  meta?: Record<string, unknown>;
}

const f32 = z.instanceof(Float32Array);
const layerSchema = z.object({ W: f32, b: f32, in: z.number().int().positive(), out: z.number().int().positive() });
const fileSchema = z.object({
  format: z.literal(DARC_CLASSIFIERS_FORMAT),
  version: z.literal(1),
  env: z.string(),
  observationSize: z.number().int().positive(),
  actionSize: z.number().int().positive(),
  sa: z.array(layerSchema).min(1),
  sas: z.array(layerSchema).min(1),
  pair: z.unknown().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** The layers `prefix`l0, l1, ... of a classifier's params (checkpoint arrays). */
function layersOf(params: Record<string, NamedArray>, prefix: string): DenseLayer[] {
  const out: DenseLayer[] = [];
  for (let i = 0; params[`${prefix}l${i}.W`]; i++) {
    const W = params[`${prefix}l${i}.W`];
    const b = params[`${prefix}l${i}.b`];
    if (!b || W.shape.length !== 2) throw new Error(`darc classifiers: layer ${prefix}l${i} is malformed`);
    out.push({ W: Float32Array.from(W.data), b: Float32Array.from(b.data), in: W.shape[0], out: W.shape[1] });
  }
  return out;
}

/**
 * The file of classifier params as DomainClassifiers.getState().params holds them (also what a DARC
 * checkpoint's `classifiers.params` is), for env `env` with these sizes.
 */
export function darcClassifierFile(
  params: Record<string, NamedArray>,
  o: { env: string; observationSize: number; actionSize: number; pair?: unknown; meta?: Record<string, unknown> },
): DarcClassifierFile {
  const file: DarcClassifierFile = {
    format: DARC_CLASSIFIERS_FORMAT,
    version: 1,
    env: o.env,
    observationSize: o.observationSize,
    actionSize: o.actionSize,
    sa: layersOf(params, 'sa.'),
    sas: layersOf(params, 'sas.'),
    ...(o.pair !== undefined ? { pair: o.pair } : {}),
    ...(o.meta ? { meta: o.meta } : {}),
  };
  checkShapes(file);
  return file;
}

function checkShapes(f: DarcClassifierFile): void {
  const O = f.observationSize;
  const A = f.actionSize;
  const check = (layers: DenseLayer[], name: string, inputs: number) => {
    if (layers[0]?.in !== inputs) throw new Error(`darc classifiers: ${name} takes ${layers[0]?.in} inputs, needs ${inputs}`);
    if (layers[layers.length - 1].out !== 2) throw new Error(`darc classifiers: ${name} gives ${layers[layers.length - 1].out} logits, needs 2`);
    layers.forEach((l, i) => {
      if (l.W.length !== l.in * l.out || l.b.length !== l.out) throw new Error(`darc classifiers: ${name} layer ${i} has the wrong number of weights`);
      if (i > 0 && l.in !== layers[i - 1].out) throw new Error(`darc classifiers: ${name} layer ${i} takes ${l.in} inputs, layer ${i - 1} gives ${layers[i - 1].out}`);
    });
  };
  check(f.sa, 'sa', O + A);
  check(f.sas, 'sas', 2 * O + A);
}

export function parseDarcClassifierFile(value: unknown, where: string): DarcClassifierFile {
  const r = fileSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${where}: not a DARC classifier file (${issue.path.join('.') || 'file'}: ${issue.message})`);
  }
  const f = r.data as DarcClassifierFile;
  checkShapes(f);
  return f;
}

export function saveDarcClassifiers(file: string, f: DarcClassifierFile): void {
  writeFileAtomic(file, encodeJson(f));
}

export function loadDarcClassifiers(file: string): DarcClassifierFile {
  return parseDarcClassifierFile(decodeJson(fs.readFileSync(file, 'utf8')), file);
}

const relu = (v: number) => (v > 0 ? v : 0);

/** ReLU MLP with a linear output, in Float64 (the policy files' forward). */
function forward(layers: DenseLayer[], x: Float64Array): Float64Array {
  return mlpForward(layers, x, relu);
}

/** Read-only classifiers from a file: their logits and dr for one transition, no TensorFlow. */
export class DarcClassifierReader {
  readonly observationSize: number;
  readonly actionSize: number;

  constructor(readonly file: DarcClassifierFile) {
    this.observationSize = file.observationSize;
    this.actionSize = file.actionSize;
  }

  /** (s, a) and (s, a, s') logits [2] each (class 0 = source, 1 = target) of one transition. */
  logits(obs: ArrayLike<number>, action: ArrayLike<number>, nextObs: ArrayLike<number>): { sa: Float64Array; sas: Float64Array } {
    const O = this.observationSize;
    const A = this.actionSize;
    if (obs.length !== O || action.length !== A || nextObs.length !== O)
      throw new Error(`darc classifiers: a transition of ${O} observations and ${A} actions, got ${obs.length}/${action.length}/${nextObs.length}`);
    const x = new Float64Array(2 * O + A);
    for (let i = 0; i < O; i++) x[i] = obs[i];
    for (let i = 0; i < A; i++) x[O + i] = action[i];
    for (let i = 0; i < O; i++) x[O + A + i] = nextObs[i];
    const sa = forward(this.file.sa, x.subarray(0, O + A));
    const sasNet = forward(this.file.sas, x);
    return { sa, sas: Float64Array.of(sa[0] + sasNet[0], sa[1] + sasNet[1]) };
  }

  /** dr = log q(t|s,a,s') - log q(s|s,a,s') - log q(t|s,a) + log q(s|s,a) of one transition. */
  deltaReward(obs: ArrayLike<number>, action: ArrayLike<number>, nextObs: ArrayLike<number>): number {
    const l = this.logits(obs, action, nextObs);
    return deltaReward(l.sa, l.sas, new Float64Array(1))[0];
  }
}
