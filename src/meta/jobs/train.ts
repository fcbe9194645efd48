/**
 * Training jobs: `runTrainingJob(spec, onProgress, signal)` runs a whole training run (create or
 * resume a run folder, train, log metrics/events, checkpoint, honour cancel). It runs in any
 * thread; ./worker.ts wraps it for a worker_thread and ./spawn.ts starts that worker.
 */
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../backend.js';
import { PPO, type PpoConfig, type PpoMetrics, type PpoState } from '../rl/ppo.js';
import { builtinTasks } from '../rl/tasks.js';
import type { VecEnvLike } from '../rl/env.js';
import { Run, effectiveState, makeRunId, type MetricRow } from '../runs.js';

export interface TrainingJobSpec {
  algo: 'ppo';
  /** Env id: a built-in task (PointReach-v0, Pendulum-v1) or one `envModule` knows. */
  env: string;
  /**
   * Module specifier or file URL of a module exporting
   * `createVecEnv(id: string, numEnvs: number, config?: unknown): VecEnvLike | Promise<VecEnvLike>`
   * (how the physics envs, e.g. Hopper-v0, reach a worker without src/meta importing them).
   */
  envModule?: string;
  envConfig?: unknown;
  numEnvs?: number;
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
  /** Backend preference (default: ADAPTLAB_BACKEND, then auto). */
  backend?: string;
  ppo?: Partial<Omit<PpoConfig, 'seed' | 'totalSteps'>>;
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

export async function createEnv(spec: TrainingJobSpec, numEnvs: number, opts: JobOptions): Promise<VecEnvLike> {
  if (opts.makeEnv) return opts.makeEnv(spec.env, numEnvs, spec.envConfig);
  if (spec.envModule) {
    const mod = (await import(/* @vite-ignore */ spec.envModule)) as {
      createVecEnv?: (id: string, n: number, c?: unknown) => VecEnvLike | Promise<VecEnvLike>;
    };
    if (typeof mod.createVecEnv !== 'function') throw new Error(`${spec.envModule} does not export createVecEnv`);
    return mod.createVecEnv(spec.env, numEnvs, spec.envConfig);
  }
  const f = builtinTasks[spec.env];
  if (!f) throw new Error(`unknown env '${spec.env}' (built-in: ${Object.keys(builtinTasks).join(', ')}; others need envModule)`);
  return f(numEnvs);
}

/** What runTrainingJob reads back from a run's config.json on resume. */
interface RunConfig {
  algo?: string;
  env?: string;
  seed?: number;
  numEnvs?: number;
  totalSteps?: number;
  ppo?: PpoConfig;
}

function toRow(m: PpoMetrics): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(m)) if (k !== 'step') out[k] = Number.isFinite(v) ? v : null;
  return out;
}

/** Runs (or resumes) a training job to completion or cancellation. */
export async function runTrainingJob(
  spec: TrainingJobSpec,
  onProgress: (p: JobProgress) => void = () => {},
  signal?: AbortSignal,
  opts: JobOptions = {},
): Promise<JobResult> {
  if (spec.algo !== 'ppo') throw new Error(`unsupported algo '${spec.algo}'`);
  const info = await initBackend(spec.backend);
  let run: Run | null = null;
  let state: PpoState | null = null;
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
    if (ck) state = run.loadCheckpoint<PpoState>(ck).payload;
  }
  const numEnvs = runCfg?.numEnvs ?? spec.numEnvs ?? 16;
  const env = await createEnv(spec, numEnvs, opts);
  // Resuming without a checkpoint starts the run over as configured (its seed and hyperparameters).
  const ppoCfg: Partial<PpoConfig> = state
    ? { ...state.config, totalSteps: spec.totalSteps }
    : runCfg?.ppo
      ? { ...runCfg.ppo, seed: runCfg.seed ?? spec.seed, totalSteps: spec.totalSteps }
      : { ...spec.ppo, seed: spec.seed, totalSteps: spec.totalSteps };
  const ppo = new PPO(env, ppoCfg);
  if (!run) {
    // config.json: everything needed to reproduce the run.
    const config = {
      algo: spec.algo,
      env: spec.env,
      envModule: spec.envModule ?? null,
      envConfig: spec.envConfig ?? null,
      numEnvs,
      seed: spec.seed,
      totalSteps: spec.totalSteps,
      backend: info.name,
      createdAt: new Date().toISOString(),
      ppo: ppo.config,
    };
    run = spec.runDir
      ? Run.create(path.dirname(spec.runDir), config, path.basename(spec.runDir))
      : Run.create(spec.runsRoot ?? 'runs', config, makeRunId([spec.algo, spec.env, `s${spec.seed}`]));
    run.appendEvent(0, 'started', `PPO on ${spec.env}, seed ${spec.seed}, backend ${info.name}`, { backend: info.name });
  }
  if (spec.resume) {
    // Rows and events logged after the checkpoint (or all of them, with none) are replayed by the
    // resumed run: drop them, so metrics.jsonl and events.jsonl stay monotone in step.
    if (state) ppo.setState({ ...state, config: ppo.config });
    const from = ppo.envSteps;
    const dropped = run.truncateMetricsAfter(from);
    const droppedEvents = run.truncateEventsAfter(from);
    run.appendEvent(from, 'resumed', state ? `resumed from step ${from}` : 'no checkpoint found: starting from step 0', {
      backend: info.name,
      droppedMetricRows: dropped,
      droppedEvents,
    });
    const before = runCfg?.totalSteps;
    if (typeof before === 'number' && before !== spec.totalSteps) {
      run.updateConfig({ totalSteps: spec.totalSteps });
      run.appendEvent(from, 'total-steps-changed', `total steps ${before} -> ${spec.totalSteps}`, { from: before, to: spec.totalSteps });
    }
  }

  const total = spec.totalSteps;
  const every = spec.checkpointEvery ?? Math.max(ppo.stepsPerIteration, Math.round(total / 20));
  let lastCkpt = ppo.envSteps;
  const startStep = ppo.envSteps;
  const t0 = performance.now();
  let last: MetricRow | null = null;
  const checkpoint = () => {
    run.saveCheckpoint(ppo.envSteps, ppo.getState());
    lastCkpt = ppo.envSteps;
  };
  run.setStatus({ state: 'running', step: ppo.envSteps, totalSteps: total, backend: info.name });
  try {
    while (ppo.envSteps < total) {
      if (signal?.aborted) {
        checkpoint();
        run.appendEvent(ppo.envSteps, 'cancelled', `cancelled at step ${ppo.envSteps}`);
        run.setStatus({ state: 'cancelled', step: ppo.envSteps, totalSteps: total, backend: info.name });
        return { status: 'cancelled', runDir: run.dir, step: ppo.envSteps, backend: info.name, lastMetrics: last };
      }
      const m = ppo.iterate();
      const elapsed = (performance.now() - t0) / 1000;
      const rate = (ppo.envSteps - startStep) / Math.max(elapsed, 1e-9);
      last = run.appendMetrics(m.step, { ...toRow(m), fps: rate });
      if (ppo.envSteps - lastCkpt >= every || ppo.envSteps >= total) checkpoint();
      run.setStatus({ state: 'running', step: ppo.envSteps, totalSteps: total, backend: info.name });
      onProgress({ step: ppo.envSteps, totalSteps: total, etaSeconds: rate > 0 ? Math.max(0, total - ppo.envSteps) / rate : null, metrics: last, runDir: run.dir });
      // Let a worker's message loop deliver a cancel between iterations.
      await new Promise<void>((r) => setImmediate(r));
    }
    run.appendEvent(ppo.envSteps, 'finished', `finished at step ${ppo.envSteps}`);
    run.setStatus({ state: 'done', step: ppo.envSteps, totalSteps: total, backend: info.name });
    return { status: 'done', runDir: run.dir, step: ppo.envSteps, backend: info.name, lastMetrics: last };
  } catch (e) {
    run.appendEvent(ppo.envSteps, 'failed', e instanceof Error ? e.message : String(e));
    run.setStatus({ state: 'failed', step: ppo.envSteps, totalSteps: total, backend: info.name, error: String(e) });
    throw e;
  } finally {
    ppo.dispose();
    env.close?.();
  }
}

