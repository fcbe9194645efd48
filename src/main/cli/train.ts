/** `adaptlab train`, `adaptlab runs`, `adaptlab eval`: training from the command line. */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { evaluateRun } from '../../meta/jobs/eval';
import { startTrainingWorker } from '../../meta/jobs/spawn';
import { runPolicyFile, runTrainerConfig, type RunConfig, type TrainingJobSpec } from '../../meta/jobs/train';
import type { TrainerEntry } from '../../meta/trainers/entry';
import { TRAINERS, vecEnvIds } from '../../meta/trainers/registry';
import { Run } from '../../meta/runs';
import { BACKEND_FLAG } from '../../shared/cli-flags';
import { listRuns } from '../service/runs';
import { trainingSpec } from '../service/jobs';
import { isPhysicsEnv } from '../../meta/rl/physics-vec-env';
import { ENV_SPECS } from '../../physics/envs/registry';
import { boolFlag, ensureWritableDir, flag, intFlag, UsageError, type FlagTable, type ParsedArgs } from './args';
import { configFromFlags, kebab, schemaFlagTable } from './trainer-flags';

export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The model-based algorithms (their own CLI, src/meta/mbrl/cli.ts, until they move onto the registry). */
export const MODEL_BASED: Record<string, string> = {
  mb: 'model-based RL: a dynamics model learned from data, MPC on it (Nagabandi et al. 2018)',
  grbal: 'GrBAL: a dynamics model meta-trained to adapt by one gradient step on recent transitions',
  rebal: 'ReBAL: a dynamics model meta-trained with a recurrent update on recent transitions',
};

/** Model-based meta-RL has its own command line (src/meta/mbrl/cli.ts, same strict parser): hand it the raw argv. */
export async function delegateToMbrl(argv: string[]): Promise<number> {
  const { main } = await import('../../meta/mbrl/cli');
  await main(argv);
  return 0;
}

/** Flags every registry trainer takes, beside its own schema's. */
const COMMON_FLAGS: FlagTable = {
  env: { kind: 'string', values: vecEnvIds, help: 'env id (not needed with --resume)' },
  steps: { kind: 'int', min: 1, max: 1e9, help: "total steps (default 100000; with --resume: the run's own total)" },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1 },
  out: { kind: 'string', hint: 'DIR', help: 'runs folder (default ./runs)' },
  'env-workers': { kind: 'int', min: 1, max: 64, help: 'threads stepping physics envs (default 1; same results for any number)' },
  backend: BACKEND_FLAG,
  resume: { kind: 'string', hint: 'RUN_DIR', help: 'continue a run from its latest checkpoint' },
  'eval-every': { kind: 'int', min: 0, max: 1e9, help: 'evaluate the policy deterministically every N steps (physics envs; adds evalReturn and evalForwardDistance to metrics.jsonl)' },
  'eval-episodes': { kind: 'int', min: 1, max: 1000, help: 'episodes per evaluation (default 5)' },
  'copy-policy-to': { kind: 'string', hint: 'FILE', help: "when the run is done, copy its policy.json there (e.g. assets/policies/Hopper-v0/ppo.json)" },
};

/** The flags of `adaptlab train <algo>` for a registry trainer: common ones, then its schema's. */
export function trainFlags(entry: TrainerEntry): FlagTable {
  return { ...COMMON_FLAGS, ...schemaFlagTable(entry.config) };
}

/** The algorithms `adaptlab train` knows: the registry's, then the model-based ones. */
export function trainAlgorithms(): { id: string; summary: string }[] {
  return [...TRAINERS.map((t) => ({ id: t.id, summary: t.summary })), ...Object.entries(MODEL_BASED).map(([id, summary]) => ({ id, summary }))];
}

/**
 * The training spec `adaptlab train <algo>` asks for, checked before a worker starts: env, step
 * count (at least one iteration, rounded up to whole ones), a writable runs folder, the trainer's
 * config from its schema's flags, and on --resume agreement with the run's config.json (its algo,
 * env, seed and config; its total steps unless --steps changes them). Returns the spec and notes.
 */
export function trainSpec(entry: TrainerEntry, args: ParsedArgs): { spec: TrainingJobSpec; notes: string[] } {
  const notes: string[] = [];
  const resumeDir = flag(args, 'resume');
  let cfg: RunConfig | null = null;
  if (resumeDir) {
    const dir = resolve(resumeDir);
    if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--resume ${resumeDir}: not a run folder (no config.json)`);
    try {
      cfg = Run.open(dir).config<RunConfig>();
    } catch (e) {
      throw new UsageError(`--resume ${resumeDir}: unreadable config.json (${e instanceof Error ? e.message : String(e)})`);
    }
    if (cfg.algo !== entry.id)
      throw new UsageError(
        `--resume ${resumeDir} is a ${String(cfg.algo)} run, not ${entry.id}` +
          (cfg.algo && cfg.algo in MODEL_BASED ? ` (continue it with: adaptlab train ${String(cfg.algo)} --init-from ${join(dir, 'checkpoints', 'latest.json')} ...)` : ` (resume it with: adaptlab train ${String(cfg.algo)} --resume ${resumeDir})`),
      );
    const mismatch = (name: string, given: string | number | undefined, ownValue: unknown) => {
      if (given !== undefined && ownValue !== undefined && String(given) !== String(ownValue))
        throw new UsageError(`--${name} ${given} does not match the run's ${name} ${String(ownValue)} (${join(resumeDir, 'config.json')}); drop --${name} to resume it`);
    };
    mismatch('env', flag(args, 'env'), cfg.env);
    mismatch('seed', flag(args, 'seed'), cfg.seed);
    const runCfg = runTrainerConfig(cfg);
    for (const key of Object.keys(entry.config.shape)) {
      const v = runCfg[key];
      mismatch(kebab(key), flag(args, kebab(key)), Array.isArray(v) ? v.join(',') : v);
    }
    if (flag(args, 'out') !== undefined) throw new UsageError(`--out does not go with --resume (the run stays in ${resumeDir})`);
  }
  const env = flag(args, 'env') ?? cfg?.env;
  if (!env) throw new UsageError(`--env is required (one of ${vecEnvIds().join(', ')})`);
  const seed = intFlag(args, 'seed', cfg?.seed ?? 0, 0, 2 ** 31 - 1);
  const asked = cfg ? runTrainerConfig(cfg) : configFromFlags(entry.config, args);
  const trainerConfig = entry.config.parse(asked) as Record<string, unknown>;
  const perIteration = entry.stepsPerIteration(trainerConfig);
  const given = flag(args, 'steps') !== undefined;
  let steps = intFlag(args, 'steps', cfg?.totalSteps ?? entry.defaultSteps, 1, 1e9);
  if (given || !cfg) {
    if (steps < perIteration) throw new UsageError(`--steps ${steps} is less than one ${entry.id} iteration (${perIteration} steps); give --steps ${perIteration} or more`);
    if (steps % perIteration) {
      const rounded = Math.ceil(steps / perIteration) * perIteration;
      notes.push(`train: ${entry.id} trains whole iterations of ${perIteration} steps: ${given ? '--steps ' : ''}${steps} steps run as ${rounded}`);
      steps = rounded;
    }
  }
  const base = trainingSpec({ algo: entry.id, env, steps, seed, config: asked }, resolve(flag(args, 'out') ?? 'runs'));
  const spec: TrainingJobSpec = {
    ...base,
    ...(flag(args, 'backend') ? { backend: flag(args, 'backend') } : {}),
    ...(flag(args, 'env-workers') ? { envWorkers: intFlag(args, 'env-workers', 1, 1, 64) } : {}),
    ...(flag(args, 'eval-every') ? { evalEvery: intFlag(args, 'eval-every', 0, 0, 1e9) } : {}),
    ...(flag(args, 'eval-episodes') ? { evalEpisodes: intFlag(args, 'eval-episodes', 5, 1, 1000) } : {}),
  };
  if (resumeDir) Object.assign(spec, { runDir: resolve(resumeDir), resume: true, runsRoot: undefined });
  else ensureWritableDir(flag(args, 'out') ?? 'runs', 'out');
  return { spec, notes };
}

export async function train(args: ParsedArgs, raw: string[] = []): Promise<number> {
  const algo = args.positional[0];
  if (algo in MODEL_BASED) return delegateToMbrl(['train', ...raw]);
  const entry = TRAINERS.find((t) => t.id === algo);
  if (!entry) throw new UsageError(`unknown algorithm "${algo ?? ''}" (available: ${trainAlgorithms().map((a) => a.id).join(', ')})`);
  const { spec, notes } = trainSpec(entry, args);
  const copyTo = flag(args, 'copy-policy-to');
  if (copyTo) ensureWritableDir(dirname(resolve(copyTo)), 'copy-policy-to');
  for (const n of notes) console.log(n);
  const job = startTrainingWorker(spec, {
    onStarted: (backend) => console.log(`train: ${entry.id} on ${spec.env}, ${spec.totalSteps} ${entry.stepUnit}, seed ${spec.seed}, backend ${backend}`),
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
    if (copyTo && result.status === 'done') {
      copyFileSync(runPolicyFile(result.runDir), copyTo);
      console.log(`train: policy copied to ${copyTo}`);
    }
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
  const policyFile = flag(args, 'policy');
  if (!run === !policyFile) throw new UsageError('give --run DIR or --policy FILE --env ID');
  const episodes = intFlag(args, 'episodes', 10, 1, 10_000);
  const seed = intFlag(args, 'seed', 0, 0, 2 ** 31 - 1);
  const json = boolFlag(args, 'json');
  if (policyFile) return evaluatePolicyFile(policyFile, flag(args, 'env'), episodes, seed, json);
  const dir = resolve(run!);
  if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--run ${run}: not a run folder (no config.json)`);
  const cfg = Run.open(dir).config<RunConfig>();
  if (cfg.algo && cfg.algo in MODEL_BASED) return evaluateModelRun(dir, cfg, episodes, seed, json);
  const r = await evaluateRun(dir, { episodes, seed, ...(flag(args, 'backend') ? { backend: flag(args, 'backend') } : {}) });
  const summary = { run: dir, env: r.env, step: r.step, episodes, mean: r.mean, std: r.std, returns: r.returns };
  if (json) console.log(JSON.stringify(summary));
  else console.log(`${r.env} at step ${r.step}: return ${r.mean.toFixed(2)} ± ${r.std.toFixed(2)} over ${episodes} episodes`);
  return 0;
}

/** `eval --policy FILE --env ID`: K seeded deterministic episodes; one JSON line with --json. */
async function evaluatePolicyFile(file: string, envId: string | undefined, episodes: number, seed: number, json: boolean): Promise<number> {
  const { loadPolicy } = await import('../../meta/policy');
  const { evaluatePolicy } = await import('../../meta/eval-policy');
  if (!existsSync(file)) throw new UsageError(`--policy ${file}: no such file`);
  const policy = loadPolicy(file);
  const env = envId ?? policy.env;
  if (!isPhysicsEnv(env)) throw new UsageError(`--env ${env}: --policy is evaluated on a physics env (${Object.keys(ENV_SPECS).join(', ')})`);
  const r = await evaluatePolicy(policy, env, {
    episodes,
    seed,
    onEpisode: (k, ret, d) => {
      if (!json) console.log(`episode ${k + 1}/${episodes}: return ${ret.toFixed(1)}, forward ${d.toFixed(2)} m`);
    },
  });
  if (json) console.log(JSON.stringify({ return: r.return, forwardDistance: r.forwardDistance, episodes: r.episodes }));
  else console.log(`${policy.algo} policy on ${env}: return ${r.return.mean.toFixed(1)} ± ${r.return.std.toFixed(1)}, forward distance ${r.forwardDistance.mean.toFixed(2)} ± ${r.forwardDistance.std.toFixed(2)} m over ${episodes} episodes`);
  return 0;
}

/**
 * A model-based run learns a dynamics model, not a policy: it is evaluated as eval-adapt does (MPC
 * on the model, the test fault cripple:3), with the run's latest model standing in for the method.
 */
async function evaluateModelRun(dir: string, cfg: RunConfig, episodes: number, seed: number, json: boolean): Promise<number> {
  const model = join(dir, 'checkpoints', 'latest.json');
  if (!existsSync(model)) throw new Error(`${dir} has no model checkpoint yet (checkpoints/latest.json)`);
  const env = cfg.env ?? 'Ant-v0';
  const tmp = mkdtempSync(join(tmpdir(), 'adaptlab-eval-'));
  try {
    mkdirSync(join(tmp, env));
    copyFileSync(model, join(tmp, env, `${cfg.algo}.json`));
    if (!json) console.log(`eval: ${String(cfg.algo)} is model-based: MPC on its model, ${env} with leg 3 crippled (as adaptlab eval-adapt --methods ${String(cfg.algo)})`);
    return await delegateToMbrl(['eval-adapt', '--env', env, '--methods', String(cfg.algo), '--checkpoint-dir', tmp, '--episodes', String(episodes), '--seed', String(seed)]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
