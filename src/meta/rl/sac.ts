/**
 * Soft Actor-Critic (Haarnoja et al. 2018, with the automatic entropy tuning of the second paper):
 * a tanh-squashed Gaussian actor, twin Q critics with Polyak-averaged targets, the clipped double-Q
 * target, and alpha tuned toward a target entropy of -|A|. Settings follow CleanRL's
 * sac_continuous_action.py (policy updated every `policyFrequency` steps, that many times, so
 * actor and critic take the same number of gradient steps). Seeded: weights, exploration noise,
 * the random warm-up actions and minibatch draws all come from one {@link Rng}; getState/setState
 * (replay buffer included) resume the same curve.
 */
import { tf, type Scalar, type Tensor } from '../tf.js';
import { Adam, type AdamState } from '../adam.js';
import { initMlp, mlp, type MlpSpec } from '../nn.js';
import { disposeParams, paramsFromArrays, paramsToArrays, valueAndGrads, type NamedArray, type Params } from '../params.js';
import { Rng, type RngState } from '../rng.js';
import { tanh, type ActivationName } from '../ops.js';
import type { VecEnvLike, VecEnvStep } from './env.js';
import { ReplayBuffer, type ReplayBatch, type ReplayState } from './replay.js';
import { layersFromParams, MlpPolicy } from '../policy.js';

export interface SacConfig {
  seed: number;
  /** Total env steps planned (progress). */
  totalSteps: number;
  /** Env steps (all envs) per iterate() call: one metrics row each. */
  stepsPerIteration: number;
  hidden: number[];
  activation: ActivationName;
  gamma: number;
  tau: number;
  batchSize: number;
  bufferSize: number;
  /** Uniform random actions for this many env steps before the policy acts and learning starts. */
  learningStarts: number;
  policyLr: number;
  qLr: number;
  /** The actor (and alpha) are updated every this many critic steps, this many times. */
  policyFrequency: number;
  /** Critic gradient steps per env step. */
  updatesPerStep: number;
  autotune: boolean;
  /** alpha when not tuned, and its start when tuned. */
  alpha: number;
  /** Target entropy when tuned (default -|A|). */
  targetEntropy: number | null;
  logStdMin: number;
  logStdMax: number;
}

export const defaultSacConfig: SacConfig = {
  seed: 0,
  totalSteps: 300_000,
  stepsPerIteration: 1000,
  hidden: [256, 256],
  activation: 'relu',
  gamma: 0.99,
  tau: 0.005,
  batchSize: 256,
  bufferSize: 1_000_000,
  learningStarts: 5000,
  policyLr: 3e-4,
  qLr: 1e-3,
  policyFrequency: 2,
  updatesPerStep: 1,
  autotune: true,
  alpha: 0.2,
  targetEntropy: null,
  logStdMin: -5,
  logStdMax: 2,
};

export interface SacMetrics {
  step: number;
  iteration: number;
  /** Mean undiscounted return of episodes finished during this iteration (NaN if none). */
  episodeReturn: number;
  episodeLength: number;
  episodes: number;
  qLoss: number;
  actorLoss: number;
  alpha: number;
  /** -E[log pi(a|s)] over the last actor batch. */
  entropy: number;
  qMean: number;
  updates: number;
  [infoKey: `info/${string}`]: number;
}

export interface SacState {
  config: SacConfig;
  envSteps: number;
  iteration: number;
  updates: number;
  actor: Record<string, NamedArray>;
  critic: Record<string, NamedArray>;
  target: Record<string, NamedArray>;
  logAlpha: Record<string, NamedArray>;
  actorOpt: AdamState;
  criticOpt: AdamState;
  alphaOpt: AdamState;
  rng: RngState;
  replay: ReplayState;
  env: unknown;
  epReturn: number[];
  epLength: number[];
  lastObs: number[];
}

/** Sums over an iteration's env and gradient steps, turned into its metrics row at the end. */
export class SacStats {
  envSteps = 0;
  epSum = 0;
  epLenSum = 0;
  episodes = 0;
  qLoss = 0;
  qMean = 0;
  qCount = 0;
  actorLoss = 0;
  entropy = 0;
  aCount = 0;
  info: Record<string, number> = {};

  metrics(sac: SAC): SacMetrics {
    const infoMeans: Record<`info/${string}`, number> = {};
    for (const k in this.info) infoMeans[`info/${k}`] = this.info[k] / this.envSteps;
    return {
      ...infoMeans,
      step: sac.envSteps,
      iteration: sac.iteration,
      episodeReturn: this.episodes ? this.epSum / this.episodes : NaN,
      episodeLength: this.episodes ? this.epLenSum / this.episodes : NaN,
      episodes: this.episodes,
      qLoss: this.qCount ? this.qLoss / this.qCount : NaN,
      qMean: this.qCount ? this.qMean / this.qCount : NaN,
      actorLoss: this.aCount ? this.actorLoss / this.aCount : NaN,
      entropy: this.aCount ? this.entropy / this.aCount : NaN,
      alpha: sac.alpha,
      updates: sac.updates,
    };
  }
}

const LOG_2PI = Math.log(2 * Math.PI);

export class SAC {
  readonly config: SacConfig;
  readonly env: VecEnvLike;
  readonly actorSpec: MlpSpec;
  readonly qSpec: MlpSpec;
  actor: Params;
  critic: Params;
  target: Params;
  logAlpha: Params;
  readonly actorOpt: Adam;
  readonly criticOpt: Adam;
  readonly alphaOpt: Adam;
  readonly replay: ReplayBuffer;
  rng: Rng;
  envSteps = 0;
  iteration = 0;
  updates = 0;
  private obs: Float32Array;
  private epReturn: Float64Array;
  private epLength: Int32Array;
  private readonly scale: Float32Array;
  private readonly bias: Float32Array;
  private readonly targetEntropy: number;

  constructor(env: VecEnvLike, config: Partial<SacConfig> = {}) {
    this.config = { ...defaultSacConfig, ...config };
    const c = this.config;
    this.env = env;
    const O = env.observationSize;
    const A = env.actionSize;
    this.rng = new Rng(c.seed);
    this.actorSpec = { sizes: [O, ...c.hidden, 2 * A], activation: c.activation };
    this.qSpec = { sizes: [O + A, ...c.hidden, 1], activation: c.activation };
    const initRng = this.rng.fork();
    this.actor = initMlp(initRng, this.actorSpec, 'pi.', { scheme: 'glorot' });
    this.critic = { ...initMlp(initRng, this.qSpec, 'q1.', { scheme: 'glorot' }), ...initMlp(initRng, this.qSpec, 'q2.', { scheme: 'glorot' }) };
    this.target = Object.fromEntries(Object.entries(this.critic).map(([k, t]) => [k, t.clone()]));
    this.logAlpha = { logAlpha: tf.scalar(Math.log(c.alpha)) };
    this.actorOpt = new Adam({ lr: c.policyLr });
    this.criticOpt = new Adam({ lr: c.qLr });
    this.alphaOpt = new Adam({ lr: c.qLr });
    this.targetEntropy = c.targetEntropy ?? -A;
    this.replay = new ReplayBuffer(c.bufferSize, O, A);
    // Actions live in [low, high]: the squashed sample is scaled and shifted into them.
    this.scale = new Float32Array(A).fill(1);
    this.bias = new Float32Array(A);
    if (env.actionLow && env.actionHigh)
      for (let j = 0; j < A; j++) {
        this.scale[j] = (env.actionHigh[j] - env.actionLow[j]) / 2;
        this.bias[j] = (env.actionHigh[j] + env.actionLow[j]) / 2;
      }
    this.epReturn = new Float64Array(env.numEnvs);
    this.epLength = new Int32Array(env.numEnvs);
    this.obs = env.reset(c.seed);
  }

  get stepsPerIteration(): number {
    return Math.max(this.env.numEnvs, Math.round(this.config.stepsPerIteration / this.env.numEnvs) * this.env.numEnvs);
  }

  get alpha(): number {
    return Math.exp(this.logAlpha.logAlpha.dataSync()[0]);
  }

  /** Mean and log std of the pre-tanh Gaussian for observations x [n, O]. */
  private dist(p: Params, x: Tensor): { mean: Tensor; logStd: Tensor } {
    const A = this.env.actionSize;
    const { logStdMin: lo, logStdMax: hi } = this.config;
    const out = mlp(p, x, this.actorSpec, 'pi.');
    const mean = tf.slice(out, [0, 0], [-1, A]);
    const raw = tf.slice(out, [0, A], [-1, A]);
    const logStd = tf.add(tf.mul(tf.add(tanh(raw), 1), 0.5 * (hi - lo)), lo);
    return { mean, logStd };
  }

  /**
   * Reparameterized squashed sample and its log-prob (tanh and scale corrections included).
   * eps [n, A] comes from the seeded rng so that runs reproduce.
   */
  private sample(p: Params, x: Tensor, eps: Tensor): { action: Tensor; logp: Tensor } {
    const { mean, logStd } = this.dist(p, x);
    const u = tf.add(mean, tf.mul(tf.exp(logStd), eps));
    const y = tanh(u);
    const scale = tf.tensor1d(this.scale);
    const action = tf.add(tf.mul(y, scale), tf.tensor1d(this.bias));
    const gauss = tf.sum(tf.sub(tf.mul(tf.square(eps), -0.5), tf.add(logStd, 0.5 * LOG_2PI)), -1);
    const squash = tf.sum(tf.log(tf.add(tf.mul(scale, tf.sub(1, tf.square(y))), 1e-6)), -1);
    return { action, logp: tf.sub(gauss, squash) };
  }

  private q(p: Params, prefix: 'q1.' | 'q2.', x: Tensor, a: Tensor): Tensor {
    return tf.reshape(mlp(p, tf.concat([x, a], 1), this.qSpec, prefix), [-1]);
  }

  private noise(n: number): Tensor {
    return tf.tensor2d(this.rng.fillNormal(new Float32Array(n * this.env.actionSize)), [n, this.env.actionSize]);
  }

  /** Actions for observations [n, O]; deterministic = tanh(mean), scaled into the bounds. */
  act(obs: Float32Array, deterministic = true, rng: Rng = this.rng): Float32Array {
    const A = this.env.actionSize;
    const n = obs.length / this.env.observationSize;
    const t = tf.tidy(() => {
      const x = tf.tensor2d(obs, [n, this.env.observationSize]);
      if (deterministic) return tf.add(tf.mul(tanh(this.dist(this.actor, x).mean), tf.tensor1d(this.scale)), tf.tensor1d(this.bias));
      const eps = tf.tensor2d(rng.fillNormal(new Float32Array(n * A)), [n, A]);
      return this.sample(this.actor, x, eps).action;
    });
    const out = (t.dataSync() as Float32Array).slice();
    t.dispose();
    return out;
  }

  /**
   * Added to the rewards of every critic minibatch right after it is drawn (null: none). How a
   * reward correction computed at sample time with current models (DARC's dr) reaches the critic.
   */
  rewardCorrection: ((batch: ReplayBatch) => void) | null = null;

  /** One iteration: stepsPerIteration env steps, each followed by updatesPerStep gradient steps. */
  iterate(): SacMetrics {
    const stats = new SacStats();
    const steps = this.stepsPerIteration / this.env.numEnvs;
    for (let t = 0; t < steps; t++) {
      this.collect(stats);
      if (this.learning) this.train(stats);
    }
    this.iteration++;
    return stats.metrics(this);
  }

  /** Whether the uniform random warm-up is over (the policy acts and gradient steps run). */
  get learning(): boolean {
    return this.envSteps >= this.config.learningStarts;
  }

  /** One step of all envs into the replay buffer: random actions before learningStarts, then the policy's samples. */
  collect(stats: SacStats = new SacStats()): VecEnvStep {
    const env = this.env;
    const N = env.numEnvs;
    const O = env.observationSize;
    const A = env.actionSize;
    let actions: Float32Array;
    if (!this.learning) {
      actions = new Float32Array(N * A);
      for (let i = 0; i < actions.length; i++) actions[i] = this.bias[i % A] + this.scale[i % A] * this.rng.range(-1, 1);
    } else actions = this.act(this.obs, false);
    const r = env.step(actions);
    if (r.info) for (const k in r.info) for (let i = 0; i < N; i++) stats.info[k] = (stats.info[k] ?? 0) + r.info[k][i];
    stats.envSteps += N;
    for (let i = 0; i < N; i++) {
      const done = r.terminated[i] || r.truncated[i];
      const next = done && r.finalObs ? r.finalObs.subarray(i * O, (i + 1) * O) : r.obs.subarray(i * O, (i + 1) * O);
      this.replay.add(this.obs.subarray(i * O, (i + 1) * O), actions.subarray(i * A, (i + 1) * A), r.rewards[i], next, r.terminated[i] === 1);
      this.epReturn[i] += r.rewards[i];
      this.epLength[i] += 1;
      if (done) {
        stats.epSum += this.epReturn[i];
        stats.epLenSum += this.epLength[i];
        stats.episodes++;
        this.epReturn[i] = 0;
        this.epLength[i] = 0;
      }
    }
    this.obs = r.obs;
    this.envSteps += N;
    return r;
  }

  /** The gradient steps that follow one collect(): numEnvs x updatesPerStep critic steps, the actor every policyFrequency. */
  train(stats: SacStats = new SacStats()): void {
    const c = this.config;
    for (let u = 0; u < this.env.numEnvs * c.updatesPerStep; u++) {
      const s = this.updateCritic();
      stats.qLoss += s.qLoss;
      stats.qMean += s.qMean;
      stats.qCount++;
      if (this.updates % c.policyFrequency === 0)
        for (let k = 0; k < c.policyFrequency; k++) {
          const a = this.updateActor();
          stats.actorLoss += a.actorLoss;
          stats.entropy += a.entropy;
          stats.aCount++;
        }
    }
  }

  private batchTensors(): { x: Tensor; a: Tensor; r: Tensor; x2: Tensor; term: Tensor } {
    const c = this.config;
    const b = this.replay.sample(c.batchSize, this.rng);
    this.rewardCorrection?.(b);
    const O = this.env.observationSize;
    const A = this.env.actionSize;
    return {
      x: tf.tensor2d(b.obs, [c.batchSize, O]),
      a: tf.tensor2d(b.actions, [c.batchSize, A]),
      r: tf.tensor1d(b.rewards),
      x2: tf.tensor2d(b.nextObs, [c.batchSize, O]),
      term: tf.tensor1d(b.terminals),
    };
  }

  private updateCritic(): { qLoss: number; qMean: number } {
    const c = this.config;
    const alpha = this.alpha;
    const out = tf.tidy(() => {
      const { x, a, r, x2, term } = this.batchTensors();
      const { action: a2, logp: logp2 } = this.sample(this.actor, x2, this.noise(c.batchSize));
      const qNext = tf.sub(tf.minimum(this.q(this.target, 'q1.', x2, a2), this.q(this.target, 'q2.', x2, a2)), tf.mul(logp2, alpha));
      const y = tf.add(r, tf.mul(tf.mul(tf.sub(1, term), c.gamma), qNext));
      let q1Mean: Scalar | null = null;
      const { value, grads } = valueAndGrads((p) => {
        const q1 = this.q(p, 'q1.', x, a);
        const q2 = this.q(p, 'q2.', x, a);
        q1Mean = tf.keep(tf.mean(q1)) as Scalar;
        return tf.add(tf.mean(tf.square(tf.sub(q1, y))), tf.mean(tf.square(tf.sub(q2, y)))) as Scalar;
      }, this.critic);
      return { value, grads, q1Mean: q1Mean as unknown as Scalar };
    });
    this.critic = this.criticOpt.apply(this.critic, out.grads);
    const qLoss = out.value.dataSync()[0];
    const qMean = out.q1Mean.dataSync()[0];
    tf.dispose([out.value, out.q1Mean, ...Object.values(out.grads)]);
    // Polyak averaging of the targets.
    const old = this.target;
    this.target = tf.tidy(() => Object.fromEntries(Object.entries(old).map(([k, t]) => [k, tf.add(tf.mul(t, 1 - c.tau), tf.mul(this.critic[k], c.tau))])));
    disposeParams(old);
    this.updates++;
    return { qLoss, qMean };
  }

  private updateActor(): { actorLoss: number; entropy: number } {
    const c = this.config;
    const alpha = this.alpha;
    let logpMean = 0;
    const out = tf.tidy(() => {
      const x = tf.tensor2d(this.replay.sample(c.batchSize, this.rng).obs, [c.batchSize, this.env.observationSize]);
      const eps = this.noise(c.batchSize);
      let lp: Scalar | null = null;
      const { value, grads } = valueAndGrads((p) => {
        const { action, logp } = this.sample(p, x, eps);
        lp = tf.keep(tf.mean(logp)) as Scalar;
        const qPi = tf.minimum(this.q(this.critic, 'q1.', x, action), this.q(this.critic, 'q2.', x, action));
        return tf.mean(tf.sub(tf.mul(logp, alpha), qPi)) as Scalar;
      }, this.actor);
      return { value, grads, lp: lp as unknown as Scalar };
    });
    this.actor = this.actorOpt.apply(this.actor, out.grads);
    const actorLoss = out.value.dataSync()[0];
    logpMean = out.lp.dataSync()[0];
    tf.dispose([out.value, out.lp, ...Object.values(out.grads)]);
    if (c.autotune) {
      // d/d logAlpha of -logAlpha * (logp + target) = -(logp + target), logp held fixed.
      const g = { logAlpha: tf.scalar(-(logpMean + this.targetEntropy)) };
      this.logAlpha = this.alphaOpt.apply(this.logAlpha, g);
      g.logAlpha.dispose();
    }
    return { actorLoss, entropy: -logpMean };
  }

  getState(): SacState {
    return {
      config: this.config,
      envSteps: this.envSteps,
      iteration: this.iteration,
      updates: this.updates,
      actor: paramsToArrays(this.actor),
      critic: paramsToArrays(this.critic),
      target: paramsToArrays(this.target),
      logAlpha: paramsToArrays(this.logAlpha),
      actorOpt: this.actorOpt.getState(),
      criticOpt: this.criticOpt.getState(),
      alphaOpt: this.alphaOpt.getState(),
      rng: this.rng.getState(),
      replay: this.replay.getState(),
      env: this.env.getState ? this.env.getState() : null,
      epReturn: Array.from(this.epReturn),
      epLength: Array.from(this.epLength),
      lastObs: Array.from(this.obs),
    };
  }

  setState(s: SacState): void {
    const c = this.config;
    if (s.config.hidden.join() !== c.hidden.join() || s.config.activation !== c.activation)
      throw new Error(`checkpoint network (${s.config.hidden} ${s.config.activation}) != this one (${c.hidden} ${c.activation})`);
    Object.assign(this.config, s.config);
    for (const p of [this.actor, this.critic, this.target, this.logAlpha]) disposeParams(p);
    this.actor = paramsFromArrays(s.actor);
    this.critic = paramsFromArrays(s.critic);
    this.target = paramsFromArrays(s.target);
    this.logAlpha = paramsFromArrays(s.logAlpha);
    this.actorOpt.setState(s.actorOpt);
    this.criticOpt.setState(s.criticOpt);
    this.alphaOpt.setState(s.alphaOpt);
    this.rng.setState(s.rng);
    this.replay.setState(s.replay);
    this.envSteps = s.envSteps;
    this.iteration = s.iteration;
    this.updates = s.updates;
    if (s.env != null && this.env.setState) {
      this.env.setState(s.env);
      this.obs = Float32Array.from(s.lastObs);
      this.epReturn = Float64Array.from(s.epReturn);
      this.epLength = Int32Array.from(s.epLength);
    } else {
      this.obs = this.env.reset((s.config.seed + 7919 * s.iteration) >>> 0);
      this.epReturn.fill(0);
      this.epLength.fill(0);
    }
  }

  /** Loads only what acting needs (the actor), e.g. for evaluation. */
  loadPolicy(s: Pick<SacState, 'actor'>): void {
    disposeParams(this.actor);
    this.actor = paramsFromArrays(s.actor);
  }

  /** The current actor as a standalone policy (tanh of the mean when deterministic). */
  policy(env: string, meta: Record<string, unknown> = {}): MlpPolicy {
    const c = this.config;
    return new MlpPolicy({
      format: 'adaptlab-policy',
      version: 1,
      algo: 'sac',
      env,
      observationSize: this.env.observationSize,
      actionSize: this.env.actionSize,
      activation: c.activation,
      layers: layersFromParams(paramsToArrays(this.actor), 'pi.'),
      obsNorm: null,
      head: { kind: 'tanh-gaussian', scale: this.scale.slice(), bias: this.bias.slice(), logStdMin: c.logStdMin, logStdMax: c.logStdMax },
      meta: { envSteps: this.envSteps, ...meta },
    });
  }

  dispose(): void {
    for (const p of [this.actor, this.critic, this.target, this.logAlpha]) disposeParams(p);
    this.actorOpt.dispose();
    this.criticOpt.dispose();
    this.alphaOpt.dispose();
  }
}
