/**
 * The one training driver: `runTrainingJob(spec, onProgress, signal)` runs any entry of the
 * trainer registry (src/meta/trainers) as a run folder: create or resume it, iterate, log metrics
 * and events, checkpoint (and export the policy beside it), honour cancel. It runs in any thread;
 * ./worker.ts wraps it for a worker_thread and ./spawn.ts starts that worker.
 */
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../backend.js';
import type { PpoConfig } from '../rl/ppo.js';
import { savePolicy } from '../policy.js';
import { evaluatePolicy } from '../eval-policy.js';
import { isEnvId } from '../../physics/envs/registry.js';
import type { EnvConfig } from '../../physics/envs/types.js';
import { findTrainer } from '../trainers/registry.js';
import type { TrainerMetrics } from '../trainers/entry.js';
import { builtinTasks } from '../rl/tasks.js';
import type { VecEnvLike } from '../rl/env.js';
import { Run, effectiveState, encodeJson, makeRunId, writeFileAtomic, type MetricRow } from '../runs.js';

export interface TrainingJobSpec {
  /** A trainer registry id (ppo, sac, ...). */
  algo: string;
  /** Env id: a built-in task (PointReach-v0, Pendulum-v1) or one `envModule` knows. */
  env: string;
  /**
   * Module specifier or file URL of a module exporting
   * `createVecEnv(id: string, numEnvs: number, config?: unknown): VecEnvLike | Promise<VecEnvLike>`
   * (how the physics envs, e.g. Hopper-v0, reach a worker without src/meta importing them).
   */
  envModule?: string;
  envConfig?: unknown;
  /** Worker threads stepping physics envs (default 1: the training thread itself). */
  envWorkers?: number;
  totalSteps: number;
  seed: number;
  /** Where new runs go (CLI default ./runs). Ignored when runDir is given. */
  runsRoot?: string;
  /** Explicit run folder (required for resume). */
  runDir?: string;
  /** Continue from the latest checkpoint of runDir. */
  resume?: boolean;
  /** Env steps between checkpoints (default: about 20 per run). */
  checkpointEvery?: number;
  /**
   * Steps between deterministic evaluations of the policy on a physics env (0 or absent: none);
   * each adds evalReturn and evalForwardDistance (means over evalEpisodes) to its metrics row.
   */
  evalEvery?: number;
  evalEpisodes?: number;
  /** Backend preference (default: ADAPTLAB_BACKEND, then auto). */
  backend?: string;
  /** The trainer's config, numEnvs included (its registry schema fills in the defaults). */
  config?: Record<string, unknown>;
}

export interface JobProgress {
  step: number;
  totalSteps: number;
  etaSeconds: number | null;
  metrics: MetricRow;
  runDir: string;
}

export interface JobResult {
  status: 'done' | 'cancelled';
  runDir: string;
  step: number;
  backend: string;
  lastMetrics: MetricRow | null;
}

export interface JobOptions {
  /** In-process env factory (overrides env lookup; not usable across a worker boundary). */
  makeEnv?: (id: string, numEnvs: number, config?: unknown) => VecEnvLike | Promise<VecEnvLike>;
}

type EnvModule = { createVecEnv?: (id: string, n: number, c?: unknown, o?: { workers?: number }) => VecEnvLike | Promise<VecEnvLike> };

export async function createEnv(spec: TrainingJobSpec, numEnvs: number, opts: JobOptions): Promise<VecEnvLike> {
  if (opts.makeEnv) return opts.makeEnv(spec.env, numEnvs, spec.envConfig);
  if (spec.envModule) {
    const mod = (await import(/* @vite-ignore */ spec.envModule)) as EnvModule;
    if (typeof mod.createVecEnv !== 'function') throw new Error(`${spec.envModule} does not export createVecEnv`);
    return mod.createVecEnv(spec.env, numEnvs, spec.envConfig, { workers: spec.envWorkers ?? 1 });
  }
  const f = builtinTasks[spec.env];
  if (!f) throw new Error(`unknown env '${spec.env}' (built-in: ${Object.keys(builtinTasks).join(', ')}; others need envModule)`);
  return f(numEnvs, spec.envConfig);
}

/** What runTrainingJob reads back from a run's config.json on resume. */
export interface RunConfig {
  algo?: string;
  env?: string;
  seed?: number;
  numEnvs?: number;
  envWorkers?: number;
  evalEvery?: number;
  evalEpisodes?: number;
  totalSteps?: number;
  /** The env config the run steps (a pair's domain: DR terms, faults); null or absent: the env's own. */
  envConfig?: unknown;
  /** The trainer's parsed config (runs made since the registry). */
  trainer?: Record<string, unknown>;
  /** PPO runs from before the registry kept their config here. */
  ppo?: PpoConfig;
}

/** A run's trainer config as written, for runs from before and after the registry. */
export function runTrainerConfig(cfg: RunConfig): Record<string, unknown> {
  if (cfg.trainer) return cfg.trainer;
  if (cfg.ppo) return { ...cfg.ppo, ...(cfg.numEnvs ? { numEnvs: cfg.numEnvs } : {}) };
  return {};
}

function toRow(m: TrainerMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(m)) if (k !== 'step') out[k] = Number.isFinite(v) ? v : null;
  return out;
}

/** Where a run's exported policy lives (rewritten at each checkpoint). */
export function runPolicyFile(runDir: string): string {
  return path.join(runDir, 'policy.json');
}

/** Runs (or resumes) a training job to completion or cancellation. */
export async function runTrainingJob(
  spec: TrainingJobSpec,
  onProgress: (p: JobProgress) => void = () => {},
  signal?: AbortSignal,
  opts: JobOptions = {},
): Promise<JobResult> {
  const entry = findTrainer(spec.algo);
  const info = await initBackend(spec.backend);
  let run: Run | null = null;
  let state: unknown = null;
  let runCfg: RunConfig | null = null;
  if (spec.resume) {
    if (!spec.runDir) throw new Error('resume needs runDir');
    run = Run.open(spec.runDir);
    runCfg = run.config<RunConfig>();
    // a run resumes as what it is: refuse another algo or env before building anything
    if (runCfg.algo !== spec.algo || runCfg.env !== spec.env)
      throw new Error(`cannot resume ${spec.runDir}: it trains ${String(runCfg.algo)} on ${String(runCfg.env)}, not ${spec.algo} on ${spec.env}`);
    // two processes must not train one folder: refuse while the recorded process is alive here
    const st = run.status();
    if (st && typeof st.pid === 'number' && st.pid !== process.pid && (!st.hostname || st.hostname === os.hostname()) && effectiveState(st) === 'running')
      throw new Error(`cannot resume ${spec.runDir}: process ${st.pid} on this host is training it now`);
    const ck = run.latestCheckpoint();
    if (ck) state = run.loadCheckpoint<unknown>(ck).payload;
  }
  // A resumed run trains as configured (its seed and hyperparameters); a new one as asked.
  const asked = runCfg ? runTrainerConfig(runCfg) : (spec.config ?? {});
  const parsed = entry.config.safeParse(asked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${entry.id} config: ${issue.path.join('.') || 'config'}: ${issue.message}`);
  }
  const trainerConfig = parsed.data as Record<string, unknown>;
  const seed = runCfg?.seed ?? spec.seed;
  const numEnvs = entry.numEnvs(trainerConfig);
  const envWorkers = runCfg?.envWorkers ?? spec.envWorkers ?? 1;
  // periodic evaluation is part of the run's curve: a resumed run keeps its own unless asked otherwise
  const evalEvery = spec.evalEvery ?? runCfg?.evalEvery ?? 0;
  const evalEpisodes = spec.evalEpisodes ?? runCfg?.evalEpisodes ?? 5;
  // a config that fixes the run's length (model-based) decides it; else the asked total does
  const totalSteps = entry.totalSteps ? entry.totalSteps(trainerConfig) : spec.totalSteps;
  // a resumed run steps the env config it was made with (a pair's domain, DR terms, faults)
  const envConfig = runCfg ? (runCfg.envConfig ?? undefined) : spec.envConfig;
  const env = numEnvs > 0 ? await createEnv({ ...spec, envConfig, envWorkers }, numEnvs, opts) : null;
  const makeEnv = (id: string, n: number, config?: unknown) => createEnv({ ...spec, env: id, envConfig: config, envWorkers }, n, opts);
  const trainer = await entry.create({ env, envId: spec.env, seed, totalSteps, makeEnv }, trainerConfig);
  if (!run) {
    // config.json: everything needed to reproduce the run.
    const config = {
      algo: spec.algo,
      env: spec.env,
      envModule: spec.envModule ?? null,
      envConfig: envConfig ?? null,
      numEnvs,
      envWorkers,
      ...(evalEvery ? { evalEvery, evalEpisodes } : {}),
      seed: spec.seed,
      totalSteps,
      stepUnit: entry.stepUnit,
      backend: info.name,
      createdAt: new Date().toISOString(),
      trainer: trainerConfig,
    };
    run = spec.runDir
      ? Run.create(path.dirname(spec.runDir), config, path.basename(spec.runDir))
      : Run.create(spec.runsRoot ?? 'runs', config, makeRunId([spec.algo, spec.env, `s${spec.seed}`]));
    run.appendEvent(0, 'started', `${entry.id} on ${spec.env}, seed ${spec.seed}, backend ${info.name}`, { backend: info.name });
  }
  if (spec.resume) {
    // Rows and events logged after the checkpoint (or all of them, with none) are replayed by the
    // resumed run: drop them, so metrics.jsonl and events.jsonl stay monotone in step.
    if (state) trainer.setState(state);
    const from = trainer.steps;
    const dropped = run.truncateMetricsAfter(from);
    const droppedEvents = run.truncateEventsAfter(from);
    run.appendEvent(from, 'resumed', state ? `resumed from step ${from}` : 'no checkpoint found: starting from step 0', {
      backend: info.name,
      droppedMetricRows: dropped,
      droppedEvents,
    });
    const before = runCfg?.totalSteps;
    if (typeof before === 'number' && before !== totalSteps) {
      run.updateConfig({ totalSteps });
      run.appendEvent(from, 'total-steps-changed', `total steps ${before} -> ${totalSteps}`, { from: before, to: totalSteps });
    }
  }

  const total = totalSteps;
  const every = Math.max(1, spec.checkpointEvery ?? entry.checkpointEvery?.(trainerConfig) ?? Math.round(total / 20));
  let lastCkpt = trainer.steps;
  const startStep = trainer.steps;
  const t0 = performance.now();
  let last: MetricRow | null = null;
  /** The current policy, deterministic, on fresh seeded episodes of the training env. */
  const evaluateNow = async (): Promise<Record<string, number>> => {
    const policy = trainer.policy();
    if (!policy || !isEnvId(spec.env)) return {};
    const evalConfig = (entry.evalEnvConfig?.(trainerConfig) ?? envConfig ?? {}) as EnvConfig;
    const r = await evaluatePolicy(policy, spec.env, { episodes: evalEpisodes, seed: 1_000_000, envConfig: evalConfig });
    return { evalReturn: r.return.mean, evalForwardDistance: r.forwardDistance.mean };
  };
  const checkpoint = () => {
    run.saveCheckpoint(trainer.steps, trainer.getState(), 2);
    const policy = trainer.policy();
    if (policy) savePolicy(runPolicyFile(run.dir), policy);
    for (const [name, value] of Object.entries(trainer.artifacts?.() ?? {})) writeFileAtomic(path.join(run.dir, name), encodeJson(value));
    lastCkpt = trainer.steps;
  };
  run.setStatus({ state: 'running', step: trainer.steps, totalSteps: total, backend: info.name });
  try {
    while (trainer.steps < total) {
      if (signal?.aborted) {
        checkpoint();
        run.appendEvent(trainer.steps, 'cancelled', `cancelled at step ${trainer.steps}`);
        run.setStatus({ state: 'cancelled', step: trainer.steps, totalSteps: total, backend: info.name });
        return { status: 'cancelled', runDir: run.dir, step: trainer.steps, backend: info.name, lastMetrics: last };
      }
      const before = trainer.steps;
      const m = trainer.iterate();
      const elapsed = (performance.now() - t0) / 1000;
      const rate = (trainer.steps - startStep) / Math.max(elapsed, 1e-9);
      const evals = evalEvery && Math.floor(trainer.steps / evalEvery) > Math.floor(before / evalEvery) ? await evaluateNow() : {};
      last = run.appendMetrics(m.step, { ...toRow(m), fps: rate, ...evals });
      if (trainer.steps - lastCkpt >= every || trainer.steps >= total) checkpoint();
      run.setStatus({ state: 'running', step: trainer.steps, totalSteps: total, backend: info.name });
      onProgress({ step: trainer.steps, totalSteps: total, etaSeconds: rate > 0 ? Math.max(0, total - trainer.steps) / rate : null, metrics: last, runDir: run.dir });
      // Let a worker's message loop deliver a cancel between iterations.
      await new Promise<void>((r) => setImmediate(r));
    }
    run.appendEvent(trainer.steps, 'finished', `finished at step ${trainer.steps}`);
    run.setStatus({ state: 'done', step: trainer.steps, totalSteps: total, backend: info.name });
    return { status: 'done', runDir: run.dir, step: trainer.steps, backend: info.name, lastMetrics: last };
  } catch (e) {
    run.appendEvent(trainer.steps, 'failed', e instanceof Error ? e.message : String(e));
    run.setStatus({ state: 'failed', step: trainer.steps, totalSteps: total, backend: info.name, error: String(e) });
    throw e;
  } finally {
    trainer.dispose();
    env?.close?.();
  }
}

/** The file a run's `--copy-to` copies: its trainer's product (policy.json for policy learners). */
export function runProductFile(runDir: string, algo: string): string {
  return path.join(runDir, findTrainer(algo).product ?? 'policy.json');
}

