/**
 * Messages between a training worker and its host (plain structured-clone objects).
 * The workbench service may mirror these in src/shared's zod schemas.
 */
import type { JobProgress, JobResult, TrainingJobSpec } from './train.js';

export type HostToWorker = { type: 'cancel' };

export type WorkerToHost =
  | { type: 'started'; backend: string }
  | ({ type: 'progress' } & JobProgress)
  | { type: 'done'; result: JobResult }
  | { type: 'error'; message: string; stack?: string };

export interface WorkerData {
  spec: TrainingJobSpec;
}
