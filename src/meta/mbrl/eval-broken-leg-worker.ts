/**
 * worker_thread entry of the broken-leg protocol (eval-broken-leg.ts): runs one block (every method
 * on one seed's episodes) and posts {type: 'episode'} per episode, then {type: 'done', result}
 * or {type: 'error', message}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { evalAdaptDetailed } from './eval.js';
import './ant.js';
import type { BrokenLegBlock } from './eval-broken-leg.js';

if (!parentPort) throw new Error('eval-broken-leg-worker must run in a worker_thread');
const port = parentPort;
const { block } = workerData as { block: BrokenLegBlock };

evalAdaptDetailed({
  ...block,
  onEpisode: (e) => {
    port.postMessage({ type: 'episode', method: e.method, episode: e.episode, ...e.afterFault });
  },
})
  .then((result) => port.postMessage({ type: 'done', result }))
  .catch((e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }))
  .finally(() => port.close());
