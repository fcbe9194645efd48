/**
 * PPO (clipped surrogate, Schulman et al. 2017) with observation normalization, optional reward
 * scaling, GAE, separate policy/value MLPs and a state-independent log std. Seeded: weights,
 * action noise and minibatch order all come from one {@link Rng}, so a seed reproduces a run, and
 * {@link PPO.getState}/{@link PPO.setState} capture everything needed to resume the same curve.
 */
import { tf, type Scalar } from '../tf.js';
import { Adam, type AdamState } from '../adam.js';
import { RunningMeanStd, type RunningMeanStdState } from '../normalizer.js';
import { initMlp, mlp, gaussianEntropy, gaussianLogProb, gaussianSample, gaussianLogProbCpu, type MlpSpec } from '../nn.js';
import { disposeParams, paramsFromArrays, paramsToArrays, valueAndGrads, type NamedArray, type Params } from '../params.js';
import { Rng, type RngState } from '../rng.js';
import type { ActivationName } from '../ops.js';
import type { VecEnvLike } from './env.js';
import { RolloutBuffer } from './gae.js';
import { layersFromParams, MlpPolicy } from '../policy.js';

export interface PpoConfig {
  seed: number;
  /** Steps per env per rollout. */
  numSteps: number;
  epochs: number;
  minibatches: number;
  gamma: number;
  lambda: number;
  clip: number;
  lr: number;
  /** Linearly anneal lr to 0 over totalSteps. */
  annealLr: boolean;
  /** Total env steps planned (for annealing and progress). */
  totalSteps: number;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  hidden: number[];
  activation: ActivationName;
  initLogStd: number;
  normalizeObs: boolean;
  /** Scale rewards by the running std of the discounted return (like VecNormalize). */
  normalizeReward: boolean;
  clipObs: number;
  clipReward: number;
}

export const defaultPpoConfig: PpoConfig = {
  seed: 0,
  numSteps: 256,
  epochs: 10,
  minibatches: 8,
  gamma: 0.99,
  lambda: 0.95,
  clip: 0.2,
  lr: 3e-4,
  annealLr: false,
  totalSteps: 1_000_000,
  entCoef: 0,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  hidden: [64, 64],
  activation: 'tanh',
  initLogStd: 0,
  normalizeObs: true,
  normalizeReward: true,
  clipObs: 10,
  clipReward: 10,
};

export interface PpoMetrics {
  /** Env steps so far (all envs). */
  step: number;
  iteration: number;
  /** Mean undiscounted return of episodes finished during this iteration (NaN if none). */
  episodeReturn: number;
  episodeLength: number;
  episodes: number;
  policyLoss: number;
  valueLoss: number;
  entropy: number;
  approxKl: number;
  clipFrac: number;
  explainedVariance: number;
  lr: number;
  std: number;
  /** Per-step means of the env's numeric info keys (e.g. reward parts), when it reports any. */
  [infoKey: `info/${string}`]: number;
}

/** What one PPO update reports (means over its minibatch steps). */
export type PpoUpdateStats = Pick<PpoMetrics, 'policyLoss' | 'valueLoss' | 'entropy' | 'approxKl' | 'clipFrac'>;

export interface PpoState {
  config: PpoConfig;
  envSteps: number;
  iteration: number;
  params: Record<string, NamedArray>;
  optimizer: AdamState;
  obsNorm: RunningMeanStdState;
  retNorm: RunningMeanStdState;
  rng: RngState;
  /** Env state when the env supports it (exact resume); otherwise null. */
  env: unknown;
  /** Per-env running discounted return (reward scaling), raw episode return and length. */
  discReturn: number[];
  epReturn: number[];
  epLength: number[];
  lastObs: number[];
}

export class PPO {
  readonly config: PpoConfig;
  readonly env: VecEnvLike;
  readonly piSpec: MlpSpec;
  readonly vfSpec: MlpSpec;
  params: Params;
  readonly optimizer: Adam;
  readonly obsNorm: RunningMeanStd;
  readonly retNorm: RunningMeanStd;
  rng: Rng;
  envSteps = 0;
  iteration = 0;
  private buffer: RolloutBuffer;
  private obs: Float32Array;
  private discReturn: Float64Array;
  private epReturn: Float64Array;
  private epLength: Int32Array;

  constructor(env: VecEnvLike, config: Partial<PpoConfig> = {}) {
    this.config = { ...defaultPpoConfig, ...config };
    const c = this.config;
    this.env = env;
    const O = env.observationSize;
    const A = env.actionSize;
    this.rng = new Rng(c.seed);
    this.piSpec = { sizes: [O, ...c.hidden, A], activation: c.activation };
    this.vfSpec = { sizes: [O, ...c.hidden, 1], activation: c.activation };
    const initRng = this.rng.fork();
    this.params = {
      ...initMlp(initRng, this.piSpec, 'pi.', { scheme: 'orthogonal', outputGain: 0.01 }),
      ...initMlp(initRng, this.vfSpec, 'vf.', { scheme: 'orthogonal', outputGain: 1 }),
      logStd: tf.fill([A], c.initLogStd),
    };
    this.optimizer = new Adam({ lr: c.lr, eps: 1e-5, maxGradNorm: c.maxGradNorm });
    this.obsNorm = new RunningMeanStd(O);
    this.retNorm = new RunningMeanStd(1);
    this.buffer = new RolloutBuffer(c.numSteps, env.numEnvs, O, A);
    this.discReturn = new Float64Array(env.numEnvs);
    this.epReturn = new Float64Array(env.numEnvs);
    this.epLength = new Int32Array(env.numEnvs);
    this.obs = env.reset(c.seed);
  }

  /** Env steps collected per iteration. */
  get stepsPerIteration(): number {
    return this.config.numSteps * this.env.numEnvs;
  }

  /** Observations normalized (and clipped) by the running normalizer, without updating it. */
  normObs(raw: Float32Array): Float32Array {
    return this.config.normalizeObs ? this.obsNorm.normalize(raw, undefined, this.config.clipObs) : raw.slice();
  }

  /** Policy mean, log std and value for normalized observations [n, O] (one tensor program). */
  forward(obsN: Float32Array, n: number): { mean: Float32Array; logStd: Float32Array; value: Float32Array } {
    return tf.tidy(() => {
      const x = tf.tensor2d(obsN, [n, this.env.observationSize]);
      const mean = mlp(this.params, x, this.piSpec, 'pi.');
      const value = mlp(this.params, x, this.vfSpec, 'vf.');
      return {
        mean: mean.dataSync() as Float32Array,
        logStd: this.params.logStd.dataSync() as Float32Array,
        value: value.dataSync() as Float32Array,
      };
    });
  }

  /** Actions for raw observations [n, O]; deterministic = the mean. Does not update normalizers. */
  act(rawObs: Float32Array, deterministic = true, rng: Rng = this.rng): Float32Array {
    const n = rawObs.length / this.env.observationSize;
    const { mean, logStd } = this.forward(this.normObs(rawObs), n);
    return deterministic ? mean.slice() : gaussianSample(mean, logStd, rng);
  }

  private clipActions(a: Float32Array): Float32Array {
    const { actionLow: lo, actionHigh: hi } = this.env;
    if (!lo || !hi) return a;
    const A = this.env.actionSize;
    const out = new Float32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = Math.min(hi[i % A], Math.max(lo[i % A], a[i]));
    return out;
  }

  /** One iteration: collect numSteps x numEnvs transitions, then PPO epochs. */
  iterate(): PpoMetrics {
    const c = this.config;
    const env = this.env;
    const N = env.numEnvs;
    const buf = this.buffer;
    buf.reset();
    let epSum = 0;
    let epLenSum = 0;
    let episodes = 0;
    const infoSums: Record<string, number> = {};
    if (c.annealLr) this.optimizer.lr = c.lr * Math.max(0, 1 - this.envSteps / c.totalSteps);

    for (let t = 0; t < c.numSteps; t++) {
      if (c.normalizeObs) this.obsNorm.update(this.obs, N);
      const obsN = this.normObs(this.obs);
      const { mean, logStd, value } = this.forward(obsN, N);
      const actions = gaussianSample(mean, logStd, this.rng);
      const logp = gaussianLogProbCpu(actions, mean, logStd, N);
      const r = env.step(this.clipActions(actions));
      if (r.info)
        for (const k in r.info) {
          let sum = 0;
          for (let i = 0; i < N; i++) sum += r.info[k][i];
          infoSums[k] = (infoSums[k] ?? 0) + sum;
        }
      const rewards = new Float32Array(N);
      const dones = new Uint8Array(N);
      let truncValues: Float32Array | null = null;
      if (r.finalObs) {
        let anyTrunc = false;
        for (let i = 0; i < N; i++) if (r.truncated[i] && !r.terminated[i]) anyTrunc = true;
        if (anyTrunc) truncValues = this.forward(this.normObs(r.finalObs), N).value;
      }
      for (let i = 0; i < N; i++) {
        const raw = r.rewards[i];
        this.epReturn[i] += raw;
        this.epLength[i] += 1;
        let rew = raw;
        if (c.normalizeReward) {
          this.discReturn[i] = this.discReturn[i] * c.gamma + raw;
        }
        const done = r.terminated[i] || r.truncated[i];
        dones[i] = done ? 1 : 0;
        rewards[i] = rew;
      }
      if (c.normalizeReward) {
        this.retNorm.update(Float64Array.from(this.discReturn), N);
        const s = Math.sqrt(this.retNorm.var[0] + 1e-8);
        for (let i = 0; i < N; i++) rewards[i] = Math.min(c.clipReward, Math.max(-c.clipReward, rewards[i] / s));
      }
      for (let i = 0; i < N; i++) {
        if (truncValues && r.truncated[i] && !r.terminated[i]) rewards[i] += c.gamma * truncValues[i];
        if (dones[i]) {
          epSum += this.epReturn[i];
          epLenSum += this.epLength[i];
          episodes++;
          this.epReturn[i] = 0;
          this.epLength[i] = 0;
          this.discReturn[i] = 0;
        }
      }
      buf.add(obsN, actions, logp, value, rewards, dones);
      this.obs = r.obs;
    }
    this.envSteps += N * c.numSteps;
    if (c.normalizeObs) this.obsNorm.update(this.obs, N);
    const lastV = this.forward(this.normObs(this.obs), N).value;
    buf.computeGae(lastV, c.gamma, c.lambda);

    const stats = this.update();
    this.iteration++;
    const infoMeans: Record<`info/${string}`, number> = {};
    for (const k in infoSums) infoMeans[`info/${k}`] = infoSums[k] / (N * c.numSteps);
    return {
      ...infoMeans,
      step: this.envSteps,
      iteration: this.iteration,
      episodeReturn: episodes ? epSum / episodes : NaN,
      episodeLength: episodes ? epLenSum / episodes : NaN,
      episodes,
      ...stats,
      explainedVariance: explainedVariance(buf.values, buf.returns),
      lr: this.optimizer.lr,
      std: Math.exp(this.params.logStd.dataSync()[0]),
    };
  }

  private update(): PpoUpdateStats {
    return this.updateFrom(this.buffer);
  }

  /**
   * PPO epochs on a filled buffer (advantages and returns computed). `rows` (buffer row indices,
   * t * numEnvs + i) restricts the update to those rows, e.g. EPOpt's worst-epsilon trajectories;
   * absent, every row is used, exactly as {@link iterate} does. `minibatches` overrides the
   * config's count (EPOpt's row count changes every iteration; it fixes the minibatch size instead).
   */
  updateFrom(buf: RolloutBuffer, rows?: ArrayLike<number>, minibatches = this.config.minibatches): PpoUpdateStats {
    const c = this.config;
    const O = this.env.observationSize;
    const A = this.env.actionSize;
    const total = rows ? rows.length : buf.size;
    if (total === 0) throw new Error('PPO update on no rows');
    minibatches = Math.max(1, Math.min(minibatches, total));
    const mb = Math.floor(total / minibatches);
    const obsB = new Float32Array(mb * O);
    const actB = new Float32Array(mb * A);
    const oldLpB = new Float32Array(mb);
    const advB = new Float32Array(mb);
    const retB = new Float32Array(mb);
    let pl = 0;
    let vl = 0;
    let ent = 0;
    let kl = 0;
    let cf = 0;
    let count = 0;
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      const perm = this.rng.permutation(total);
      for (let m = 0; m < minibatches; m++) {
        let advMean = 0;
        for (let j = 0; j < mb; j++) {
          const k = rows ? rows[perm[m * mb + j]] : perm[m * mb + j];
          obsB.set(buf.obs.subarray(k * O, (k + 1) * O), j * O);
          actB.set(buf.actions.subarray(k * A, (k + 1) * A), j * A);
          oldLpB[j] = buf.logProbs[k];
          advB[j] = buf.advantages[k];
          retB[j] = buf.returns[k];
          advMean += advB[j];
        }
        advMean /= mb;
        let advVar = 0;
        for (let j = 0; j < mb; j++) advVar += (advB[j] - advMean) ** 2;
        const advStd = Math.sqrt(advVar / Math.max(1, mb - 1)) + 1e-8;
        for (let j = 0; j < mb; j++) advB[j] = (advB[j] - advMean) / advStd;

        const out = tf.tidy(() => {
          const x = tf.tensor2d(obsB, [mb, O]);
          const a = tf.tensor2d(actB, [mb, A]);
          const oldLp = tf.tensor1d(oldLpB);
          const adv = tf.tensor1d(advB);
          const ret = tf.tensor1d(retB);
          let parts: Scalar[] = [];
          const { value: loss, grads } = valueAndGrads((p) => {
            const mean = mlp(p, x, this.piSpec, 'pi.');
            const lp = gaussianLogProb(a, mean, p.logStd);
            const logRatio = tf.sub(lp, oldLp);
            const ratio = tf.exp(logRatio);
            const s1 = tf.mul(ratio, adv);
            const s2 = tf.mul(tf.clipByValue(ratio, 1 - c.clip, 1 + c.clip), adv);
            const policyLoss = tf.neg(tf.mean(tf.minimum(s1, s2))) as Scalar;
            const v = tf.reshape(mlp(p, x, this.vfSpec, 'vf.'), [-1]);
            const valueLoss = tf.mean(tf.square(tf.sub(v, ret))) as Scalar;
            const entropy = gaussianEntropy(p.logStd) as Scalar;
            // diagnostics (no gradient needed, but cheap)
            const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as Scalar;
            const clipFrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clip), 'float32')) as Scalar;
            parts = [policyLoss, valueLoss, entropy, approxKl, clipFrac].map((t) => tf.keep(t)) as Scalar[];
            return tf.add(tf.add(policyLoss, tf.mul(valueLoss, c.vfCoef)), tf.mul(entropy, -c.entCoef)) as Scalar;
          }, this.params);
          return { loss, grads, parts };
        });
        this.params = this.optimizer.apply(this.params, out.grads);
        const vals = out.parts.map((t) => t.dataSync()[0]);
        tf.dispose([out.loss, ...Object.values(out.grads), ...out.parts]);
        pl += vals[0];
        vl += vals[1];
        ent += vals[2];
        kl += vals[3];
        cf += vals[4];
        count++;
      }
    }
    return { policyLoss: pl / count, valueLoss: vl / count, entropy: ent / count, approxKl: kl / count, clipFrac: cf / count };
  }

  getState(): PpoState {
    return {
      config: this.config,
      envSteps: this.envSteps,
      iteration: this.iteration,
      params: paramsToArrays(this.params),
      optimizer: this.optimizer.getState(),
      obsNorm: this.obsNorm.getState(),
      retNorm: this.retNorm.getState(),
      rng: this.rng.getState(),
      env: this.env.getState ? this.env.getState() : null,
      discReturn: Array.from(this.discReturn),
      epReturn: Array.from(this.epReturn),
      epLength: Array.from(this.epLength),
      lastObs: Array.from(this.obs),
    };
  }

  /**
   * What a state has learned: weights, Adam's moments, the observation and return normalizers
   * (a warm start keeps its own config, counters and rng). The network must be the same shape.
   */
  loadLearned(s: Pick<PpoState, 'config' | 'params' | 'optimizer' | 'obsNorm' | 'retNorm'>): void {
    const c = this.config;
    if (s.config.hidden.join() !== c.hidden.join() || s.config.activation !== c.activation)
      throw new Error(`checkpoint network (${s.config.hidden} ${s.config.activation}) != this one (${c.hidden} ${c.activation})`);
    disposeParams(this.params);
    this.params = paramsFromArrays(s.params);
    this.optimizer.setState(s.optimizer);
    this.obsNorm.setState(s.obsNorm);
    this.retNorm.setState(s.retNorm);
  }

  /**
   * Restores a state from {@link getState}. When the env cannot restore its own state, it is
   * reset with a seed derived from the checkpoint (the curve continues, not bit-identically).
   */
  setState(s: PpoState): void {
    const c = this.config;
    this.loadLearned(s);
    if (s.config.numSteps !== c.numSteps) this.buffer = new RolloutBuffer(s.config.numSteps, this.env.numEnvs, this.env.observationSize, this.env.actionSize);
    Object.assign(this.config, s.config);
    this.rng.setState(s.rng);
    this.envSteps = s.envSteps;
    this.iteration = s.iteration;
    if (s.env != null && this.env.setState) {
      this.env.setState(s.env);
      this.obs = Float32Array.from(s.lastObs);
      this.discReturn = Float64Array.from(s.discReturn);
      this.epReturn = Float64Array.from(s.epReturn);
      this.epLength = Int32Array.from(s.epLength);
    } else {
      this.obs = this.env.reset((s.config.seed + 7919 * s.iteration) >>> 0);
      this.discReturn.fill(0);
      this.epReturn.fill(0);
      this.epLength.fill(0);
    }
  }

  /** Loads only what acting needs (weights and observation normalizer), e.g. for evaluation. */
  loadPolicy(s: Pick<PpoState, 'params' | 'obsNorm'>): void {
    disposeParams(this.params);
    this.params = paramsFromArrays(s.params);
    this.obsNorm.setState(s.obsNorm);
  }

  /** The current policy as a standalone file-able policy (mean action when deterministic). */
  policy(env: string, meta: Record<string, unknown> = {}): MlpPolicy {
    const c = this.config;
    const arrays = paramsToArrays(this.params);
    return new MlpPolicy({
      format: 'adaptlab-policy',
      version: 1,
      algo: 'ppo',
      env,
      observationSize: this.env.observationSize,
      actionSize: this.env.actionSize,
      activation: c.activation,
      layers: layersFromParams(arrays, 'pi.'),
      obsNorm: c.normalizeObs ? { mean: Float64Array.from(this.obsNorm.mean), var: Float64Array.from(this.obsNorm.var), clip: c.clipObs } : null,
      head: { kind: 'gaussian', logStd: Float32Array.from(arrays.logStd.data) },
      meta: { envSteps: this.envSteps, ...meta },
    });
  }

  dispose(): void {
    disposeParams(this.params);
    this.optimizer.dispose();
  }
}

/** 1 - Var(target - pred) / Var(target) (NaN when the target is constant). */
export function explainedVariance(pred: Float32Array, target: Float32Array): number {
  let mt = 0;
  for (let i = 0; i < target.length; i++) mt += target[i];
  mt /= target.length;
  let vt = 0;
  let vr = 0;
  let mr = 0;
  for (let i = 0; i < target.length; i++) mr += target[i] - pred[i];
  mr /= target.length;
  for (let i = 0; i < target.length; i++) {
    vt += (target[i] - mt) ** 2;
    vr += (target[i] - pred[i] - mr) ** 2;
  }
  return vt === 0 ? NaN : 1 - vr / vt;
}
