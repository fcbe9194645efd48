/**
 * Starts a worker thread from a module next to the caller. In a build (Electron) the worker
 * is a bundled .js sibling; from sources (browser shell, CLI, tests) it is .ts, loaded through
 * a tiny bootstrap that registers tsx inside the worker (Node 20 ignores --import there).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnWorker(baseUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const js = new URL(`./${name}.js`, baseUrl);
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = new URL(`./${name}.ts`, baseUrl);
  const bootstrap = new URL('./tsx-worker.mjs', import.meta.url);
  return new Worker(bootstrap, { ...options, argv: [...(options.argv ?? []), ts.href] });
}
