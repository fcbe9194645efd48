/**
 * The online adapt-plan-act loop. Every control step:
 *   1. record the newest transition (previous obs, previous action, this obs) and score it with the
 *      model used at the previous step, adapted and unadapted (prequential prediction error: the
 *      transition was not seen by either);
 *   2. adapt on the last M transitions: GrBAL one (or k) SGD steps from the meta-learned theta;
 *      ReBAL the recurrent context; MB + dynamic evaluation a persistent fine-tuning step; MB none;
 *   3. plan with MPC (random shooting, CEM or MPPI) through the adapted model;
 *   4. return the first action.
 * Adaptation can be switched off and on while running (`setAdaptation`).
 */
import { tf, type Tensor } from '../tf.js';
import { disposeParams, keepParams, type Params } from '../params.js';
import { Rng } from '../rng.js';
import { adaptParams, isContextMethod, netParams, type MbMethod } from './algos.js';
import { LATENT_INFERENCE, LatentInferrer, historyContext, paramsContext, readParams, type LatentInference } from './context.js';
import { decodeParams, loadCheckpoint, type MbCheckpoint } from './checkpoint.js';
import { DynamicsModel, disposeBatch, type Batch } from './model.js';
import { Planner, type PlannerConfig, type RewardFn } from './planner.js';
import type { MbEnv, MbTaskSpec } from './types.js';

/** 'mbde' = MB + dynamic evaluation: a non-meta-trained model fine-tuned online. */
export type ControllerMethod = MbMethod | 'mbde';

export interface AdaptiveControllerOptions {
  /** A checkpoint object or a path to one. */
  checkpoint: MbCheckpoint | string;
  /** The live env (its reward function is used in imagination). */
  env: Pick<MbEnv, 'observationSize' | 'actionSize' | 'dt' | 'rewardFromTransition'>;
  /** Defaults to the checkpoint's method. 'mbde' runs any checkpoint as MB + dynamic evaluation. */
  method?: ControllerMethod;
  /** Start with adaptation on (default true). */
  adapt?: boolean;
  /** Overrides of the checkpoint's planner (kind, candidates, horizon...). */
  planner?: Partial<PlannerConfig>;
  /** Transitions adapted on (default: the checkpoint's M). */
  M?: number;
  /** Gradient steps per control step (GrBAL, MB+DE; default 1). */
  adaptSteps?: number;
  /** Step size (default: the checkpoint's adaptLr; MB+DE: 0.01 unless given). */
  adaptLr?: number;
  /** Imagination penalty (e.g. MbTaskSpec.imaginedPenalty). */
  imaginedPenalty?: MbTaskSpec['imaginedPenalty'];
  /** Seed of the planner's sampling (default 0). */
  seed?: number;
  /** The env's true physical parameters now: what the oracle conditions on (required for 'oracle'). */
  trueParams?: () => Record<string, number>;
  /** The latent model's online inference of q(z) (steps, step size, draws). */
  latentInference?: Partial<LatentInference>;
  /** Observation index of the torso's yaw rate: diagnostics then report both models' predictions of it. */
  yawRateIndex?: number;
}

export interface StepDiagnostics {
  /** Control steps since reset (this one included). */
  step: number;
  method: ControllerMethod;
  adaptation: boolean;
  /** Transitions in the adaptation window now. */
  window: number;
  /**
   * Prediction error (MSE of normalized deltas) on the newest transition, by the model planned
   * with at the previous step (adapted) and by the unadapted model; null on the first step.
   */
  predictionError: { adapted: number | null; unadapted: number | null };
  /** Same two errors averaged over the transitions of the adaptation window. */
  windowError: { adapted: number | null; unadapted: number | null };
  /**
   * Forward-velocity error (m/s) of the same two predictions of the newest transition: what the
   * reward reads, so what the planner's choices hinge on. Null on the first step, or when the
   * observation carries no x position.
   */
  velocityError: { adapted: number | null; unadapted: number | null };
  /**
   * The yaw rate (rad/s) after the newest transition, as it was and as the two models predicted it
   * (`yawRateIndex` given and a transition seen; else null): a broken leg's steady turn shows here.
   */
  yawRate: { actual: number; adapted: number; unadapted: number } | null;
  plan: {
    /** The best candidate's imagined observations [(H + 1) * O], from the current obs. */
    observations: Float32Array;
    /** Torso x, y, z along that plan [(H + 1) * 3], or null when the obs lacks positions. */
    positions: Float32Array | null;
    horizon: number;
    bestReturn: number;
    meanReturn: number;
  };
  timing: { adaptMs: number; planMs: number; totalMs: number };
  /**
   * The latent model's q(z) inferred from the window (prior N(0, I) before any transition), and
   * its linear read-out as physical parameters (fitted on the training tasks); null for other methods.
   */
  latent: { mean: number[]; std: number[]; params: Record<string, number> | null } | null;
}

export interface AdaptiveController {
  readonly method: ControllerMethod;
  readonly adaptation: boolean;
  readonly observationSize: number;
  readonly actionSize: number;
  readonly positionIndices: [number, number, number | null] | null;
  /** Next action for this observation (records the transition from the previous call). */
  act(obs: ArrayLike<number>): Float32Array;
  setAdaptation(on: boolean): void;
  /** New episode: forget the transition window, the warm start and any online fine-tuning; a seed also restarts the planner's noise. */
  reset(seed?: number): void;
  /** Diagnostics of the last `act`. */
  diagnostics(): StepDiagnostics | null;
  dispose(): void;
}

const CONTROLLER_METHODS: readonly ControllerMethod[] = ['grbal', 'rebal', 'mb', 'mbde', 'latent', 'params', 'mbhist'];

/** MB + dynamic evaluation's online fine-tuning step size (an MB checkpoint's adaptLr is not meant for it). */
export const MBDE_LR = 0.01;

/** The context kind each context method's checkpoint carries. */
const CONTEXT_OF = { latent: 'latent', params: 'params', mbhist: 'history' } as const;

/** The step size a method adapts with at run time: GrBAL its meta-learned one, MB + DE MBDE_LR. */
export function runTimeAdaptLr(method: ControllerMethod, ck: Pick<MbCheckpoint, 'adaptLr'>): number {
  return method === 'mbde' ? MBDE_LR : ck.adaptLr;
}

const now = (): number => performance.now();

class Controller implements AdaptiveController {
  readonly method: ControllerMethod;
  adaptation: boolean;
  readonly observationSize: number;
  readonly actionSize: number;
  readonly positionIndices: [number, number, number | null] | null;
  private readonly ck: MbCheckpoint;
  private readonly model: DynamicsModel;
  private readonly theta: Params;
  /** MB+DE's online-tuned params (persistent), GrBAL's last adapted params. */
  private current: Params | null = null;
  private ctx: Tensor | null = null;
  private readonly planner: Planner;
  private readonly reward: RewardFn;
  private rng: Rng;
  private readonly M: number;
  private readonly adaptSteps: number;
  private readonly adaptLr: number;
  private win: { obs: Float32Array[]; act: Float32Array[]; next: Float32Array[] } = { obs: [], act: [], next: [] };
  private prevObs: Float32Array | null = null;
  private prevAct: Float32Array | null = null;
  private steps = 0;
  private last: StepDiagnostics | null = null;
  private readonly dt: number;
  private readonly inferrer: LatentInferrer | null;
  private readonly trueParams: (() => Record<string, number>) | null;
  private readonly yawRateIndex: number | null;

  constructor(o: AdaptiveControllerOptions) {
    this.ck = loadCheckpoint(o.checkpoint);
    const ck = this.ck;
    if (ck.spec.observationSize !== o.env.observationSize || ck.spec.actionSize !== o.env.actionSize)
      throw new Error(`checkpoint is for obs ${ck.spec.observationSize}/act ${ck.spec.actionSize}, env has ${o.env.observationSize}/${o.env.actionSize}`);
    if (ck.dt !== undefined && Math.abs(ck.dt - o.env.dt) > 1e-9) throw new Error(`the checkpoint's model predicts ${ck.dt} s steps, the env steps ${o.env.dt} s (make the env with the task's config, e.g. mbrl/quad.ts QUAD_MB_CONFIG)`);
    this.method = o.method ?? ck.method;
    // any name but 'mb' would otherwise adapt like GrBAL (an untyped 'oracle' once did)
    if (!CONTROLLER_METHODS.includes(this.method)) throw new Error(`unknown method '${this.method}': the controller runs ${CONTROLLER_METHODS.join(', ')} (evaluation's oracle is 'mb' on the oracle's checkpoint)`);
    if (this.method === 'rebal' && !ck.spec.recurrent) throw new Error('ReBAL needs a recurrent checkpoint');
    this.adaptation = o.adapt ?? true;
    this.observationSize = ck.spec.observationSize;
    this.actionSize = ck.spec.actionSize;
    this.positionIndices = ck.positionIndices;
    this.dt = o.env.dt;
    this.model = new DynamicsModel(ck.spec, ck.stats);
    this.theta = decodeParams(ck.params);
    this.planner = new Planner({ ...ck.planner, ...o.planner }, ck.spec.actionSize);
    const pen = o.imaginedPenalty;
    const env = o.env;
    this.reward = (obs, act, next, out) => {
      env.rewardFromTransition(obs, act, next, out);
      if (pen) {
        const extra = new Float32Array(out.length);
        pen(next, out.length, extra);
        for (let i = 0; i < out.length; i++) out[i] += extra[i];
      }
      return out;
    };
    this.rng = new Rng(o.seed ?? 0);
    this.M = o.M ?? ck.hyper.M;
    this.adaptSteps = o.adaptSteps ?? 1;
    this.adaptLr = o.adaptLr ?? runTimeAdaptLr(this.method, ck);
    const c = ck.spec.context ?? null;
    if (isContextMethod(this.method) && c?.kind !== CONTEXT_OF[this.method]) throw new Error(`method '${this.method}' needs a checkpoint trained with it (this one is '${ck.method}')`);
    this.inferrer = c?.kind === 'latent' ? new LatentInferrer(this.model, { ...LATENT_INFERENCE, ...o.latentInference }) : null;
    if (c?.kind === 'params' && !o.trueParams) throw new Error('the oracle needs trueParams (the env\'s true physical parameters)');
    this.trueParams = o.trueParams ?? null;
    this.yawRateIndex = o.yawRateIndex ?? null;
  }

  setAdaptation(on: boolean): void {
    this.adaptation = on;
  }

  reset(seed?: number): void {
    // a seed makes each episode's planner noise reproducible on its own, not only as part of a sequence
    if (seed !== undefined) this.rng = new Rng(seed);
    this.win = { obs: [], act: [], next: [] };
    this.prevObs = null;
    this.prevAct = null;
    this.steps = 0;
    this.last = null;
    this.clearAdapted();
    this.inferrer?.reset();
    this.planner.reset();
  }

  private clearAdapted(): void {
    if (this.current) disposeParams(this.current);
    this.current = null;
    this.ctx?.dispose();
    this.ctx = null;
  }

  private windowBatch(): Batch {
    const n = this.win.obs.length;
    const O = this.observationSize;
    const A = this.actionSize;
    const obs = new Float32Array(n * O);
    const act = new Float32Array(n * A);
    const next = new Float32Array(n * O);
    for (let i = 0; i < n; i++) {
      obs.set(this.win.obs[i], i * O);
      act.set(this.win.act[i], i * A);
      next.set(this.win.next[i], i * O);
    }
    return this.model.batch({ obs, act, next }, [n]);
  }

  /** Params and context the planner uses now. */
  private modelInUse(): { params: Params; ctx: Tensor | null } {
    if (!this.adaptation) return { params: this.theta, ctx: null };
    if (this.method === 'rebal' || isContextMethod(this.method)) return { params: this.theta, ctx: this.ctx };
    return { params: this.current ?? this.theta, ctx: null };
  }

  act(obsIn: ArrayLike<number>): Float32Array {
    const t0 = now();
    const obs = Float32Array.from(obsIn);
    const O = this.observationSize;
    let predictionError: StepDiagnostics['predictionError'] = { adapted: null, unadapted: null };
    let windowError: StepDiagnostics['windowError'] = { adapted: null, unadapted: null };
    let velocityError: StepDiagnostics['velocityError'] = { adapted: null, unadapted: null };
    let yawRate: StepDiagnostics['yawRate'] = null;
    // 1. the newest transition, scored by the model in use at the previous step and by theta
    if (this.prevObs && this.prevAct) {
      const used = this.modelInUse();
      const newest = this.model.batch({ obs: this.prevObs, act: this.prevAct, next: obs }, [1]);
      const xi = this.positionIndices?.[0] ?? null;
      const wi = this.yawRateIndex;
      // predicted next-obs entries [x, yaw rate] by the adapted and the unadapted model
      const watched = [xi, wi].filter((i): i is number => i !== null);
      const e = tf.tidy(() => {
        const losses = [this.model.loss(used.params, newest, used.ctx), this.model.loss(this.theta, newest, null)];
        if (!watched.length) return tf.stack(losses);
        const at = (p: Params, ctx: Tensor | null) => tf.gather(tf.reshape(this.model.predictNext(p, newest.obs, newest.act, ctx), [-1]), watched);
        return tf.concat([tf.stack(losses), at(used.params, used.ctx), at(this.theta, null)]);
      });
      const v = e.dataSync();
      predictionError = { adapted: v[0], unadapted: v[1] };
      const W = watched.length;
      if (xi !== null) {
        const actual = obs[xi];
        velocityError = { adapted: Math.abs(v[2] - actual) / this.dt, unadapted: Math.abs(v[2 + W] - actual) / this.dt };
      }
      if (wi !== null) yawRate = { actual: obs[wi], adapted: v[2 + W - 1], unadapted: v[2 + 2 * W - 1] };
      e.dispose();
      disposeBatch(newest);
      this.win.obs.push(this.prevObs);
      this.win.act.push(this.prevAct);
      this.win.next.push(obs);
      if (this.win.obs.length > this.M) {
        this.win.obs.shift();
        this.win.act.shift();
        this.win.next.shift();
      }
    }
    // 2. adapt on the window
    const t1 = now();
    const n = this.win.obs.length;
    const b = n > 0 ? this.windowBatch() : null;
    if (isContextMethod(this.method)) {
      if (this.adaptation) this.updateContext(b);
    } else if (b && this.adaptation && this.method !== 'mb') {
      if (this.method === 'rebal') {
        const ctx = tf.tidy(() => this.model.windowContext(this.theta, b));
        this.ctx?.dispose();
        this.ctx = ctx;
      } else {
        const from = this.method === 'mbde' ? (this.current ?? this.theta) : this.theta;
        const q = tf.tidy(() => keepParams(adaptParams(this.model, from, b, this.adaptLr, this.adaptSteps)));
        if (this.current) disposeParams(this.current);
        this.current = q;
      }
    }
    const t2 = now();
    if (b) {
      const used = this.modelInUse();
      const e = tf.tidy(() => tf.stack([this.model.loss(used.params, b, used.ctx), this.model.loss(this.theta, b, null)]));
      const v = e.dataSync();
      windowError = { adapted: v[0], unadapted: v[1] };
      e.dispose();
      disposeBatch(b);
    }
    // 3. plan
    const t25 = now();
    const used = this.modelInUse();
    const plan = this.planner.plan(this.model, netParams(used.params), used.ctx, obs, this.reward, this.rng);
    const t3 = now();
    const H = this.planner.cfg.horizon;
    let positions: Float32Array | null = null;
    const pi = this.positionIndices;
    if (pi) {
      positions = new Float32Array((H + 1) * 3);
      for (let t = 0; t <= H; t++)
        for (let k = 0; k < 3; k++) {
          const idx = pi[k];
          positions[t * 3 + k] = idx === null ? 0 : plan.bestObs[t * O + idx];
        }
    }
    this.prevObs = obs;
    this.prevAct = plan.action.slice();
    this.steps++;
    this.last = {
      step: this.steps,
      method: this.method,
      adaptation: this.adaptation,
      window: n,
      predictionError,
      windowError,
      velocityError,
      yawRate,
      plan: { observations: plan.bestObs, positions, horizon: H, bestReturn: plan.bestReturn, meanReturn: plan.meanReturn },
      timing: { adaptMs: t2 - t1, planMs: t3 - t25, totalMs: t3 - t0 },
      latent: this.latentDiagnostics(),
    };
    return plan.action;
  }

  /** The context a context method plans with now: q(z)'s mean after inference on the window, the true parameters, or the window's last transitions. */
  private updateContext(b: Batch | null): void {
    const c = this.ck.spec.context!;
    let ctx: Tensor | null = null;
    if (c.kind === 'latent') {
      if (b) this.inferrer!.update(this.theta, b, this.rng);
      ctx = this.inferrer!.meanContext();
    } else if (c.kind === 'params') {
      const p = paramsContext(c, this.trueParams!());
      ctx = tf.tensor2d(p, [1, p.length]);
    } else {
      const h = c.steps;
      const O = this.observationSize;
      const A = this.actionSize;
      const obs = new Float32Array(h * O);
      const act = new Float32Array(h * A);
      const mask = new Float32Array(h);
      const n = this.win.obs.length;
      for (let s = 0; s < h && s < n; s++) {
        // slot 0 is the most recent previous transition, as in training
        obs.set(this.win.obs[n - 1 - s], s * O);
        act.set(this.win.act[n - 1 - s], s * A);
        mask[s] = 1;
      }
      ctx = historyContext(this.model, obs, act, mask, 1, h);
    }
    this.ctx?.dispose();
    this.ctx = ctx;
  }

  private latentDiagnostics(): StepDiagnostics['latent'] {
    if (!this.inferrer) return null;
    const q = this.inferrer.posterior();
    const c = this.ck.spec.context;
    const readout = c?.kind === 'latent' ? c.readout : null;
    return { ...q, params: readout ? readParams(readout, q.mean) : null };
  }

  /**
   * Replaces the action actually sent to the env (e.g. with exploration noise) so the next
   * transition is recorded with it.
   */
  overrideLastAction(a: ArrayLike<number>): void {
    if (this.prevAct) this.prevAct = Float32Array.from(a);
  }

  diagnostics(): StepDiagnostics | null {
    return this.last;
  }

  dispose(): void {
    this.clearAdapted();
    disposeParams(this.theta);
    this.model.dispose();
  }
}

export function createAdaptiveController(o: AdaptiveControllerOptions): AdaptiveController & { overrideLastAction(a: ArrayLike<number>): void } {
  return new Controller(o);
}
