/**
 * worker_thread entry: runs one training job given in workerData.spec, posts
 * {type:'progress', step, totalSteps, etaSeconds, metrics, runDir} after each iteration, then
 * {type:'done', result} or {type:'error', message}. A {type:'cancel'} message stops the job at
 * the next iteration boundary (after a checkpoint), so it can be resumed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTrainingJob } from './train.js';
import { backendInfo } from '../backend.js';
import type { HostToWorker, WorkerData, WorkerToHost } from './protocol.js';

if (!parentPort) throw new Error('jobs/worker must run in a worker_thread');
const port = parentPort;
const post = (m: WorkerToHost) => port.postMessage(m);
const ac = new AbortController();
port.on('message', (m: HostToWorker) => {
  if (m?.type === 'cancel') ac.abort();
});

const { spec } = workerData as WorkerData;
let started = false;
runTrainingJob(
  spec,
  (p) => {
    if (!started) {
      started = true;
      post({ type: 'started', backend: backendInfo()?.name ?? 'unknown' });
    }
    post({ type: 'progress', ...p });
  },
  ac.signal,
)
  .then((result) => post({ type: 'done', result }))
  .catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined }))
  .finally(() => port.close());
