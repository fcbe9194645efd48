/** `adaptlab train`, `adaptlab runs`, `adaptlab eval`: training from the command line. */
import { copyFileSync, existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { evaluateRun } from '../../meta/jobs/eval';
import { startTrainingWorker } from '../../meta/jobs/spawn';
import { runProductFile, runTrainerConfig, type RunConfig, type TrainingJobSpec } from '../../meta/jobs/train';
import { evaluateModelRun } from './model-based';
import { loadPolicyArg } from './policy-arg';
import type { TrainerEntry } from '../../meta/trainers/entry';
import { TRAINERS, trainerEnvIds, vecEnvIds } from '../../meta/trainers/registry';
import { hasTrainerConfig, Run } from '../../meta/runs';
import { BACKEND_FLAG } from './flags';
import { listRuns } from '../service/runs';
import { trainingSpec } from '../service/jobs';
import { isPhysicsEnv } from '../../meta/rl/physics-vec-env';
import { ENV_SPECS } from '../../physics/envs/registry';
import type { EnvConfig } from '../../physics/envs/types';
import { loadPair } from '../../meta/pairs';
import type { Domain, EnvPair } from '../../shared/pair';
import { boolFlag, ensureWritableDir, flag, intFlag, UsageError, type FlagTable, type ParsedArgs } from './args';
import { configFromFlags, kebab, schemaFlagTable } from './trainer-flags';

export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Flags every registry trainer takes, beside its own schema's. */
const COMMON_FLAGS: FlagTable = {
  env: { kind: 'string', values: vecEnvIds, help: 'env id (not needed with --resume, nor with darc: its --pair fixes it)' },
  steps: { kind: 'int', min: 1, max: 1e9, help: "total steps (default 100000; with --resume: the run's own total)" },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1 },
  out: { kind: 'string', hint: 'DIR', help: 'runs folder (default ./runs)' },
  'env-workers': { kind: 'int', min: 1, max: 64, help: 'threads stepping physics envs (default 1; same results for any number)' },
  backend: BACKEND_FLAG,
  resume: { kind: 'string', hint: 'RUN_DIR', help: 'continue a run from its latest checkpoint' },
  'eval-every': { kind: 'int', min: 0, max: 1e9, help: 'evaluate the policy deterministically every N steps (physics envs; adds evalReturn and evalForwardDistance to metrics.jsonl)' },
  'eval-episodes': { kind: 'int', min: 1, max: 1000, help: 'episodes per evaluation (default 5)' },
  'run-dir': { kind: 'string', hint: 'DIR', help: 'the run folder itself (default: a new folder in --out)' },
  pair: { kind: 'string', hint: 'FILE', help: 'train in one domain of a source/target pair (assets/pairs/*.json): its env and env config; with --domain' },
  domain: { kind: 'string', values: () => ['source', 'target'], help: 'the domain of --pair to train in (RL on source, RL on target: the DARC baselines)' },
  'copy-to': { kind: 'string', hint: 'FILE', help: "when the run is done, copy its product there (policy.json; model.json for model-based runs), e.g. assets/policies/Hopper-v0/ppo.json" },
};

/**
 * The flags of `adaptlab train <algo>`: common ones (--env limited to the envs it trains), then
 * its schema's (a schema field may take a common name: model-based `--steps` is env steps of data).
 */
export function trainFlags(entry: TrainerEntry): FlagTable {
  const envs = () => trainerEnvIds(entry);
  return { ...COMMON_FLAGS, env: { ...COMMON_FLAGS.env, values: envs }, ...schemaFlagTable(entry.config) };
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
        `--resume ${resumeDir} is a ${String(cfg.algo)} run, not ${entry.id} (resume it with: adaptlab train ${String(cfg.algo)} --resume ${resumeDir})`,
      );
    if (!hasTrainerConfig(cfg))
      throw new UsageError(`--resume ${resumeDir}: a ${String(cfg.algo)} run from before the trainer platform cannot be resumed (start one warm: adaptlab train ${String(cfg.algo)} --init-from ${join(dir, 'checkpoints', 'latest.json')} ...)`);
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
    for (const f of ['out', 'run-dir']) if (flag(args, f) !== undefined) throw new UsageError(`--${f} does not go with --resume (the run stays in ${resumeDir})`);
  }
  const asked = cfg ? runTrainerConfig(cfg) : configFromFlags(entry.config, args);
  const trainerConfig = entry.config.parse(asked) as Record<string, unknown>;
  // a config may fix the env (DARC's pair): then --env may be left out, and must agree if given
  let fixed: string | undefined;
  try {
    fixed = entry.fixedEnv?.(trainerConfig);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (fixed && flag(args, 'env') !== undefined && flag(args, 'env') !== fixed)
    throw new UsageError(`--env ${flag(args, 'env')}: this ${entry.id} config trains ${fixed} (leave --env out)`);
  // --pair --domain: one domain of a source/target pair (an entry with its own `pair` field, DARC, trains across both)
  let envConfig: unknown;
  const pairFile = flag(args, 'pair'), domain = flag(args, 'domain');
  if ('pair' in entry.config.shape) {
    if (domain !== undefined) throw new UsageError(`--domain: ${entry.id} trains across both domains of its --pair`);
  } else if (pairFile !== undefined || domain !== undefined) {
    if (cfg) throw new UsageError(`--pair and --domain do not go with --resume (the run keeps its env config)`);
    if (!pairFile || !domain) throw new UsageError('--pair FILE and --domain source|target go together');
    let side;
    try {
      side = loadPair(pairFile)[domain as Domain];
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    if (flag(args, 'env') !== undefined && flag(args, 'env') !== side.env) throw new UsageError(`--env ${flag(args, 'env')}: the ${domain} of ${pairFile} is ${side.env} (leave --env out)`);
    fixed = side.env;
    envConfig = side.config;
  }
  const env = flag(args, 'env') ?? cfg?.env ?? fixed;
  if (!env) throw new UsageError(`--env is required (one of ${trainerEnvIds(entry).join(', ')})`);
  const seed = intFlag(args, 'seed', cfg?.seed ?? 0, 0, 2 ** 31 - 1);
  const perIteration = entry.stepsPerIteration(trainerConfig);
  const given = flag(args, 'steps') !== undefined;
  let steps = entry.totalSteps ? entry.totalSteps(trainerConfig) : intFlag(args, 'steps', cfg?.totalSteps ?? entry.defaultSteps, 1, 1e9);
  if (!entry.totalSteps && (given || !cfg)) {
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
    ...(envConfig !== undefined ? { envConfig } : {}),
    ...(flag(args, 'backend') ? { backend: flag(args, 'backend') } : {}),
    ...(flag(args, 'env-workers') ? { envWorkers: intFlag(args, 'env-workers', 1, 1, 64) } : {}),
    ...(flag(args, 'eval-every') ? { evalEvery: intFlag(args, 'eval-every', 0, 0, 1e9) } : {}),
    ...(flag(args, 'eval-episodes') ? { evalEpisodes: intFlag(args, 'eval-episodes', 5, 1, 1000) } : {}),
  };
  const runDir = flag(args, 'run-dir');
  if (resumeDir) Object.assign(spec, { runDir: resolve(resumeDir), resume: true, runsRoot: undefined });
  else if (runDir) {
    if (existsSync(join(runDir, 'config.json'))) throw new UsageError(`--run-dir ${runDir} already holds a run (continue it with --resume ${runDir}, or pick a new folder)`);
    ensureWritableDir(dirname(resolve(runDir)), 'run-dir');
    Object.assign(spec, { runDir: resolve(runDir), runsRoot: undefined });
  } else ensureWritableDir(flag(args, 'out') ?? 'runs', 'out');
  return { spec, notes };
}

export async function train(args: ParsedArgs): Promise<number> {
  const algo = args.positional[0];
  const entry = TRAINERS.find((t) => t.id === algo);
  if (!entry) throw new UsageError(`unknown algorithm "${algo ?? ''}" (available: ${TRAINERS.map((t) => t.id).join(', ')})`);
  const { spec, notes } = trainSpec(entry, args);
  const copyTo = flag(args, 'copy-to');
  if (copyTo) ensureWritableDir(dirname(resolve(copyTo)), 'copy-to');
  for (const n of notes) console.log(n);
  const job = startTrainingWorker(spec, {
    onStarted: (backend) => console.log(`train: ${entry.id} on ${spec.env}, ${spec.totalSteps} ${entry.stepUnit}, seed ${spec.seed}, backend ${backend}`),
    onProgress: (p) => {
      const m = p.metrics;
      // what the row has to say: the return of a policy learner, the loss of a model learner
      const what = typeof m.episodeReturn === 'number' ? `return ${m.episodeReturn.toFixed(1)}` : typeof m.loss === 'number' ? `loss ${m.loss.toPrecision(3)}` : typeof m.envSteps === 'number' ? `${m.envSteps} transitions` : '';
      const fps = typeof m.fps === 'number' ? m.fps.toFixed(0) : '—';
      const pct = ((100 * p.step) / p.totalSteps).toFixed(0);
      console.log(`step ${p.step}/${p.totalSteps} (${pct}%)  ${what}  ${fps} ${entry.stepUnit}/s  ETA ${formatDuration(p.etaSeconds)}`);
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
      copyFileSync(runProductFile(result.runDir, entry.id), copyTo);
      console.log(`train: ${basename(runProductFile(result.runDir, entry.id))} copied to ${copyTo}`);
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
  const pairFile = flag(args, 'pair');
  if (!pairFile && flag(args, 'domain') !== undefined) throw new UsageError('--domain goes with --pair FILE');
  if (pairFile && !policyFile) throw new UsageError('--pair goes with --policy FILE (evaluate a policy in one domain of the pair)');
  if (pairFile) return evaluatePolicyInPair(policyFile!, pairFile, (flag(args, 'domain') ?? 'target') as Domain, flag(args, 'env'), episodes, seed, json);
  if (policyFile) return evaluatePolicyFile(policyFile, flag(args, 'env'), episodes, seed, json);
  const dir = resolve(run!);
  if (!existsSync(join(dir, 'config.json'))) throw new UsageError(`--run ${run}: not a run folder (no config.json)`);
  const cfg = Run.open(dir).config<RunConfig>();
  if (cfg.algo && TRAINERS.find((t) => t.id === cfg.algo)?.product === 'model.json') return evaluateModelRun(dir, cfg, episodes, seed, json);
  const r = await evaluateRun(dir, { episodes, seed, ...(flag(args, 'backend') ? { backend: flag(args, 'backend') } : {}) });
  const summary = { run: dir, env: r.env, step: r.step, episodes, mean: r.mean, std: r.std, returns: r.returns };
  if (json) console.log(JSON.stringify(summary));
  else console.log(`${r.env} at step ${r.step}: return ${r.mean.toFixed(2)} ± ${r.std.toFixed(2)} over ${episodes} episodes`);
  return 0;
}

/**
 * `eval --policy FILE --pair PAIR --domain target|source`: as `eval --policy`, in that domain's env
 * and config (faults, DR terms), so one policy is measured in the source and in the target alike.
 */
async function evaluatePolicyInPair(file: string, pairFile: string, domain: Domain, envId: string | undefined, episodes: number, seed: number, json: boolean): Promise<number> {
  let pair: EnvPair;
  try {
    pair = loadPair(pairFile);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const side = pair[domain];
  if (envId !== undefined && envId !== side.env) throw new UsageError(`--env ${envId}: the ${domain} of ${pairFile} is ${side.env} (leave --env out)`);
  return evaluatePolicyFile(file, side.env, episodes, seed, json, side.config as EnvConfig, `${domain} of ${pairFile}`);
}

/** `eval --policy FILE|gait|random|zero --env ID`: K seeded deterministic episodes; one JSON line with --json. */
async function evaluatePolicyFile(file: string, envId: string | undefined, episodes: number, seed: number, json: boolean, envConfig?: EnvConfig, where?: string): Promise<number> {
  const { evaluatePolicy } = await import('../../meta/eval-policy');
  const policy = await loadPolicyArg(file);
  if (typeof policy === 'string' && !envId) throw new UsageError(`--policy ${file} needs --env ID`);
  const env = envId ?? (typeof policy === 'string' ? '' : policy.env);
  if (!isPhysicsEnv(env)) throw new UsageError(`--env ${env}: --policy is evaluated on a physics env (${Object.keys(ENV_SPECS).join(', ')})`);
  const r = await evaluatePolicy(policy, env, {
    episodes,
    seed,
    ...(envConfig ? { envConfig } : {}),
    onEpisode: (k, ret, d) => {
      if (!json) console.log(`episode ${k + 1}/${episodes}: return ${ret.toFixed(1)}, forward ${d.toFixed(2)} m`);
    },
  });
  if (json) console.log(JSON.stringify({ return: r.return, forwardDistance: r.forwardDistance, episodes: r.episodes }));
  else console.log(`${typeof policy === 'string' ? policy : policy.algo} policy on ${env}${where ? ` (${where})` : ''}: return ${r.return.mean.toFixed(1)} ± ${r.return.std.toFixed(1)}, forward distance ${r.forwardDistance.mean.toFixed(2)} ± ${r.forwardDistance.std.toFixed(2)} m over ${episodes} episodes`);
  return 0;
}
