/**
 * Training jobs owned by the workbench service: a queue (at most N at once, N = cores by
 * default) of worker threads, progress forwarded as 'job.progress' events, cancel and resume.
 */
import { randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import type { JobInfo, JobProgress, TrainerInfo } from '../../shared/contract';
import { JobQueue, type QueuedJob } from '../../meta/jobs/queue';
import { startTrainingWorker } from '../../meta/jobs/spawn';
import type { JobProgress as MetaProgress, JobResult, TrainingJobSpec } from '../../meta/jobs/train';
import { isPhysicsEnv, PHYSICS_ENV_MODULE } from '../../meta/rl/physics-vec-env';
import { configFields } from '../../meta/trainers/config-fields';
import type { TrainerEntry } from '../../meta/trainers/entry';
import { findTrainer, TRAINERS, trainerEnvIds } from '../../meta/trainers/registry';
import { Run } from '../../meta/runs';
import { isResumable } from './runs';

export interface JobRequest {
  /** A trainer registry id. */
  algo: string;
  env: string;
  steps: number;
  seed: number;
  /** Shorthand for config.numEnvs. */
  numEnvs?: number;
  /** The trainer's config (its schema fills in the rest). */
  config?: Record<string, unknown>;
}

/** Every registry trainer as plain data: what the Runs view builds its form from. */
export function listTrainers(): TrainerInfo[] {
  return TRAINERS.map((t) => ({
    id: t.id,
    summary: t.summary,
    stepUnit: t.stepUnit,
    defaultSteps: t.defaultSteps,
    envs: trainerEnvIds(t),
    fields: configFields(t.config),
    ...(t.totalSteps ? { stepsFromConfig: true } : {}),
  }));
}

/**
 * Checks a request against the registry before anything is queued: a known algorithm, an env it
 * trains, and a config its schema accepts (unknown options refused, not dropped). Returns the
 * parsed config, defaults filled in. Errors name the algorithm and the option.
 */
export function checkJobRequest(req: JobRequest): { entry: TrainerEntry; config: Record<string, unknown> } {
  const entry = findTrainer(req.algo);
  const envs = trainerEnvIds(entry);
  if (!envs.includes(req.env)) throw new Error(`${req.algo} does not train on "${req.env}" (it trains: ${envs.join(', ')})`);
  const asked: Record<string, unknown> = { ...req.config };
  if (req.numEnvs !== undefined) {
    if (asked.numEnvs !== undefined && asked.numEnvs !== req.numEnvs)
      throw new Error(`numEnvs given twice (${req.numEnvs} and config.numEnvs ${String(asked.numEnvs)})`);
    asked.numEnvs = req.numEnvs;
  }
  const shape = entry.config.shape as Record<string, unknown>;
  const unknown = Object.keys(asked).filter((k) => !Object.prototype.hasOwnProperty.call(shape, k));
  if (unknown.length)
    throw new Error(`${entry.id} has no option ${unknown.map((k) => `"${k}"`).join(', ')} (its options: ${Object.keys(shape).join(', ')})`);
  const parsed = entry.config.safeParse(asked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [key, ...rest] = issue?.path ?? [];
    const where = key === undefined ? 'config' : `option "${String(key)}"${rest.length ? ` (item ${rest.join('.')})` : ''}`;
    throw new Error(`${entry.id} ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { entry, config: parsed.data as Record<string, unknown> };
}

/** A training job spec; physics env ids reach the worker through their vec-env module. */
export function trainingSpec(req: JobRequest, runsRoot: string): TrainingJobSpec {
  const envs = trainerEnvIds(findTrainer(req.algo));
  if (!envs.includes(req.env)) throw new Error(`${req.algo} does not train on "${req.env}" (it trains: ${envs.join(', ')})`);
  return {
    algo: req.algo,
    env: req.env,
    ...(isPhysicsEnv(req.env) ? { envModule: PHYSICS_ENV_MODULE } : {}),
    totalSteps: req.steps,
    seed: req.seed,
    runsRoot,
    config: { ...req.config, ...(req.numEnvs ? { numEnvs: req.numEnvs } : {}) },
  };
}

interface Job {
  info: JobInfo;
  handle: QueuedJob<JobResult>;
}

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: JobQueue<TrainingJobSpec, JobResult, MetaProgress>;

  constructor(
    readonly runsRoot: string,
    private readonly emit: (p: JobProgress) => void,
    private readonly log: (level: 'info' | 'error', message: string) => void,
    concurrency?: number,
  ) {
    this.queue = new JobQueue((spec, hooks) => startTrainingWorker(spec, hooks), concurrency);
  }

  /** Starts a run of a registry trainer; refuses (with a readable error) what checkJobRequest refuses. */
  start(req: JobRequest): JobInfo {
    const { entry, config } = checkJobRequest(req);
    const spec = trainingSpec({ algo: req.algo, env: req.env, steps: req.steps, seed: req.seed, config }, this.runsRoot);
    // a config that fixes the run's length (model-based) decides it, as in the driver
    const total = entry.totalSteps ? entry.totalSteps(config) : req.steps;
    return this.enqueue(spec, { algo: req.algo, env: req.env, runId: null, totalSteps: total });
  }

  resume(runId: string, extraSteps?: number): JobInfo {
    const dir = this.runDir(runId);
    const run = Run.open(dir);
    const cfg = run.config<{ algo: string; env: string; seed: number; totalSteps: number; envModule?: string | null }>();
    if (!isResumable(cfg))
      throw new Error(
        TRAINERS.some((t) => t.id === cfg.algo)
          ? `run ${runId} is a ${cfg.algo} run from before the trainer platform (no checkpoint to resume); start one warm from its model: npx adaptlab train ${cfg.algo} --env ${cfg.env} --init-from ${join(dir, 'checkpoints', 'latest.json')} ...`
          : `run ${runId} is a ${cfg.algo} run; the workbench resumes runs of registry trainers only (${TRAINERS.map((t) => t.id).join(', ')})`,
      );
    if (this.active().some((j) => j.info.runId === runId)) throw new Error(`run ${runId} is already being trained`);
    const spec: TrainingJobSpec = {
      algo: cfg.algo,
      env: cfg.env,
      ...(cfg.envModule || isPhysicsEnv(cfg.env) ? { envModule: PHYSICS_ENV_MODULE } : {}),
      totalSteps: cfg.totalSteps + (extraSteps ?? 0),
      seed: cfg.seed,
      runDir: dir,
      resume: true,
    };
    return this.enqueue(spec, { algo: cfg.algo, env: cfg.env, runId, totalSteps: spec.totalSteps });
  }

  cancel(jobId: string): JobInfo {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job "${jobId}"`);
    job.handle.cancel();
    return { ...job.info };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  private active(): Job[] {
    return [...this.jobs.values()].filter((j) => j.info.status === 'queued' || j.info.status === 'running');
  }

  runDir(runId: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId.startsWith('.')) throw new Error(`invalid run id "${runId}"`);
    return join(this.runsRoot, runId);
  }

  private enqueue(spec: TrainingJobSpec, meta: { algo: string; env: string; runId: string | null; totalSteps: number }): JobInfo {
    const jobId = randomUUID().slice(0, 8);
    const info: JobInfo = { jobId, algo: meta.algo, env: meta.env, status: 'queued', runId: meta.runId, step: 0, totalSteps: meta.totalSteps, etaSeconds: null };
    let latest: Record<string, number> = {};
    const progress = (metrics: Record<string, number> = latest) =>
      this.emit({ jobId, kind: info.algo, runId: info.runId, step: info.step, totalSteps: info.totalSteps, etaSeconds: info.etaSeconds, metrics, status: info.status });
    const handle = this.queue.enqueue(spec, {
      onStarted: (backend) => {
        info.status = 'running';
        this.log('info', `job ${jobId}: ${info.algo} on ${info.env} started (${backend})`);
        progress();
      },
      onProgress: (p) => {
        info.status = 'running';
        info.step = p.step;
        info.totalSteps = p.totalSteps;
        info.etaSeconds = p.etaSeconds;
        info.runId = basename(p.runDir);
        const metrics: Record<string, number> = {};
        for (const [k, v] of Object.entries(p.metrics)) if (typeof v === 'number' && Number.isFinite(v)) metrics[k] = v;
        latest = metrics;
        progress(metrics);
      },
    });
    this.jobs.set(jobId, { info, handle });
    progress();
    handle.result.then(
      (r) => {
        info.status = r === null || r.status === 'cancelled' ? 'cancelled' : 'done';
        if (r) {
          info.step = r.step;
          info.runId = basename(r.runDir);
        }
        info.etaSeconds = 0;
        this.log('info', `job ${jobId}: ${info.status} at step ${info.step}${info.runId ? ` (run ${info.runId})` : ''}`);
        progress();
      },
      (err) => {
        info.status = 'failed';
        info.error = err instanceof Error ? err.message : String(err);
        this.log('error', `job ${jobId} failed: ${info.error}`);
        progress();
      },
    );
    return { ...info };
  }

  async dispose(): Promise<void> {
    for (const j of this.active()) j.handle.cancel();
    await Promise.allSettled([...this.jobs.values()].map((j) => j.handle.result));
  }
}
