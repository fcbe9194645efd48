/**
 * The README's DARC table for one pair: every finished run `<method>-s<seed>/` under --runs is
 * evaluated in the pair's TARGET (and, for reference, its source) exactly as
 * `adaptlab eval --policy <run>/policy.json --pair PAIR --domain target --episodes K --seed S`
 * does. Per method: the mean return and forward distance with a 95% interval over seeds x
 * episodes (the issue's n) and over the seeds' means (the stricter one), and the training budget
 * (source steps, target steps, wall minutes). `paired`: each method against RL on source, paired on
 * (training seed, evaluation episode), positive = higher target return. One JSON object on stdout.
 *   npx tsx scripts/darc-table.ts --pair assets/pairs/broken-hopper.json --runs runs/darc-hopper2 [--episodes 10] [--seed 0]
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadPair } from '../src/meta/pairs';
import { loadPolicy } from '../src/meta/policy';
import { evaluatePolicy } from '../src/meta/eval-policy';
import { meanCi, pairedDiff } from '../src/shared/paired';
import type { EnvConfig, EnvId } from '../src/physics/envs/types';

const arg = (name: string, fallback?: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`usage: tsx scripts/darc-table.ts --pair FILE --runs DIR [--episodes K] [--seed S] (missing --${name})`);
  return v;
};
const pairFile = arg('pair');
const runsDir = arg('runs');
const episodes = Number(arg('episodes', '10'));
const seed = Number(arg('seed', '0'));
const BASELINE = 'source';
const ORDER = ['source', 'target', 'target10x', 'darc'];

const pair = loadPair(pairFile);

interface RunInfo {
  method: string;
  seed: number;
  dir: string;
}

/** Finished runs named <method>-s<seed> (status done, policy.json present). */
function finishedRuns(): RunInfo[] {
  return readdirSync(runsDir)
    .map((name) => ({ name, m: /^([\w]+)-s(\d+)$/.exec(name) }))
    .filter(({ name, m }) => m && existsSync(join(runsDir, name, 'policy.json')) && /"done"/.test(readFileSync(join(runsDir, name, 'status.json'), 'utf8')))
    .map(({ name, m }) => ({ method: m![1], seed: Number(m![2]), dir: join(runsDir, name) }))
    .sort((a, b) => ORDER.indexOf(a.method) - ORDER.indexOf(b.method) || a.seed - b.seed);
}

/** Source and target steps and wall minutes of a run, from its config and metrics. */
function budget(r: RunInfo): { sourceSteps: number; targetSteps: number; wallMinutes: number } {
  const cfg = JSON.parse(readFileSync(join(r.dir, 'config.json'), 'utf8')) as { algo: string; totalSteps: number; envConfig: unknown };
  const rows = readFileSync(join(r.dir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, number>);
  const last = rows[rows.length - 1];
  // wall time: the sum of the rows' gaps, leaving out gaps over 10 minutes (a run stopped and resumed)
  let wall = 0;
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i].wallTime - rows[i - 1].wallTime;
    if (d < 600) wall += d;
  }
  if (cfg.algo === 'darc') return { sourceSteps: last.step, targetSteps: last.targetSteps, wallMinutes: wall / 60 };
  const inTarget = JSON.stringify(cfg.envConfig ?? {}) === JSON.stringify(pair.target.config ?? {});
  return { sourceSteps: inTarget ? 0 : last.step, targetSteps: inTarget ? last.step : 0, wallMinutes: wall / 60 };
}

const runs = finishedRuns();
const perRun = [];
for (const r of runs) {
  const policy = loadPolicy(join(r.dir, 'policy.json'));
  const evalIn = (d: 'source' | 'target') => evaluatePolicy(policy, pair[d].env as EnvId, { episodes, seed, envConfig: pair[d].config as EnvConfig });
  const target = await evalIn('target');
  const source = await evalIn('source');
  perRun.push({ ...r, budget: budget(r), target, source });
  console.error(`${r.method}-s${r.seed}: target return ${target.return.mean.toFixed(1)}, source ${source.return.mean.toFixed(1)}`);
}

const methods = [...new Set(perRun.map((r) => r.method))];
const round = (x: number) => Number(x.toFixed(2));
const ci = (xs: number[]) => {
  const s = meanCi(xs);
  return { mean: round(s.mean), ci95: s.ci95.map(round), n: s.n };
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const out: Record<string, unknown> = {};
for (const m of methods) {
  const rs = perRun.filter((r) => r.method === m);
  out[m] = {
    seeds: rs.map((r) => r.seed),
    targetReturn: ci(rs.flatMap((r) => r.target.returns)),
    targetReturnOverSeeds: ci(rs.map((r) => r.target.return.mean)),
    targetForwardDistance: ci(rs.flatMap((r) => r.target.forwardDistances)),
    sourceReturn: ci(rs.flatMap((r) => r.source.returns)),
    perSeedTargetReturn: rs.map((r) => round(r.target.return.mean)),
    budget: {
      sourceSteps: rs.map((r) => r.budget.sourceSteps),
      targetSteps: rs.map((r) => r.budget.targetSteps),
      wallMinutes: rs.map((r) => round(r.budget.wallMinutes)),
      meanWallMinutes: round(sum(rs.map((r) => r.budget.wallMinutes)) / rs.length),
    },
  };
}

// paired on (training seed, evaluation episode): seeds both methods have
const paired: Record<string, unknown> = {};
const base = perRun.filter((r) => r.method === BASELINE);
for (const m of methods.filter((x) => x !== BASELINE)) {
  const rs = perRun.filter((r) => r.method === m && base.some((b) => b.seed === r.seed));
  if (!rs.length) continue;
  const b = rs.flatMap((r) => base.find((x) => x.seed === r.seed)!.target.returns);
  const d = pairedDiff('targetReturn', b, rs.flatMap((r) => r.target.returns), false);
  paired[m] = { metric: d.metric, meanDiff: round(d.meanDiff), ci95: d.ci95.map(round), n: d.n, seeds: rs.map((r) => r.seed) };
}
console.log(JSON.stringify({ pair: pairFile, runs: runsDir, episodes, seed, methods: out, pairedVsSource: paired }));
