/**
 * Checkpoints of model-based (meta-)RL: one JSON file holding the method, the dynamics spec, the
 * normalization statistics, the params (float32, base64, bit-exact), the meta-learning
 * hyperparameters with the inner step size in effect, and a suggested planner configuration.
 * Written to a temp file and renamed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeArrays, encodeArrays, paramsFromArrays, paramsToArrays, type EncodedArray, type Params } from '../params.js';
import type { MbMethod, MetaHyper } from './algos.js';
import type { DynamicsSpec, DynamicsStats } from './model.js';
import type { PlannerConfig } from './planner.js';

export const CHECKPOINT_FORMAT = 'adaptlab-mbrl/1';

export interface MbCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  method: MbMethod;
  envId: string;
  spec: DynamicsSpec;
  stats: DynamicsStats;
  hyper: MetaHyper;
  /** The run-time adaptation step size (GrBAL: the meta-learned inner step size when learned). */
  adaptLr: number;
  params: Record<string, EncodedArray>;
  /** Planner the model was trained and evaluated with (the controller's default). */
  planner: PlannerConfig;
  /** Seconds per env step the model predicts (absent in older checkpoints); the controller refuses an env with another. */
  dt?: number;
  /** Observation indices of torso x, y, z for ghost paths (null entry = 0). */
  positionIndices: [number, number, number | null] | null;
  training: { seed: number; envSteps: number; gradientSteps: number; wallSeconds: number; command?: string; [k: string]: unknown };
  createdAt: string;
}

export function encodeParams(p: Params): Record<string, EncodedArray> {
  return encodeArrays(paramsToArrays(p));
}

export function decodeParams(e: Record<string, EncodedArray>): Params {
  return paramsFromArrays(decodeArrays(e));
}

export function saveCheckpoint(file: string, ck: MbCheckpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(ck));
  fs.renameSync(tmp, file);
}

export function loadCheckpoint(src: string | MbCheckpoint): MbCheckpoint {
  const ck = typeof src === 'string' ? (JSON.parse(fs.readFileSync(src, 'utf8')) as MbCheckpoint) : src;
  if (ck.format !== CHECKPOINT_FORMAT) throw new Error(`not an ${CHECKPOINT_FORMAT} checkpoint (format: ${String(ck.format)})`);
  return ck;
}
