/**
 * The broken-leg showcase's protocol (`eval-adapt --preset ant-broken-leg [--at STEP]`, issue 20):
 * the ant follows the world x axis (AntPath-v0) with leg 3 crippled from the start or from step
 * STEP; every method plans with the same MPPI on the same seeded episodes; each method is compared
 * with MB on the same episodes (paired), differences oriented so that positive is better.
 *
 * Episodes run in worker threads (one per core by default); each (seed, method) block is seeded on
 * its own, so the numbers do not depend on how many workers ran them.
 */
import os from 'node:os';
import path from 'node:path';
import { spawnWorker } from '../../physics/workers/spawn.js';
import { meanCi, pairedDiff, type MeanCi, type PairedDiff } from '../../shared/paired.js';
import type { AfterFault, EvalAdaptDetailed, EvalAdaptOptions, EvalMethod } from './eval.js';
import type { PlannerConfig } from './planner.js';

type Episode = EvalAdaptDetailed['perEpisode'][string][number];

export const BROKEN_LEG_PRESET = {
  preset: 'ant-broken-leg',
  env: 'AntPath-v0',
  /** Checkpoints are Ant-v0's: the path task has the same dynamics. */
  checkpointEnv: 'Ant-v0',
  fault: { kind: 'cripple', leg: 3, shrink: true },
  methods: ['oracle', 'grbal', 'rebal', 'mb'] as EvalMethod[],
  seeds: [1, 2, 3, 4, 5, 6, 7, 8],
  episodesPerSeed: 5,
  steps: 400,
  /** The mid-episode condition in the README: the leg breaks after 7.5 s. */
  midEpisodeAt: 150,
  /**
   * MPPI 200 x 20 (1 s) at temperature 2. At 1 the intact ant under MB stood still (hips pressed
   * on their limits while its plans predicted progress) in 8 of 16 episodes and ended on its back
   * in 1; at 2 it stood still in 2 and never fell; mean reward 0.71 against 0.34 (development
   * seeds, scripts/experiments/ant-intact-path.ts --temperature). Weighting more candidates
   * exploits the model's errors less.
   */
  planner: { kind: 'mppi', candidates: 200, horizon: 20, temperature: 2 } as PlannerConfig,
  /** The metric `paired` reports: the task's own objective. */
  metric: 'meanReward',
};

export interface BrokenLegMethod {
  /** Mean env reward per step from the fault on (progress - lateral - heading - control costs + alive). */
  meanReward: MeanCi;
  /** Torso x gained from the fault on (m). */
  progress: MeanCi;
  /** Mean |y| from the fault on (m). */
  lateralError: MeanCi;
  predictionError: { before: number; after: number };
  msPerStep: number;
}

export interface BrokenLegResult {
  preset: string;
  env: string;
  fault: string;
  at: number;
  steps: number;
  planner: PlannerConfig;
  /** false in the ablation with adaptation off. */
  adapt: boolean;
  seeds: number[];
  episodesPerSeed: number;
  methods: Record<string, BrokenLegMethod>;
  /** Against MB on the task's objective (mean reward per step), positive = better. */
  paired: Record<string, PairedDiff>;
  /** Against MB on progress (higher is better) and lateral error (lower is better). */
  pairedBy: Record<string, { progress: PairedDiff; lateralError: PairedDiff }>;
  /** The oracle's edge over MB that each adaptive method recovers: its meanDiff / the oracle's (only where the oracle's interval is above zero). */
  recovered: Record<string, number>;
  workers: number;
  wallSeconds: number;
}

export interface BrokenLegOptions {
  at?: number;
  methods?: EvalMethod[];
  seeds?: number[];
  episodesPerSeed?: number;
  steps?: number;
  /** Root of `Ant-v0/<method>.json` (default assets/checkpoints). */
  checkpointDir?: string;
  planner?: Partial<PlannerConfig>;
  /** Worker threads (default: the machine's cores, at most the number of blocks). */
  workers?: number;
  /** false: every method with adaptation off (the ablation "meta-trained, not adapted"). */
  adapt?: boolean;
  onEpisode?: (r: { method: string; seed: number; episode: number } & AfterFault) => void;
}

/** One block of work: every method on one seed's episodes. What a worker thread runs. */
export type BrokenLegBlock = Pick<EvalAdaptOptions, 'at' | 'methods' | 'episodes' | 'seed' | 'steps' | 'planner' | 'adapt'> & { env: string; fault: typeof BROKEN_LEG_PRESET.fault; checkpoints: Record<string, string> };

/**
 * Each adaptive method's share of the oracle's edge over MB. A share means something only where
 * that edge is clear (the oracle's interval above zero); otherwise there is none.
 */
export function recoveredShares(paired: Record<string, PairedDiff>): Record<string, number> {
  const oracle = paired.oracle;
  if (!oracle || !(oracle.ci95[0] > 0)) return {};
  return Object.fromEntries(Object.entries(paired).filter(([m]) => m !== 'oracle').map(([m, p]) => [m, p.meanDiff / oracle.meanDiff]));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function runBlocks(blocks: BrokenLegBlock[], workers: number, onEpisode?: BrokenLegOptions['onEpisode']): Promise<EvalAdaptDetailed[]> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./eval-broken-leg-worker${ext}`, import.meta.url);
  const results: EvalAdaptDetailed[] = new Array(blocks.length);
  let next = 0;
  const runOne = (): Promise<void> => {
    const i = next++;
    if (i >= blocks.length) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w = spawnWorker(url, { block: blocks[i] });
      let done = false;
      w.on('message', (m: ({ type: 'episode'; method: string; episode: number } & AfterFault) | { type: 'done'; result: EvalAdaptDetailed } | { type: 'error'; message: string }) => {
        if (m.type === 'episode') onEpisode?.({ method: m.method, seed: blocks[i].seed, episode: m.episode, progress: m.progress, meanReward: m.meanReward, lateralError: m.lateralError });
        else if (m.type === 'done') {
          done = true;
          results[i] = m.result;
        } else {
          done = true;
          reject(new Error(`seed ${blocks[i].seed}: ${m.message}`));
        }
      });
      w.on('error', reject);
      w.on('exit', (code) => (done ? resolve() : reject(new Error(`evaluation worker (seed ${blocks[i].seed}) exited with code ${code}`))));
    }).then(runOne);
  };
  return Promise.all(Array.from({ length: Math.min(workers, blocks.length) }, runOne)).then(() => results);
}

export async function evalBrokenLeg(o: BrokenLegOptions = {}): Promise<BrokenLegResult> {
  const P = BROKEN_LEG_PRESET;
  const at = o.at ?? 0;
  const steps = o.steps ?? P.steps;
  if (at >= steps) throw new Error(`--at ${at}: the episode has ${steps} steps, the leg must break before the end`);
  const methods = o.methods ?? P.methods;
  if (!methods.includes('mb')) throw new Error('the preset compares every method with MB: include mb');
  const seeds = o.seeds ?? P.seeds;
  const episodes = o.episodesPerSeed ?? P.episodesPerSeed;
  const planner = { ...P.planner, ...o.planner };
  const root = path.resolve(o.checkpointDir ?? 'assets/checkpoints', P.checkpointEnv);
  const checkpoints = Object.fromEntries(methods.map((m) => [m, path.join(root, `${m === 'mbde' ? 'mb' : m}.json`)]));
  const adapt = o.adapt ?? true;
  const blocks: BrokenLegBlock[] = seeds.map((seed) => ({ env: P.env, fault: P.fault, at, methods, episodes, seed, steps, planner, checkpoints, adapt }));
  const workers = Math.max(1, Math.min(o.workers ?? os.availableParallelism(), blocks.length));
  const t0 = performance.now();
  const res = await runBlocks(blocks, workers, o.onEpisode);
  const per: Record<string, Episode[]> = Object.fromEntries(methods.map((m) => [m, res.flatMap((r) => r.perEpisode[m])]));
  const out: BrokenLegResult = {
    preset: P.preset,
    env: P.env,
    fault: `cripple:${P.fault.leg}`,
    at,
    steps,
    planner,
    adapt,
    seeds,
    episodesPerSeed: episodes,
    methods: {},
    paired: {},
    pairedBy: {},
    recovered: {},
    workers,
    wallSeconds: 0,
  };
  for (const m of methods) {
    const eps = per[m];
    out.methods[m] = {
      meanReward: meanCi(eps.map((e) => e.afterFault.meanReward)),
      progress: meanCi(eps.map((e) => e.afterFault.progress)),
      lateralError: meanCi(eps.map((e) => e.afterFault.lateralError ?? NaN)),
      predictionError: { before: mean(eps.map((e) => e.errorBefore)), after: mean(eps.map((e) => e.errorAfter)) },
      msPerStep: mean(eps.map((e) => e.msPerStep)),
    };
    if (m === 'mb') continue;
    const b = per.mb;
    out.paired[m] = pairedDiff(P.metric, b.map((e) => e.afterFault.meanReward), eps.map((e) => e.afterFault.meanReward), false);
    out.pairedBy[m] = {
      progress: pairedDiff('progress', b.map((e) => e.afterFault.progress), eps.map((e) => e.afterFault.progress), false),
      lateralError: pairedDiff('lateralError', b.map((e) => e.afterFault.lateralError ?? NaN), eps.map((e) => e.afterFault.lateralError ?? NaN), true),
    };
  }
  out.recovered = recoveredShares(out.paired);
  out.wallSeconds = (performance.now() - t0) / 1000;
  return out;
}
