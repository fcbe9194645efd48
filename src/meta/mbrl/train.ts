/**
 * Model-based (meta-)training on the trainer platform: MbTrainer collects data over the task
 * distribution (random actions first, then on-policy MPC iterations with exploration noise) and
 * trains the dynamics model with the chosen method after each collection phase. The one driver
 * (../jobs/train.ts) runs it like any trainer: run folder, metrics, checkpoints, exact resume; the
 * run exports model.json (the model checkpoint, ./checkpoint.ts) and data.json (the transitions).
 * Same seed and config => same data, same params (bit-identical on one backend).
 */
import fs from 'node:fs';
import { tf, type Scalar, type Tensor } from '../tf.js';
import { Adam, type AdamState } from '../adam.js';
import { disposeParams, valueAndGrads, type Params } from '../params.js';
import { Rng, type RngState } from '../rng.js';
import type { ActivationName } from '../ops.js';
import { backendInfo } from '../backend.js';
import type { Trainer, TrainerMetrics } from '../trainers/entry.js';
import { LOG_LR, isContextMethod, adaptedLoss, dropoutMask, firstOrderDirections, grbalObjective, innerLrOf, mbObjective, rebalObjective, type MbMethod, type MetaHyper, type Segment } from './algos.js';
import { CHECKPOINT_FORMAT, decodeParams, encodeParams, loadCheckpoint, type MbCheckpoint } from './checkpoint.js';
import { collect } from './collect.js';
import { createAdaptiveController } from './controller.js';
import { TransitionData, type TransitionDataJson } from './data.js';
import { resolveTask } from './envs.js';
import { batchedSupported, disposeLayers, firstOrderGradsBatched, grbalObjectiveBatched } from './maml.js';
import { DynamicsModel, LATENT_MU, computeStats, disposeBatch, type ContextSpec, type DynamicsSpec, type DynamicsStats } from './model.js';
import { LATENT_INFERENCE, LatentInferrer, fitReadout, historyRowsContext, latentObjective, normalDraws, paramsContext, paramsSpec } from './context.js';
import type { PlannerConfig } from './planner.js';
import { faultLabel, isSetParams, type MbEnv, type MbTaskSpec } from './types.js';

export interface TrainMbConfig {
  method: MbMethod;
  /** Task family (or its id, e.g. 'Crawler-v0', 'Ant-v0'). */
  env: MbTaskSpec | string;
  /** Total env steps of data to collect (random phase + on-policy iterations). */
  steps: number;
  seed: number;
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
  /** Latent model: size of z (Belkhale et al.: 2-4). */
  latentSize?: number;
  /** Latent model: weight of the KL to the prior N(0, I) in the ELBO (Belkhale et al.: ~0.1). */
  klWeight?: number;
  /** MB with history: previous transitions the model reads. */
  historySteps?: number;
  /**
   * Model the dynamics in the torso's heading frame where the task defines one (see frame.ts).
   * Default false: the shipped Ant-v0 checkpoints are world-frame models, and the README's commands
   * must keep making them.
   */
  headingFrame?: boolean;
}

type Resolved = Required<Omit<TrainMbConfig, 'env' | 'recurrent' | 'command' | 'initialData' | 'initFrom'>> & { recurrent: TrainMbConfig['recurrent'] | null; command: string | null; initialData: string | null; initFrom: string | null; envId: string };

export function resolveTrainConfig(c: TrainMbConfig, spec: MbTaskSpec): Resolved {
  return {
    method: c.method,
    steps: c.steps,
    seed: c.seed,
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
    command: c.command ?? null,
    initialData: c.initialData ?? null,
    initFrom: c.initFrom ?? null,
    headingFrame: c.headingFrame ?? false,
    latentSize: c.latentSize ?? 2,
    klWeight: c.klWeight ?? 0.1,
    historySteps: c.historySteps ?? 8,
  };
}

/** The physical parameters each training task sets (setParams tasks), or an error naming the task that does not. */
export function taskParams(spec: MbTaskSpec): Record<string, number>[] {
  return spec.trainFaults.map((f) => {
    if (!isSetParams(f)) throw new Error(`${spec.id}: the oracle and the latent model need tasks that set physical parameters; task '${faultLabel(f)}' does not`);
    return f.params;
  });
}

/** The context input a method's model reads (null: none, or ReBAL's encoder). */
export function contextFor(method: MbMethod, spec: MbTaskSpec, c: Pick<Resolved, 'latentSize' | 'klWeight' | 'historySteps'>): ContextSpec | null {
  if (method === 'latent') return { kind: 'latent', size: c.latentSize, klWeight: c.klWeight, tasks: spec.trainFaults.length, readout: null };
  if (method === 'params') {
    const tasks = taskParams(spec);
    return paramsSpec(Object.keys(tasks[0]), tasks);
  }
  if (method === 'mbhist') return { kind: 'history', steps: c.historySteps };
  return null;
}

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
    readonly opts: { outerLr: number; metaBatch: number; batchSize: number; contextDropout: number; batchedInner?: boolean; taskParams?: Record<string, number>[] },
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
    if (isContextMethod(this.method)) {
      loss = this.contextStep(data);
    } else if (this.method === 'mb') {
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

  /** The context of data rows as training conditions on it (the oracle's and MB with history's; the latent model draws z inside its objective): the task's true parameters, or the previous transitions. */
  private rowsContext(data: TransitionData, rows: Int32Array): Tensor {
    const c = this.model.spec.context!;
    if (c.kind === 'history') return historyRowsContext(this.model, data, rows, c.steps);
    if (c.kind !== 'params') throw new Error(`rowsContext: a ${c.kind} context is not read from rows`);
    const tp = this.opts.taskParams;
    if (!tp) throw new Error('the oracle is trained with its tasks\' parameters (opts.taskParams)');
    const ctx = new Float32Array(rows.length * c.keys.length);
    rows.forEach((i, j) => ctx.set(paramsContext(c, tp[data.task[i]]), j * c.keys.length));
    return tf.tensor2d(ctx, [rows.length, c.keys.length]);
  }

  /** One minibatch step of a context method: the latent model's ELBO, or the MSE given the oracle's or the history's context. */
  private contextStep(data: TransitionData): number {
    const rows = Int32Array.from({ length: this.opts.batchSize }, () => this.rng.int(data.count));
    const b = this.model.batch(data.gather(rows), [rows.length]);
    const c = this.model.spec.context!;
    let value: Scalar;
    let grads: Params;
    if (c.kind === 'latent') {
      const task = tf.tensor1d(Array.from(rows, (i) => data.task[i]), 'int32');
      const eps = normalDraws(this.rng, rows.length, c.size);
      ({ value, grads } = tf.tidy(() => valueAndGrads((p) => latentObjective(this.model, p, b, task, eps, data.count), this.params)));
      tf.dispose([task, eps]);
    } else {
      const ctx = this.rowsContext(data, rows);
      ({ value, grads } = tf.tidy(() => valueAndGrads((p) => this.model.loss(p, b, ctx), this.params)));
      ctx.dispose();
    }
    const loss = value.dataSync()[0];
    this.params = this.adam.apply(this.params, grads);
    tf.dispose([value, ...Object.values(grads)]);
    disposeBatch(b);
    return loss;
  }

  /**
   * A context method's error on random rows (normalized MSE), without its context (z at the prior
   * mean, no parameters, no history) and with it (for the latent model: q(z) inferred on the M
   * transitions before each of K consecutive ones, as at run time).
   */
  private evaluateContext(data: TransitionData, starts: Int32Array, n: number, rng: Rng): { before: number; after: number } {
    const { M, K } = this.hyper;
    const c = this.model.spec.context!;
    let before = 0;
    let after = 0;
    for (let i = 0; i < n; i++) {
      const s = starts[rng.int(starts.length)];
      const futRows = Int32Array.from({ length: K }, (_, t) => s + M + t);
      const fut = this.model.batch(data.gather(futRows), [K]);
      let ctx: Tensor;
      if (c.kind === 'latent') {
        // run to convergence from the prior (at run time the per-step updates are warm-started)
        const inf = new LatentInferrer(this.model, { ...LATENT_INFERENCE, steps: 30 });
        const past = this.model.batch(data.gather(Int32Array.from({ length: M }, (_, t) => s + t)), [M]);
        inf.update(this.params, past, rng);
        disposeBatch(past);
        ctx = inf.meanContext();
      } else ctx = this.rowsContext(data, futRows);
      const [b, a] = tf.tidy(() => [this.model.loss(this.params, fut), this.model.loss(this.params, fut, ctx)]);
      before += b.dataSync()[0];
      after += a.dataSync()[0];
      tf.dispose([b, a, ctx]);
      disposeBatch(fut);
    }
    return { before: before / n, after: after / n };
  }

  /**
   * Prediction error (normalized MSE) on the K future transitions of held-out segments, without
   * and with adaptation on the M past ones (GrBAL/MB: one SGD step at `lr`; ReBAL: the context).
   */
  evaluate(data: TransitionData, starts: Int32Array, n: number, rng: Rng, lr = this.adaptLr(), steps = 1): { before: number; after: number } {
    if (isContextMethod(this.method)) return this.evaluateContext(data, starts, n, rng);
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

  /** Puts back the params, optimizer and step count of a checkpoint (exact resume). */
  restore(params: Params, adam: AdamState, gradSteps: number): void {
    disposeParams(this.params);
    this.params = params;
    this.adam.setState(adam);
    this.gradSteps = gradSteps;
  }

  dispose(): void {
    disposeParams(this.params);
    this.adam.dispose();
    this.model.dispose();
  }
}

export function makeCheckpoint(learner: MbLearner, spec: MbTaskSpec, c: Resolved, envSteps: number, wallSeconds: number, dt?: number): MbCheckpoint {
  let dspec = learner.model.spec;
  if (dspec.context?.kind === 'latent') {
    // z's read-out as physical parameters, fitted on the training tasks' posterior means
    const mu = learner.params[LATENT_MU];
    const d = dspec.context.size;
    const flat = mu.dataSync();
    const means = Array.from({ length: mu.shape[0] as number }, (_, t) => Array.from(flat.subarray(t * d, (t + 1) * d)));
    const tasks = taskParams(spec);
    dspec = { ...dspec, context: { ...dspec.context, readout: fitReadout(means, tasks, Object.keys(tasks[0])) } };
  }
  return {
    format: CHECKPOINT_FORMAT,
    method: c.method,
    envId: spec.id,
    spec: dspec,
    stats: learner.model.stats,
    hyper: learner.hyper,
    adaptLr: learner.adaptLr(),
    params: encodeParams(learner.params),
    planner: c.planner,
    ...(dt !== undefined ? { dt } : {}),
    positionIndices: spec.positionIndices,
    training: { seed: c.seed, envSteps, gradientSteps: learner.gradSteps, wallSeconds, command: c.command ?? undefined, backend: backendInfo()?.name ?? 'unknown' },
    createdAt: new Date().toISOString(),
  };
}


/** Gradient steps between metrics rows (and chances to cancel). */
const TRAIN_CHUNK = 25;

/** Where a run stands: phase `iteration` (0 = the random phase) is collecting or training. */
interface MbTrainerState {
  format: 'adaptlab-mb-trainer/1';
  iteration: number;
  stage: 'collect' | 'train';
  /** Gradient steps done in this phase. */
  phaseStep: number;
  gradSteps: number;
  wallSeconds: number;
  data: TransitionDataJson;
  rngs: { collect: RngState; train: RngState; eval: RngState };
  /** Null until the random phase has been collected (the model's statistics come from it). */
  model: { params: ReturnType<typeof encodeParams>; stats: DynamicsStats; adam: AdamState } | null;
}

/**
 * The trainer: each iterate() is one collection phase or TRAIN_CHUNK gradient steps; `steps`
 * counts gradient steps, (1 + iterations) x gradSteps in all.
 */
export class MbTrainer implements Trainer {
  private learner: MbLearner | null = null;
  private iteration = 0;
  private stage: 'collect' | 'train' = 'collect';
  private phaseStep = 0;
  private starts: Int32Array | null = null;
  private wallBefore = 0;
  private readonly t0 = Date.now();
  private readonly collectRng: Rng;
  private readonly trainRng: Rng;
  private readonly evalRng: Rng;
  private readonly phases: number;
  private readonly randomSteps: number;
  private readonly perIteration: number;
  private readonly dspec: DynamicsSpec;
  private readonly hyper: MetaHyper;

  private constructor(
    readonly spec: MbTaskSpec,
    readonly c: Resolved,
    private readonly env: MbEnv,
    private data: TransitionData,
    /** Warm-start weights, handed to the learner when the random phase is done. */
    private init: { params: Params; stats: DynamicsStats } | undefined,
  ) {
    const rng = new Rng(c.seed);
    this.collectRng = rng.fork();
    this.trainRng = rng.fork();
    this.evalRng = rng.fork();
    this.phases = 1 + c.iterations;
    this.randomSteps = c.initialData ? 0 : Math.round(c.steps * (c.iterations > 0 ? c.randomFraction : 1));
    this.perIteration = c.iterations > 0 ? Math.floor((c.steps - this.randomSteps) / c.iterations) : 0;
    const inputDims = Array.from({ length: env.observationSize }, (_, i) => i).filter((i) => !spec.excludeInputDims.includes(i));
    this.dspec = { observationSize: env.observationSize, actionSize: env.actionSize, inputDims, hidden: c.hidden, activation: c.activation, recurrent: c.recurrent, frame: c.headingFrame ? (spec.yawFrame ?? null) : null, context: contextFor(c.method, spec, c) };
    this.hyper = { M: c.M, K: c.K, innerLr: c.innerLr, innerSteps: c.innerSteps, firstOrder: c.firstOrder, learnInnerLr: c.learnInnerLr };
  }

  /** Checks the config (data and warm-start files, their shapes and frames) and makes the env. */
  static async create(config: TrainMbConfig): Promise<MbTrainer> {
    const spec = resolveTask(config.env);
    const c = resolveTrainConfig(config, spec);
    const env = await spec.make();
    try {
      const data = c.initialData ? TransitionData.fromJSON(JSON.parse(fs.readFileSync(c.initialData, 'utf8'))) : new TransitionData(env.observationSize, env.actionSize, 4096);
      if (data.O !== env.observationSize || data.A !== env.actionSize) throw new Error(`${c.initialData}: its transitions have obs ${data.O} / action ${data.A}, ${spec.id}'s ${env.observationSize} / ${env.actionSize}`);
      let init: { params: Params; stats: DynamicsStats } | undefined;
      if (c.initFrom) {
        const ck0 = loadCheckpoint(c.initFrom);
        const frame = c.headingFrame ? (spec.yawFrame ?? null) : null;
        if (JSON.stringify(ck0.spec.frame ?? null) !== JSON.stringify(frame))
          throw new Error(`initFrom ${c.initFrom}: its model works in the ${ck0.spec.frame ? 'heading' : 'world'} frame, this run's in the ${frame ? 'heading' : 'world'} frame (pass --heading-frame to match a heading-frame checkpoint, or leave it out to match a world-frame one)`);
        const all = decodeParams(ck0.params);
        const params: Params = {};
        for (const k in all) if (k.startsWith('dyn.') || k.startsWith('enc.') || k.startsWith('lat.')) params[k] = all[k];
        else all[k].dispose();
        init = { params, stats: ck0.stats };
      }
      return new MbTrainer(spec, c, env, data, init);
    } catch (e) {
      env.dispose?.();
      throw e;
    }
  }

  get steps(): number {
    return this.learner?.gradSteps ?? 0;
  }

  private wallSeconds(): number {
    return this.wallBefore + (Date.now() - this.t0) / 1000;
  }

  private makeLearner(init: { params: Params; stats: DynamicsStats } | undefined): MbLearner {
    const taskParamsOf = this.c.method === 'params' ? taskParams(this.spec) : undefined;
    return new MbLearner(this.c.method, this.dspec, this.data, this.hyper, { outerLr: this.c.outerLr, metaBatch: this.c.metaBatch, batchSize: this.c.batchSize, contextDropout: this.c.contextDropout, taskParams: taskParamsOf }, this.trainRng, init);
  }

  iterate(): TrainerMetrics {
    return this.stage === 'collect' ? this.collectPhase() : this.trainChunk();
  }

  private collectPhase(): TrainerMetrics {
    const { c, data } = this;
    const base = { tasks: this.spec.trainFaults, episodeSteps: c.episodeSteps, rng: this.collectRng, env: this.env, data };
    let r = { meanForward: NaN, meanReturn: NaN, episodes: 0 };
    if (this.iteration === 0) {
      if (this.randomSteps > 0) r = collect({ ...base, steps: this.randomSteps });
      // the model's normalization comes from the random phase (or the given data)
      this.learner = this.makeLearner(this.init);
      this.init = undefined; // the learner owns those tensors now
    } else {
      // on-policy collection with the current model (adapting, for GrBAL/ReBAL); plans with the
      // task's plain reward: imaginedPenalty is a control-time cost (evaluation and the Adaptation
      // view), so the shipped checkpoints' data stay those of the README commands
      const env = this.env;
      const ctl = createAdaptiveController({ checkpoint: this.checkpoint(), env, seed: this.collectRng.nextU32(), trueParams: env.params ? () => env.params!() : undefined });
      try {
        r = collect({ ...base, steps: this.perIteration, controller: ctl, actionNoise: c.actionNoise });
      } finally {
        ctl.dispose();
      }
    }
    this.stage = 'train';
    this.phaseStep = 0;
    this.starts = null;
    return { step: this.steps, iteration: this.iteration, envSteps: data.count, collectForward: r.meanForward, collectReturn: r.meanReturn, episodes: r.episodes };
  }

  private trainChunk(): TrainerMetrics {
    const learner = this.learner!;
    const { c, data } = this;
    this.starts ??= data.segmentStarts(c.M + c.K);
    const n = Math.min(TRAIN_CHUNK, c.gradSteps - this.phaseStep);
    let loss = 0;
    for (let g = 0; g < n; g++) loss += learner.step(data, this.starts);
    this.phaseStep += n;
    const row: TrainerMetrics = { step: learner.gradSteps, iteration: this.iteration, loss: loss / n };
    if (this.phaseStep >= c.gradSteps) {
      // the phase's held-out check: prediction error before and after adapting on M transitions
      const ev = learner.evaluate(data, this.starts, 20, this.evalRng.fork());
      // MB does not adapt: an "after" (one SGD step at lr 1) would be noise in its curve
      const adapted = learner.method === 'mb' ? {} : { errorAfter: ev.after, adaptLr: learner.adaptLr() };
      Object.assign(row, { envSteps: data.count, gradSteps: learner.gradSteps, errorBefore: ev.before, ...adapted });
      this.iteration++;
      this.stage = 'collect';
    }
    return row;
  }

  private checkpoint(): MbCheckpoint {
    return makeCheckpoint(this.learner!, this.spec, this.c, this.data.count, this.wallSeconds(), this.env.dt);
  }

  policy(): null {
    return null;
  }

  artifacts(): Record<string, unknown> {
    return this.learner ? { 'model.json': this.checkpoint(), 'data.json': this.data.toJSON() } : { 'data.json': this.data.toJSON() };
  }

  getState(): MbTrainerState {
    const l = this.learner;
    return {
      format: 'adaptlab-mb-trainer/1',
      iteration: this.iteration,
      stage: this.stage,
      phaseStep: this.phaseStep,
      gradSteps: this.steps,
      wallSeconds: this.wallSeconds(),
      data: this.data.toJSON(),
      rngs: { collect: this.collectRng.getState(), train: this.trainRng.getState(), eval: this.evalRng.getState() },
      model: l ? { params: encodeParams(l.params), stats: l.model.stats, adam: l.adam.getState() } : null,
    };
  }

  setState(state: unknown): void {
    const s = state as MbTrainerState;
    if (s.format !== 'adaptlab-mb-trainer/1') throw new Error(`not a model-based trainer checkpoint (format ${String(s.format)})`);
    this.iteration = s.iteration;
    this.stage = s.stage;
    this.phaseStep = s.phaseStep;
    this.starts = null;
    this.wallBefore = s.wallSeconds - (Date.now() - this.t0) / 1000;
    this.data = TransitionData.fromJSON(s.data);
    this.learner?.dispose();
    this.learner = null;
    if (s.model) {
      // built before the rngs are restored: building draws fresh weights, which restore() replaces
      const learner = this.makeLearner({ params: {}, stats: s.model.stats });
      learner.restore(decodeParams(s.model.params), s.model.adam, s.gradSteps);
      this.learner = learner;
      if (this.init) disposeParams(this.init.params);
      this.init = undefined;
    }
    this.collectRng.setState(s.rngs.collect);
    this.trainRng.setState(s.rngs.train);
    this.evalRng.setState(s.rngs.eval);
  }

  dispose(): void {
    this.learner?.dispose();
    if (this.init) disposeParams(this.init.params);
    this.env.dispose?.();
  }
}
