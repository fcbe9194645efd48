// Worker bootstrap for running a TypeScript worker module from source (dev, tests, tsx CLI).
// Node 20 ignores `--import tsx` in a Worker's execArgv, so load the .ts entry through tsx's API.
// Built bundles start their compiled .js worker directly and never use this file.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.__tsEntry, import.meta.url);
