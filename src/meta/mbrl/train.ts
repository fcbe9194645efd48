/**
 * trainModelBasedMeta: collects data over the task distribution (random actions first, then
 * on-policy MPC iterations with exploration noise), trains the dynamics model with the chosen
 * method after each collection phase, and writes a run folder:
 *   outDir/config.json        the full configuration (seed included)
 *   outDir/metrics.jsonl      one JSON object a line (losses, pre/post-adaptation errors, returns)
 *   outDir/status.json        {state, envSteps, ...}
 *   outDir/data.json          the collected transitions (lossless)
 *   outDir/checkpoints/latest.json  the model checkpoint (see ./checkpoint.ts)
 * Same seed and config => same data, same params (bit-identical on one backend).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tf } from '../tf.js';
import { Adam } from '../adam.js';
import { disposeParams, valueAndGrads, type Params } from '../params.js';
import { Rng } from '../rng.js';
import type { ActivationName } from '../ops.js';
import { backendInfo, initBackend } from '../backend.js';
import { makeDirs } from '../runs.js';
import { LOG_LR, adaptedLoss, dropoutMask, firstOrderDirections, grbalObjective, innerLrOf, mbObjective, rebalObjective, type MbMethod, type MetaHyper, type Segment } from './algos.js';
import { CHECKPOINT_FORMAT, decodeParams, encodeParams, loadCheckpoint, saveCheckpoint, type MbCheckpoint } from './checkpoint.js';
import { collect } from './collect.js';
import { createAdaptiveController } from './controller.js';
import { TransitionData } from './data.js';
import { resolveTask } from './envs.js';
import { batchedSupported, disposeLayers, firstOrderGradsBatched, grbalObjectiveBatched } from './maml.js';
import { DynamicsModel, computeStats, disposeBatch, type DynamicsSpec, type DynamicsStats } from './model.js';
import type { PlannerConfig } from './planner.js';
import type { MbTaskSpec } from './types.js';

export interface TrainMbConfig {
  method: MbMethod;
  /** Task family (or its id, e.g. 'Crawler-v0', 'Ant-v0'). */
  env: MbTaskSpec | string;
  /** Total env steps of data to collect (random phase + on-policy iterations). */
  steps: number;
  seed: number;
  /** The run folder to create (or reuse). */
  outDir: string;
  /** MLP hidden sizes (paper: [512, 512, 512]). */
  hidden?: number[];
  activation?: ActivationName;
  /** ReBAL's encoder (paper: LSTM 256). */
  recurrent?: { cell: 'gru' | 'lstm'; hidden: number };
  M?: number;
  K?: number;
  innerLr?: number;
  innerSteps?: number;
  firstOrder?: boolean;
  learnInnerLr?: boolean;
  /** Segments per meta-batch (GrBAL, ReBAL; paper: 10). */
  metaBatch?: number;
  /** Transitions per minibatch (MB). */
  batchSize?: number;
  /** Outer Adam step size (paper: 1e-3). */
  outerLr?: number;
  /** Gradient steps after each collection phase. */
  gradSteps?: number;
  /** Fraction of `steps` collected with random actions (the rest on-policy). */
  randomFraction?: number;
  /** On-policy MPC iterations after the random phase. */
  iterations?: number;
  /** Planner for on-policy collection (stored as the checkpoint's default). */
  planner?: PlannerConfig;
  episodeSteps?: number;
  actionNoise?: number;
  /** ReBAL: probability of training a segment without context. */
  contextDropout?: number;
  /** Write the collected data into the run folder (default true). */
  saveData?: boolean;
  /** The command line that started the run (recorded in the checkpoint). */
  command?: string;
  /**
   * Start from transitions collected by an earlier run (its data.json): the random phase is
   * skipped and `steps` counts only the on-policy steps to add.
   */
  initialData?: string;
  /**
   * Warm start: the network weights and normalization of an earlier checkpoint with the same
   * architecture (e.g. GrBAL meta-trained from a converged MB model), or a ReBAL model started
   * from an MB model of the same MLP (its context inputs start with zero weights).
   */
  initFrom?: string;
  /**
   * Model the dynamics in the torso's heading frame where the task defines one (see frame.ts).
   * Default false: the shipped Ant-v0 checkpoints are world-frame models, and the README's commands
   * must keep making them.
   */
  headingFrame?: boolean;
}

export interface TrainMbProgress {
  phase: 'collect' | 'train' | 'done';
  iteration: number;
  envSteps: number;
  totalEnvSteps: number;
  gradStep: number;
  totalGradSteps: number;
  loss?: number;
}

export interface TrainMbResult {
  runDir: string;
  checkpointPath: string;
  checkpoint: MbCheckpoint;
  cancelled: boolean;
  /** The last evaluation row (pre/post-adaptation errors on held-out segments etc.). */
  final: Record<string, number>;
}

type Resolved = Required<Omit<TrainMbConfig, 'env' | 'recurrent' | 'command' | 'initialData' | 'initFrom'>> & { recurrent: TrainMbConfig['recurrent'] | null; command: string | null; initialData: string | null; initFrom: string | null; envId: string };

export function resolveTrainConfig(c: TrainMbConfig, spec: MbTaskSpec): Resolved {
  return {
    method: c.method,
    steps: c.steps,
    seed: c.seed,
    outDir: c.outDir,
    envId: spec.id,
    hidden: c.hidden ?? [512, 512, 512],
    activation: c.activation ?? 'relu',
    recurrent: c.method === 'rebal' ? (c.recurrent ?? { cell: 'lstm', hidden: 256 }) : null,
    M: c.M ?? 16,
    K: c.K ?? 16,
    innerLr: c.innerLr ?? 1e-3,
    innerSteps: c.innerSteps ?? 1,
    firstOrder: c.firstOrder ?? false,
    learnInnerLr: c.learnInnerLr ?? false,
    metaBatch: c.metaBatch ?? 10,
    batchSize: c.batchSize ?? 128,
    outerLr: c.outerLr ?? 1e-3,
    gradSteps: c.gradSteps ?? 500,
    randomFraction: c.randomFraction ?? 0.5,
    iterations: c.iterations ?? 2,
    planner: c.planner ?? { kind: 'mppi', candidates: 200, horizon: 8 },
    episodeSteps: c.episodeSteps ?? spec.episodeSteps ?? 200,
    actionNoise: c.actionNoise ?? 0.1,
    contextDropout: c.contextDropout ?? 0.2,
    saveData: c.saveData ?? true,
    command: c.command ?? null,
    initialData: c.initialData ?? null,
    initFrom: c.initFrom ?? null,
    headingFrame: c.headingFrame ?? false,
  };
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The model-learning part, usable on its own (tests, fine-tuning on existing data). */
export class MbLearner {
  readonly model: DynamicsModel;
  params: Params;
  readonly adam: Adam;
  readonly hyper: MetaHyper;
  gradSteps = 0;
  /** GrBAL: use the batched meta-objective (./maml.ts) when the architecture allows. */
  batched: boolean;

  constructor(
    readonly method: MbMethod,
    spec: DynamicsSpec,
    data: TransitionData,
    hyper: MetaHyper,
    readonly opts: { outerLr: number; metaBatch: number; batchSize: number; contextDropout: number; batchedInner?: boolean },
    readonly rng: Rng,
    init?: { params: Params; stats: DynamicsStats },
  ) {
    this.model = new DynamicsModel(spec, init?.stats ?? computeStats(data, spec.inputDims, spec.frame));
    this.params = this.model.init(rng);
    if (init) {
      for (const k in init.params) {
        const cur = this.params[k];
        const w = init.params[k];
        if (!cur) throw new Error(`initFrom: param ${k} does not exist in a ${method} model`);
        if (cur.shape.join() === w.shape.join()) {
          cur.dispose();
          this.params[k] = w;
        } else if (k === 'dyn.l0.W' && cur.shape[1] === w.shape[1] && cur.shape[0] === w.shape[0] + this.model.contextSize) {
          // ReBAL from an MB model: the context rows start at zero, so before the encoder has
          // learned anything the recurrent model predicts exactly what the MB model did
          this.params[k] = tf.concat([w, tf.zeros([this.model.contextSize, w.shape[1] as number])], 0);
          cur.dispose();
          w.dispose();
        } else throw new Error(`initFrom: param ${k} has shape [${w.shape}], a ${method} model needs [${cur.shape}]`);
      }
    }
    if (method === 'grbal' && hyper.learnInnerLr) this.params[LOG_LR] = tf.scalar(Math.log(hyper.innerLr));
    this.hyper = hyper;
    this.adam = new Adam({ lr: opts.outerLr, maxGradNorm: 10 });
    this.batched = opts.batchedInner !== false && batchedSupported(this.model);
  }

  /** The run-time adaptation step size (learned value when learnInnerLr). */
  adaptLr(): number {
    const v = innerLrOf(this.params, this.hyper);
    return typeof v === 'number' ? v : tf.tidy(() => v.dataSync()[0]);
  }

  private segments(data: TransitionData, starts: Int32Array, n: number): Segment[] {
    const { M, K } = this.hyper;
    const segs: Segment[] = [];
    for (let b = 0; b < n; b++) {
      const s = starts[this.rng.int(starts.length)];
      const past = Int32Array.from({ length: M }, (_, t) => s + t);
      const fut = Int32Array.from({ length: K }, (_, t) => s + M + t);
      segs.push({ past: this.model.batch(data.gather(past), [M]), future: this.model.batch(data.gather(fut), [K]) });
    }
    return segs;
  }

  /** One gradient step of the method's objective; returns the loss. */
  step(data: TransitionData, starts: Int32Array): number {
    const { M, K } = this.hyper;
    let loss = NaN;
    if (this.method === 'mb') {
      const rows = Int32Array.from({ length: this.opts.batchSize }, () => this.rng.int(data.count));
      const b = this.model.batch(data.gather(rows), [rows.length]);
      const { value, grads } = tf.tidy(() => valueAndGrads((p) => mbObjective(this.model, p, b), this.params));
      loss = value.dataSync()[0];
      this.params = this.adam.apply(this.params, grads);
      tf.dispose([value, ...Object.values(grads)]);
      disposeBatch(b);
    } else if (this.method === 'grbal' && this.batched) {
      const { M, K } = this.hyper;
      const B = this.opts.metaBatch;
      const pastRows = new Int32Array(B * M);
      const futRows = new Int32Array(B * K);
      for (let b = 0; b < B; b++) {
        const s = starts[this.rng.int(starts.length)];
        for (let t = 0; t < M; t++) pastRows[b * M + t] = s + t;
        for (let t = 0; t < K; t++) futRows[b * K + t] = s + M + t;
      }
      const segs = { past: this.model.batch(data.gather(pastRows), [B, M]), future: this.model.batch(data.gather(futRows), [B, K]) };
      const fo = this.hyper.firstOrder ? firstOrderGradsBatched(this.model, this.params, segs, this.hyper) : undefined;
      const { value, grads } = tf.tidy(() => valueAndGrads((p) => grbalObjectiveBatched(this.model, p, segs, this.hyper, fo), this.params));
      loss = value.dataSync()[0];
      this.params = this.adam.apply(this.params, grads);
      tf.dispose([value, ...Object.values(grads)]);
      disposeBatch(segs.past);
      disposeBatch(segs.future);
      if (fo) disposeLayers(fo);
    } else if (this.method === 'grbal') {
      const segs = this.segments(data, starts, this.opts.metaBatch);
      const fo = this.hyper.firstOrder ? firstOrderDirections(this.model, this.params, segs, this.hyper) : undefined;
      const { value, grads } = tf.tidy(() => valueAndGrads((p) => grbalObjective(this.model, p, segs, this.hyper, fo), this.params));
      loss = value.dataSync()[0];
      this.params = this.adam.apply(this.params, grads);
      tf.dispose([value, ...Object.values(grads)]);
      for (const s of segs) {
        disposeBatch(s.past);
        disposeBatch(s.future);
      }
      if (fo) fo.forEach(disposeParams);
    } else {
      const B = this.opts.metaBatch;
      const rows = data.sampleSegments(M + K, B, this.rng, starts);
      const past = this.model.batch(data.gather(rows.subarray(0, M * B)), [M, B]);
      const future = this.model.batch(data.gather(rows.subarray(M * B)), [K, B]);
      const mask = dropoutMask(this.rng, B, this.opts.contextDropout);
      const { value, grads } = tf.tidy(() => valueAndGrads((p) => rebalObjective(this.model, p, { past, future, batch: B }, mask), this.params));
      loss = value.dataSync()[0];
      this.params = this.adam.apply(this.params, grads);
      tf.dispose([value, mask, ...Object.values(grads)]);
      disposeBatch(past);
      disposeBatch(future);
    }
    this.gradSteps++;
    return loss;
  }

  /**
   * Prediction error (normalized MSE) on the K future transitions of held-out segments, without
   * and with adaptation on the M past ones (GrBAL/MB: one SGD step at `lr`; ReBAL: the context).
   */
  evaluate(data: TransitionData, starts: Int32Array, n: number, rng: Rng, lr = this.adaptLr(), steps = 1): { before: number; after: number } {
    const { M, K } = this.hyper;
    let before = 0;
    let after = 0;
    for (let i = 0; i < n; i++) {
      const s = starts[rng.int(starts.length)];
      const past = this.model.batch(data.gather(Int32Array.from({ length: M }, (_, t) => s + t)), [M]);
      const fut = this.model.batch(data.gather(Int32Array.from({ length: K }, (_, t) => s + M + t)), [K]);
      const [b, a] = tf.tidy(() => [this.model.loss(this.params, fut), adaptedLoss(this.model, this.params, this.method, past, fut, lr, steps)]);
      before += b.dataSync()[0];
      after += a.dataSync()[0];
      tf.dispose([b, a]);
      disposeBatch(past);
      disposeBatch(fut);
    }
    return { before: before / n, after: after / n };
  }

  dispose(): void {
    disposeParams(this.params);
    this.adam.dispose();
    this.model.dispose();
  }
}

export function makeCheckpoint(learner: MbLearner, spec: MbTaskSpec, c: Resolved, envSteps: number, wallSeconds: number): MbCheckpoint {
  return {
    format: CHECKPOINT_FORMAT,
    method: c.method,
    envId: spec.id,
    spec: learner.model.spec,
    stats: learner.model.stats,
    hyper: learner.hyper,
    adaptLr: learner.adaptLr(),
    params: encodeParams(learner.params),
    planner: c.planner,
    positionIndices: spec.positionIndices,
    training: { seed: c.seed, envSteps, gradientSteps: learner.gradSteps, wallSeconds, command: c.command ?? undefined, backend: backendInfo()?.name ?? 'unknown' },
    createdAt: new Date().toISOString(),
  };
}

function appendJsonl(file: string, row: object): void {
  fs.appendFileSync(file, JSON.stringify(row) + '\n');
}

function writeJson(file: string, v: unknown): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(v, null, 1));
  fs.renameSync(tmp, file);
}

/**
 * Meta-trains (GrBAL, ReBAL) or trains (MB) a dynamics model on a task family and writes a run
 * folder with a checkpoint. Cancel with `signal`: the run stops at the next gradient step or
 * collection tick and still writes its checkpoint.
 */
export async function trainModelBasedMeta(config: TrainMbConfig, onProgress?: (p: TrainMbProgress) => void, signal?: AbortSignal): Promise<TrainMbResult> {
  if (!backendInfo()) await initBackend();
  const spec = resolveTask(config.env);
  const c = resolveTrainConfig(config, spec);
  const t0 = Date.now();
  makeDirs(path.join(c.outDir, 'checkpoints'));
  const phases = 1 + c.iterations;
  const totalGrad = phases * c.gradSteps;
  // algo/env/createdAt/totalSteps and a `step` (gradient steps) on every status and metrics row: the
  // run-folder format of src/meta/runs.ts, so the Runs view lists and plots these runs too
  writeJson(path.join(c.outDir, 'config.json'), { ...c, algo: c.method, env: spec.id, totalSteps: totalGrad, stepUnit: 'gradient steps', createdAt: new Date().toISOString(), backend: backendInfo()?.name });
  const metricsFile = path.join(c.outDir, 'metrics.jsonl');
  // a 'running' status names this process, so a run killed mid-way lists as interrupted (../runs.ts)
  const owner = (state: string) => (state === 'running' ? { pid: process.pid, hostname: os.hostname() } : {});
  const status = (state: string, step: number, extra: object = {}) =>
    writeJson(path.join(c.outDir, 'status.json'), { state, step, totalSteps: totalGrad, updatedAt: new Date().toISOString(), backend: backendInfo()?.name, ...owner(state), ...extra });
  status('running', 0);
  const rng = new Rng(c.seed);
  const collectRng = rng.fork();
  const trainRng = rng.fork();
  const evalRng = rng.fork();
  const env = await spec.make();
  const data = c.initialData ? TransitionData.fromJSON(JSON.parse(fs.readFileSync(c.initialData, 'utf8'))) : new TransitionData(env.observationSize, env.actionSize, 4096);
  if (data.O !== env.observationSize || data.A !== env.actionSize) throw new Error(`initialData has obs ${data.O}/act ${data.A}, env ${env.observationSize}/${env.actionSize}`);
  const inputDims = Array.from({ length: env.observationSize }, (_, i) => i).filter((i) => !spec.excludeInputDims.includes(i));
  const dspec: DynamicsSpec = { observationSize: env.observationSize, actionSize: env.actionSize, inputDims, hidden: c.hidden, activation: c.activation, recurrent: c.recurrent, frame: c.headingFrame ? (spec.yawFrame ?? null) : null };
  const hyper: MetaHyper = { M: c.M, K: c.K, innerLr: c.innerLr, innerSteps: c.innerSteps, firstOrder: c.firstOrder, learnInnerLr: c.learnInnerLr };
  const randomSteps = c.initialData ? 0 : Math.round(c.steps * (c.iterations > 0 ? c.randomFraction : 1));
  const perIter = c.iterations > 0 ? Math.floor((c.steps - randomSteps) / c.iterations) : 0;
  let cancelled = false;
  const aborted = () => (cancelled ||= !!signal?.aborted);
  const progress = (p: Omit<TrainMbProgress, 'totalEnvSteps' | 'totalGradSteps'>) => onProgress?.({ ...p, totalEnvSteps: c.steps, totalGradSteps: totalGrad });

  // random phase
  progress({ phase: 'collect', iteration: 0, envSteps: 0, gradStep: 0 });
  const r0 = randomSteps === 0 ? { meanForward: NaN, meanReturn: NaN, episodes: 0 } : collect({ env, data, tasks: spec.trainFaults, steps: randomSteps, episodeSteps: c.episodeSteps, rng: collectRng, tick: (done) => (progress({ phase: 'collect', iteration: 0, envSteps: done, gradStep: 0 }), aborted()) });
  appendJsonl(metricsFile, { step: 0, iteration: 0, wallTime: Date.now() / 1000, envSteps: data.count, collectForward: r0.meanForward, collectReturn: r0.meanReturn, episodes: r0.episodes });

  let init: { params: Params; stats: DynamicsStats } | undefined;
  if (c.initFrom) {
    const ck0 = loadCheckpoint(c.initFrom);
    const all = decodeParams(ck0.params);
    const params: Params = {};
    for (const k in all) if (k.startsWith('dyn.') || k.startsWith('enc.')) params[k] = all[k];
    else all[k].dispose();
    if (JSON.stringify(ck0.spec.frame ?? null) !== JSON.stringify(dspec.frame ?? null))
      throw new Error(`initFrom ${c.initFrom}: its model works in the ${ck0.spec.frame ? 'heading' : 'world'} frame, this run's in the ${dspec.frame ? 'heading' : 'world'} frame (pass --heading-frame to match a heading-frame checkpoint, or leave it out to match a world-frame one)`);
    init = { params, stats: ck0.stats };
  }
  const learner = new MbLearner(c.method, dspec, data, hyper, { outerLr: c.outerLr, metaBatch: c.metaBatch, batchSize: c.batchSize, contextDropout: c.contextDropout }, trainRng, init);
  const ckPath = path.join(c.outDir, 'checkpoints', 'latest.json');
  let final: Record<string, number> = {};
  try {
    for (let it = 0; it < phases && !aborted(); it++) {
      if (it > 0) {
        // on-policy collection with the current model (adapting, for GrBAL/ReBAL)
        progress({ phase: 'collect', iteration: it, envSteps: data.count, gradStep: learner.gradSteps });
        const ck = makeCheckpoint(learner, spec, c, data.count, (Date.now() - t0) / 1000);
        const base = data.count;
        // plans with the task's plain reward: imaginedPenalty is a control-time cost (evaluation and
        // the Adaptation view), so the shipped checkpoints' data stay those of the README commands
        const ctl = createAdaptiveController({ checkpoint: ck, env, seed: collectRng.nextU32() });
        const r = collect({ env, data, tasks: spec.trainFaults, steps: perIter, episodeSteps: c.episodeSteps, rng: collectRng, controller: ctl, actionNoise: c.actionNoise, tick: (done) => (progress({ phase: 'collect', iteration: it, envSteps: base + done, gradStep: learner.gradSteps }), aborted()) });
        ctl.dispose();
        appendJsonl(metricsFile, { step: learner.gradSteps, iteration: it, wallTime: Date.now() / 1000, envSteps: data.count, collectForward: r.meanForward, collectReturn: r.meanReturn, episodes: r.episodes });
      }
      const starts = data.segmentStarts(c.M + c.K);
      let lossSum = 0;
      let lossN = 0;
      for (let g = 0; g < c.gradSteps; g++) {
        if (aborted()) break;
        const loss = learner.step(data, starts);
        lossSum += loss;
        lossN++;
        if ((g + 1) % 25 === 0 || g + 1 === c.gradSteps) {
          const row = { step: learner.gradSteps, iteration: it, wallTime: Date.now() / 1000, loss: lossSum / lossN };
          appendJsonl(metricsFile, row);
          progress({ phase: 'train', iteration: it, envSteps: data.count, gradStep: learner.gradSteps, loss: row.loss });
          lossSum = 0;
          lossN = 0;
          await yieldToLoop();
        }
      }
      const ev = learner.evaluate(data, starts, 20, evalRng.fork());
      final = { iteration: it, envSteps: data.count, gradSteps: learner.gradSteps, errorBefore: ev.before, errorAfter: ev.after, adaptLr: learner.adaptLr() };
      appendJsonl(metricsFile, { step: learner.gradSteps, ...final, wallTime: Date.now() / 1000 });
      saveCheckpoint(ckPath, makeCheckpoint(learner, spec, c, data.count, (Date.now() - t0) / 1000));
      status('running', learner.gradSteps, { iteration: it, envSteps: data.count, gradSteps: learner.gradSteps });
    }
    const checkpoint = makeCheckpoint(learner, spec, c, data.count, (Date.now() - t0) / 1000);
    saveCheckpoint(ckPath, checkpoint);
    if (c.saveData) writeJson(path.join(c.outDir, 'data.json'), data.toJSON());
    status(cancelled ? 'cancelled' : 'done', learner.gradSteps, { envSteps: data.count, gradSteps: learner.gradSteps, wallSeconds: (Date.now() - t0) / 1000 });
    progress({ phase: 'done', iteration: phases - 1, envSteps: data.count, gradStep: learner.gradSteps });
    return { runDir: c.outDir, checkpointPath: ckPath, checkpoint, cancelled, final };
  } catch (e) {
    status('failed', learner.gradSteps, { error: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    learner.dispose();
    env.dispose?.();
  }
}
