/** `adaptlab train`, `adaptlab runs`, `adaptlab eval`: training from the command line. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evaluateRun } from '../../meta/jobs/eval';
import { startTrainingWorker } from '../../meta/jobs/spawn';
import type { TrainingJobSpec } from '../../meta/jobs/train';
import { defaultPpoConfig } from '../../meta/rl/ppo';
import { Run } from '../../meta/runs';
import { BACKEND_FLAG } from '../../shared/cli-flags';
import { listRuns } from '../service/runs';
import { ppoEnvIds, trainingSpec } from '../service/jobs';
import { boolFlag, ensureWritableDir, flag, intFlag, UsageError, type FlagTable, type ParsedArgs } from './args';

export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

const MODEL_BASED = ['grbal', 'rebal', 'mb'];

/** Model-based meta-RL has its own command line (src/meta/mbrl/cli.ts, same strict parser): hand it the raw argv. */
export async function delegateToMbrl(argv: string[]): Promise<number> {
  const { main } = await import('../../meta/mbrl/cli');
  await main(argv);
  return 0;
}

/** Flags of `adaptlab train ppo` (data: the CLI checks argv against it before anything runs). */
export const PPO_FLAGS: FlagTable = {
  env: { kind: 'string', values: ppoEnvIds, help: 'env id (not needed with --resume)' },
  steps: { kind: 'int', min: 1, max: 1e9, help: 'total env steps (default 100000; with --resume: the run\'s own total)' },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1 },
  out: { kind: 'string', hint: 'DIR', help: 'runs folder (default ./runs)' },
  'num-envs': { kind: 'int', min: 1, max: 256, help: 'parallel envs (default 16)' },
  backend: BACKEND_FLAG,
  resume: { kind: 'string', hint: 'RUN_DIR', help: 'continue a run from its latest checkpoint' },
};

const DEFAULT_STEPS = 100_000;
const DEFAULT_NUM_ENVS = 16;

interface PpoRunConfig {
  algo?: string;
  env?: string;
  seed?: number;
  numEnvs?: number;
  totalSteps?: number;
  ppo?: { numSteps?: number };
}

/**
 * The training spec `adaptlab train ppo` asks for, checked before a worker starts: env, step count
 * (at least one PPO iteration), a writable runs folder, and on --resume agreement with the run's
 * config.json (its env, seed and env count; its total steps unless --steps changes them).
 * Returns the spec and notes to print.
 */
export function ppoSpec(args: ParsedArgs): { spec: TrainingJobSpec; notes: string[] } {
  const notes: string[] = [];
  const resumeDir = flag(args, 'resume');
  let cfg: PpoRunConfig | null = null;
  if (resumeDir) {
    const dir = resolve(resumeDir);
    if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--resume ${resumeDir}: not a run folder (no config.json)`);
    try {
      cfg = Run.open(dir).config<PpoRunConfig>();
    } catch (e) {
      throw new UsageError(`--resume ${resumeDir}: unreadable config.json (${e instanceof Error ? e.message : String(e)})`);
    }
    if (cfg.algo !== 'ppo')
      throw new UsageError(`--resume ${resumeDir} is a ${String(cfg.algo)} run, not ppo (continue it with: adaptlab train ${String(cfg.algo)} --init-from ${join(dir, 'checkpoints', 'latest.json')} ...)`);
    const mismatch = (name: string, given: string | number | undefined, own: unknown) => {
      if (given !== undefined && own !== undefined && String(given) !== String(own))
        throw new UsageError(`--${name} ${given} does not match the run's ${name} ${String(own)} (${join(resumeDir, 'config.json')}); drop --${name} to resume it`);
    };
    mismatch('env', flag(args, 'env'), cfg.env);
    mismatch('seed', flag(args, 'seed'), cfg.seed);
    mismatch('num-envs', flag(args, 'num-envs'), cfg.numEnvs);
    if (flag(args, 'out') !== undefined) throw new UsageError(`--out does not go with --resume (the run stays in ${resumeDir})`);
  }
  const env = flag(args, 'env') ?? cfg?.env;
  if (!env) throw new UsageError(`--env is required (one of ${ppoEnvIds().join(', ')})`);
  const seed = intFlag(args, 'seed', cfg?.seed ?? 0, 0, 2 ** 31 - 1);
  const numEnvs = cfg?.numEnvs ?? intFlag(args, 'num-envs', DEFAULT_NUM_ENVS, 1, 256);
  const perIteration = numEnvs * (cfg?.ppo?.numSteps ?? defaultPpoConfig.numSteps);
  const given = flag(args, 'steps') !== undefined;
  let steps = intFlag(args, 'steps', cfg?.totalSteps ?? DEFAULT_STEPS, 1, 1e9);
  if (given || !cfg) {
    if (steps < perIteration)
      throw new UsageError(`--steps ${steps} is less than one PPO iteration (${numEnvs} envs x ${perIteration / numEnvs} steps = ${perIteration}); give --steps ${perIteration} or more`);
    if (steps % perIteration) {
      const rounded = Math.ceil(steps / perIteration) * perIteration;
      notes.push(`train: PPO trains whole iterations of ${perIteration} steps: ${given ? '--steps ' : ''}${steps} steps run as ${rounded}`);
      steps = rounded;
    }
  }
  const base = trainingSpec({ algo: 'ppo', env, steps, seed, numEnvs }, resolve(flag(args, 'out') ?? 'runs'));
  const spec: TrainingJobSpec = { ...base, ...(flag(args, 'backend') ? { backend: flag(args, 'backend') } : {}) };
  if (resumeDir) Object.assign(spec, { runDir: resolve(resumeDir), resume: true, runsRoot: undefined });
  else ensureWritableDir(flag(args, 'out') ?? 'runs', 'out');
  return { spec, notes };
}

export async function train(args: ParsedArgs, raw: string[] = []): Promise<number> {
  const algo = args.positional[0];
  if (MODEL_BASED.includes(algo)) return delegateToMbrl(['train', ...raw]);
  if (algo !== 'ppo') throw new UsageError(`unknown algorithm "${algo ?? ''}" (available: ppo, grbal, rebal, mb)`);
  const { spec, notes } = ppoSpec(args);
  for (const n of notes) console.log(n);
  const job = startTrainingWorker(spec, {
    onStarted: (backend) => console.log(`train: PPO on ${spec.env}, ${spec.totalSteps} steps, seed ${spec.seed}, backend ${backend}`),
    onProgress: (p) => {
      const ret = typeof p.metrics.episodeReturn === 'number' ? p.metrics.episodeReturn.toFixed(1) : '—';
      const fps = typeof p.metrics.fps === 'number' ? p.metrics.fps.toFixed(0) : '—';
      const pct = ((100 * p.step) / p.totalSteps).toFixed(0);
      console.log(`step ${p.step}/${p.totalSteps} (${pct}%)  return ${ret}  ${fps} steps/s  ETA ${formatDuration(p.etaSeconds)}`);
    },
  });
  const stop = () => {
    console.log('train: stopping after this iteration (checkpointing)…');
    job.cancel();
  };
  process.once('SIGINT', stop);
  try {
    const result = await job.result;
    console.log(`train: ${result.status} at step ${result.step}; run folder ${result.runDir}`);
  } finally {
    process.off('SIGINT', stop);
  }
  return 0;
}

export async function runs(args: ParsedArgs): Promise<number> {
  const root = resolve(args.positional[0] ?? 'runs');
  const list = listRuns(root);
  if (boolFlag(args, 'json')) {
    console.log(JSON.stringify(list));
    return 0;
  }
  if (!list.length) {
    console.log(`no runs in ${root}`);
    return 0;
  }
  const rows = list.map((r) => [r.id, r.algo, r.env, r.status, `${r.step}/${r.totalSteps ?? '?'}`, r.last.episodeReturn?.toFixed(1) ?? '—', r.backend ?? '—']);
  const head = ['RUN', 'ALGO', 'ENV', 'STATUS', 'STEPS', 'RETURN', 'BACKEND'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
  return 0;
}

export async function evaluate(args: ParsedArgs): Promise<number> {
  const run = flag(args, 'run');
  if (!run) throw new UsageError('--run DIR is required');
  const episodes = intFlag(args, 'episodes', 10, 1, 10_000);
  const seed = intFlag(args, 'seed', 0, 0, 2 ** 31 - 1);
  const r = await evaluateRun(resolve(run), { episodes, seed, ...(flag(args, 'backend') ? { backend: flag(args, 'backend') } : {}) });
  const summary = { run: resolve(run), env: r.env, step: r.step, episodes, mean: r.mean, std: r.std, returns: r.returns };
  if (boolFlag(args, 'json')) console.log(JSON.stringify(summary));
  else console.log(`${r.env} at step ${r.step}: return ${r.mean.toFixed(2)} ± ${r.std.toFixed(2)} over ${episodes} episodes`);
  return 0;
}


