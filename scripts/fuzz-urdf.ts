/**
 * URDF fuzz harness: `npm run fuzz:urdf -- --count N --seed S`.
 *
 * Mutates the project's URDFs (assets/robots, test/fixtures) with a seeded RNG
 * (src/main/service/urdf-fuzz.ts), and runs each case (parse, load, prepare for physics, a few
 * simulation steps of what loads) in a worker thread with a time limit: a case that takes longer
 * is a hang, and its worker is terminated and replaced. Counts
 *   ok, cleanErrors (UrdfError naming file and element), crashes (any other exception),
 *   hangs (over the time limit), nan (non-finite state after simulating), missingLocation
 *   (UrdfError without file or element),
 * prints each failure as a JSON line on stderr, and one summary JSON line on stdout last. Exits 1
 * when crashes, hangs, nan or missingLocation are not all 0. Single process, one worker.
 *
 * Options: --count N (200) --seed S (1) --steps K (10 simulation frames) --timeout-ms T (2000)
 *          --only I (run case I alone) --save DIR (write failing cases there) --quiet
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import { spawnWorker } from '../src/physics/workers/spawn';
import { fuzzCase, fuzzPackagePath, fuzzSeeds, runFuzzCase, type FuzzResult } from '../src/main/service/urdf-fuzz';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface CaseMsg {
  type: 'case';
  i: number;
}
type WorkerMsg =
  | { type: 'ready' }
  | { type: 'started'; i: number }
  | { type: 'harness'; i: number; message: string }
  | { type: 'result'; i: number; result: FuzzResult; base: string; ops: string[] };

async function worker(): Promise<void> {
  const { seed, steps } = workerData as { seed: number; steps: number };
  const seeds = fuzzSeeds(ROOT);
  const packagePath = fuzzPackagePath(ROOT);
  const { loadRapier } = await import('../src/physics/rapier');
  await loadRapier();
  const port = parentPort!;
  port.on('message', async (m: CaseMsg) => {
    let c: ReturnType<typeof fuzzCase>;
    try {
      c = fuzzCase(seeds, seed, m.i);
    } catch (e) {
      // the harness's own failure, not the importer's: reported apart
      port.postMessage({ type: 'harness', i: m.i, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } satisfies WorkerMsg);
      return;
    }
    port.postMessage({ type: 'started', i: m.i } satisfies WorkerMsg);
    const result = await runFuzzCase(c.xml, c.seed.path, { packagePath, steps });
    port.postMessage({ type: 'result', i: m.i, result, base: relative(ROOT, c.seed.path), ops: c.ops } satisfies WorkerMsg);
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMsg);
}

function args(argv: string[]): { count: number; seed: number; steps: number; timeoutMs: number; only?: number; save?: string; quiet: boolean } {
  const out = { count: 200, seed: 1, steps: 10, timeoutMs: 2000, only: undefined as number | undefined, save: undefined as string | undefined, quiet: false };
  const int = (name: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) throw new Error(`--${name} expects an integer >= ${min}, got "${v ?? ''}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--count') out.count = int('count', argv[++i], 1);
    else if (a === '--seed') out.seed = int('seed', argv[++i], 0);
    else if (a === '--steps') out.steps = int('steps', argv[++i], 0);
    else if (a === '--timeout-ms') out.timeoutMs = int('timeout-ms', argv[++i], 1);
    else if (a === '--only') out.only = int('only', argv[++i], 0);
    else if (a === '--save') {
      out.save = argv[++i];
      if (!out.save) throw new Error('--save expects a folder');
    } else if (a === '--quiet') out.quiet = true;
    else throw new Error(`unknown option ${a} (--count N --seed S --steps K --timeout-ms T --only I --save DIR --quiet)`);
  }
  return out;
}

async function main(): Promise<number> {
  let opts: ReturnType<typeof args>;
  try {
    opts = args(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz-urdf: ${(e as Error).message}`);
    return 2;
  }
  const t0 = performance.now();
  const seeds = fuzzSeeds(ROOT);
  const counts = { ok: 0, cleanErrors: 0, crashes: 0, hangs: 0, nan: 0, missingLocation: 0 };
  const codes: Record<string, number> = {};
  let slowest = { ms: 0, i: -1 };
  const cases = opts.only !== undefined ? [opts.only] : Array.from({ length: opts.count }, (_, i) => i);

  /** The case again, here (for hangs, whose worker is gone, and --save); null if making it fails. */
  const remake = (i: number) => {
    try {
      return fuzzCase(seeds, opts.seed, i);
    } catch {
      return null;
    }
  };
  const report = (i: number, outcome: string, detail: string | undefined, base: string, ops: string[]) => {
    console.error(JSON.stringify({ case: i, outcome, base, ops, detail }));
    const c = opts.save ? remake(i) : null;
    if (opts.save && c) {
      mkdirSync(opts.save, { recursive: true });
      writeFileSync(join(opts.save, `case-${opts.seed}-${i}-${outcome}.urdf`), c.xml);
    }
  };
  let harnessErrors = 0;

  let w: Worker | null = null;
  let onMsg: ((m: WorkerMsg) => void) | null = null;
  let onDeath: ((e: Error) => void) | null = null;
  const start = (): Promise<void> =>
    new Promise((res, rej) => {
      w = spawnWorker(new URL(import.meta.url), { seed: opts.seed, steps: opts.steps });
      w.on('message', (m: WorkerMsg) => (m.type === 'ready' ? res() : onMsg?.(m)));
      w.on('error', (e) => (onDeath ? onDeath(e) : rej(e)));
      w.on('exit', (code) => onDeath?.(new Error(`worker exited (${code})`)));
    });
  const stop = async () => {
    const old = w;
    w = null;
    if (old) {
      old.removeAllListeners();
      old.on('error', () => {});
      await old.terminate();
    }
  };

  for (const i of cases) {
    if (!w) await start();
    const r = await new Promise<{ kind: 'result'; m: Extract<WorkerMsg, { type: 'result' }> } | { kind: 'hang' } | { kind: 'died'; e: Error } | { kind: 'harness'; message: string }>((res) => {
      // making the case is the harness's work: over 30 s it is the harness that hangs, not the importer
      let timer: NodeJS.Timeout | null = setTimeout(() => res({ kind: 'harness', message: 'making the case took over 30 s' }), 30_000);
      onMsg = (m) => {
        if (m.type === 'started' && m.i === i) {
          if (timer) clearTimeout(timer);
          timer = setTimeout(() => res({ kind: 'hang' }), opts.timeoutMs);
        } else if (m.type === 'harness' && m.i === i) {
          if (timer) clearTimeout(timer);
          timer = null;
          res({ kind: 'harness', message: m.message });
        } else if (m.type === 'result' && m.i === i) {
          if (timer) clearTimeout(timer);
          timer = null;
          res({ kind: 'result', m });
        }
      };
      onDeath = (e) => {
        if (timer) clearTimeout(timer);
        res({ kind: 'died', e });
      };
      w!.postMessage({ type: 'case', i } satisfies CaseMsg);
    });
    onMsg = null;
    onDeath = null;
    if (r.kind === 'result') {
      const { result, base, ops } = r.m;
      if (result.ms > slowest.ms) slowest = { ms: result.ms, i };
      if (result.outcome === 'ok') counts.ok++;
      else if (result.outcome === 'error') {
        counts.cleanErrors++;
        codes[result.code!] = (codes[result.code!] ?? 0) + 1;
      } else {
        if (result.outcome === 'crash') counts.crashes++;
        else if (result.outcome === 'nan') counts.nan++;
        else counts.missingLocation++;
        report(i, result.outcome, result.detail, base, ops);
      }
    } else if (r.kind === 'harness') {
      harnessErrors++;
      console.error(JSON.stringify({ case: i, outcome: 'harness-error', detail: r.message }));
      await stop();
    } else {
      const c = remake(i);
      const base = c ? relative(ROOT, c.seed.path) : '?';
      if (r.kind === 'hang') {
        counts.hangs++;
        report(i, 'hang', `over ${opts.timeoutMs} ms`, base, c?.ops ?? []);
      } else {
        counts.crashes++; // the worker itself died (out of memory, a wasm abort...)
        report(i, 'crash', `worker died: ${r.e.message}`, base, c?.ops ?? []);
      }
      await stop();
    }
    const n = counts.ok + counts.cleanErrors + counts.crashes + counts.hangs + counts.nan + counts.missingLocation + harnessErrors;
    if (!opts.quiet && n % 500 === 0) console.error(`fuzz-urdf: ${n}/${cases.length} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  await stop();
  const summary = {
    count: cases.length,
    seed: opts.seed,
    ...counts,
    ...(harnessErrors ? { harnessErrors } : {}),
    codes,
    slowestCaseMs: Math.round(slowest.ms),
    slowestCase: slowest.i,
    wallSeconds: Math.round((performance.now() - t0) / 100) / 10,
  };
  console.log(JSON.stringify(summary));
  return counts.crashes + counts.hangs + counts.nan + counts.missingLocation + harnessErrors > 0 ? 1 : 0;
}

if (isMainThread) process.exit(await main());
else await worker();
