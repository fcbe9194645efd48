/**
 * Starts a training job in a worker_thread. For the workbench service (src/main), which owns the
 * queue (at most N jobs at once) and forwards progress to the renderer.
 *
 * ```ts
 * const job = startTrainingWorker(spec, { onProgress: (p) => ... });
 * job.cancel();             // stops after the current iteration, checkpointed
 * const result = await job.result;
 * ```
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../physics/workers/spawn.js';
import type { JobProgress, JobResult, TrainingJobSpec } from './train.js';
import type { WorkerToHost } from './protocol.js';

export interface TrainingWorkerHandle {
  worker: Worker;
  result: Promise<JobResult>;
  cancel(): void;
}

export interface StartOptions {
  onProgress?: (p: JobProgress) => void;
  onStarted?: (backend: string) => void;
  /** Extra environment for the worker (e.g. ADAPTLAB_BACKEND). */
  env?: NodeJS.ProcessEnv;
}

/** URL of the worker module next to this file (.ts under tsx/vitest, .js when built). */
export function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./worker${ext}`, import.meta.url);
}

export function startTrainingWorker(spec: TrainingJobSpec, opts: StartOptions = {}): TrainingWorkerHandle {
  // spawnWorker runs the built .js, or the .ts source through tsx (Node 20 ignores
  // `--import tsx` in a Worker's execArgv).
  const worker = spawnWorker(workerUrl(), { spec }, { env: opts.env ? { ...process.env, ...opts.env } : process.env });
  const result = new Promise<JobResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: WorkerToHost) => {
      if (m.type === 'progress') {
        const { type: _t, ...p } = m;
        opts.onProgress?.(p);
      } else if (m.type === 'started') opts.onStarted?.(m.backend);
      else if (m.type === 'done') {
        settled = true;
        resolve(m.result);
      } else if (m.type === 'error') {
        settled = true;
        reject(new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`training worker exited with code ${code}`));
    });
  });
  return { worker, result, cancel: () => worker.postMessage({ type: 'cancel' }) };
}
