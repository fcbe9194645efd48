/**
 * Spawn a worker thread from a module URL that may be TypeScript in this repo.
 * - `.ts` with a built `.js` sibling: runs the `.js`.
 * - `.ts` without: a tiny bootstrap registers the tsx ESM loader in the worker (tsx/esm/api),
 *   then imports the file — works under vitest, `npx tsx` and plain node with tsx installed.
 *   (Node 20 ignores `--import tsx` in a Worker's execArgv for module hooks.)
 * - anything else: as is.
 * Usage: spawnWorker(new URL('./envWorker.ts', import.meta.url), workerData)
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function spawnWorker(url: URL, workerData?: unknown, options: WorkerOptions = {}): Worker {
  if (url.protocol === 'file:' && url.pathname.endsWith('.ts')) {
    const js = fileURLToPath(url).replace(/\.ts$/, '.js');
    if (existsSync(js)) return new Worker(pathToFileURL(js), { ...options, workerData });
    const require = createRequire(import.meta.url);
    let apiPath = require.resolve('tsx/esm/api');
    const mjs = apiPath.replace(/\.cjs$/, '.mjs');
    if (mjs !== apiPath && existsSync(mjs)) apiPath = mjs;
    const api = pathToFileURL(apiPath).href;
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); }).catch((e) => { setImmediate(() => { throw e; }); });`;
    return new Worker(boot, { ...options, workerData, eval: true });
  }
  return new Worker(url, { ...options, workerData });
}
