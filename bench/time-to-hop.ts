/**
 * Time to hop: wall seconds (on this machine, as it is loaded) until a learner's deterministic
 * evaluation on Hopper-v0 first reaches return >= 1000 with >= 3 m forward (5 episodes, checked
 * every --eval-every steps), for PPO and SAC at the registry's defaults (SAC's networks as given).
 *   npx tsx bench/time-to-hop.ts [--algos ppo,sac] [--seed S] [--max-steps N] [--sac-hidden 64,64]
 * Prints one JSON line per algorithm and writes bench/results/time-to-hop.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTrainingJob } from '../src/meta/jobs/train.js';
import { PHYSICS_ENV_MODULE } from '../src/meta/rl/physics-vec-env.js';

const args = process.argv.slice(2);
const arg = (k: string, d: string) => (args.includes(`--${k}`) ? args[args.indexOf(`--${k}`) + 1] : d);
const algos = arg('algos', 'ppo,sac').split(',');
const seed = Number(arg('seed', '0'));
const maxSteps = Number(arg('max-steps', '1000000'));
const evalEvery = Number(arg('eval-every', '20480'));
const sacHidden = arg('sac-hidden', '64,64').split(',').map(Number);

const results: Record<string, unknown>[] = [];
for (const algo of algos) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `adaptlab-tth-${algo}-`));
  const ac = new AbortController();
  const t0 = performance.now();
  let hit: { step: number; seconds: number; evalReturn: number; evalForwardDistance: number } | null = null;
  let lastEval: Record<string, number> | null = null;
  const r = await runTrainingJob(
    {
      algo,
      env: 'Hopper-v0',
      envModule: PHYSICS_ENV_MODULE,
      seed,
      totalSteps: maxSteps,
      runDir: path.join(dir, 'run'),
      evalEvery,
      config: algo === 'sac' ? { hidden: sacHidden } : {},
    },
    (p) => {
      const ret = p.metrics.evalReturn;
      const dist = p.metrics.evalForwardDistance;
      if (typeof ret !== 'number' || typeof dist !== 'number') return;
      lastEval = { step: p.step, evalReturn: ret, evalForwardDistance: dist };
      console.log(`[time-to-hop] ${algo} step ${p.step}: eval return ${ret.toFixed(0)}, forward ${dist.toFixed(2)} m, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      if (!hit && ret >= 1000 && dist >= 3) {
        hit = { step: p.step, seconds: (performance.now() - t0) / 1000, evalReturn: ret, evalForwardDistance: dist };
        ac.abort();
      }
    },
    ac.signal,
  );
  const row = { algo, seed, reached: hit !== null, ...(hit ?? { steps: r.step, seconds: (performance.now() - t0) / 1000, lastEval }), evalEvery, cores: os.cpus().length, load: os.loadavg()[0] };
  console.log(JSON.stringify(row));
  results.push(row);
  fs.rmSync(dir, { recursive: true, force: true });
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'time-to-hop.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
console.log(`[time-to-hop] wrote ${out}`);
