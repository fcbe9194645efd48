/**
 * DARC, off-dynamics RL with domain classifiers (Eysenbach, Asawa, Chaudhari, Levine,
 * Salakhutdinov, ICLR 2021; google-research darc/): SAC trains in the source env on reward
 * r + drScale * dr, where dr = log p_target(s'|s,a) - log p_source(s'|s,a) is estimated by two
 * domain classifiers (./darc-classifier.ts) trained on source and target transitions. It stops
 * the policy from using what only the source allows.
 *
 * Schedule, as the official train_eval.py: `targetRandomSteps` uniform random steps in the target
 * first (SAC's own `learningStarts` random steps play that part in the source); once the source
 * has taken `warmupSteps` steps, dr is added and the policy takes one target step per
 * `targetRatio` source steps (before that, the target holds its random steps only). The
 * classifiers take one step on a balanced source/target batch per SAC critic step. dr is computed
 * when a critic batch is drawn, with the classifiers of that moment (SAC's rewardCorrection), so
 * the replay keeps the env's own rewards.
 *
 * Composition: the SAC inside collects and trains the source side (collect/train, the actor and
 * critics are SAC's); DARC adds the target env, its replay buffer, the classifiers and dr. DARC
 * draws from its own Rng, so before the warm-up its SAC trains exactly as a plain SAC would.
 */
import { MlpPolicy } from '../policy.js';
import { Rng, type RngState } from '../rng.js';
import { subSeed, type VecEnvLike } from './env.js';
import { ReplayBuffer, type ReplayBatch, type ReplayState } from './replay.js';
import { SAC, SacStats, defaultSacConfig, type SacConfig, type SacState } from './sac.js';
import { DomainClassifiers, type DomainClassifierState } from './darc-classifier.js';

export interface DarcConfig extends SacConfig {
  /** Source env steps per target env step once the warm-up is over (official 10). */
  targetRatio: number;
  /** Uniform random target steps taken first (official 10k). */
  targetRandomSteps: number;
  /** Source env steps before dr joins the reward and the policy acts in the target. */
  warmupSteps: number;
  /** Weight of dr in the reward (0: plain SAC on the source, with the classifiers watching). */
  drScale: number;
  /** Classifier hidden layers (official [32], ReLU). */
  classifierHidden: number[];
  /** Std of the classifiers' Gaussian input noise while training (official 1). */
  classifierNoise: number;
  classifierLr: number;
}

/** The paper's settings (SAC 256-256, lr 3e-4, batch 256; warm-up 10% of the run as its 1e5 of 1e6). */
export const defaultDarcConfig: DarcConfig = {
  ...defaultSacConfig,
  totalSteps: 200_000,
  qLr: 3e-4,
  learningStarts: 10_000,
  targetRatio: 10,
  targetRandomSteps: 10_000,
  warmupSteps: 20_000,
  drScale: 1,
  classifierHidden: [32],
  classifierNoise: 1,
  classifierLr: 3e-4,
};

export interface DarcState {
  config: DarcConfig;
  iteration: number;
  targetSteps: number;
  targetPolicySteps: number;
  sac: SacState;
  classifiers: DomainClassifierState;
  targetReplay: ReplayState;
  targetEnv: unknown;
  targetObs: number[];
  targetEpReturn: number[];
  rng: RngState;
}

/** What the classifier and dr side of an iteration adds to SAC's metrics row. */
class DarcStats {
  saLoss = 0;
  sasLoss = 0;
  saAccuracy = 0;
  sasAccuracy = 0;
  classifierSteps = 0;
  drSum = 0;
  drCount = 0;
  targetEpSum = 0;
  targetEpisodes = 0;
}

export class DARC {
  readonly config: DarcConfig;
  readonly sac: SAC;
  readonly target: VecEnvLike;
  readonly classifiers: DomainClassifiers;
  readonly targetReplay: ReplayBuffer;
  rng: Rng;
  iteration = 0;
  /** Target transitions taken (random and policy). */
  targetSteps = 0;
  /** Target transitions the policy took (after the warm-up). */
  targetPolicySteps = 0;
  private targetObs: Float32Array;
  private targetEpReturn: Float64Array;
  private stats = new DarcStats();

  constructor(source: VecEnvLike, target: VecEnvLike, config: Partial<DarcConfig> = {}) {
    this.config = { ...defaultDarcConfig, ...config };
    const c = this.config;
    if (target.observationSize !== source.observationSize || target.actionSize !== source.actionSize)
      throw new Error(
        `source and target must have the same observation and action sizes: source ${source.observationSize}/${source.actionSize}, target ${target.observationSize}/${target.actionSize}`,
      );
    if (!(c.targetRatio >= 1)) throw new Error(`targetRatio must be >= 1, got ${c.targetRatio}`);
    const { targetRatio: _r, targetRandomSteps: _t, warmupSteps: _w, drScale: _d, classifierHidden: _h, classifierNoise: _n, classifierLr: _l, ...sacConfig } = c;
    this.sac = new SAC(source, sacConfig);
    this.sac.rewardCorrection = (b) => this.correctRewards(b);
    this.target = target;
    // DARC's own stream (SAC's stays as a plain SAC's): classifier init, their batches and noise, target actions
    this.rng = new Rng(subSeed(c.seed, 0xda4c));
    this.classifiers = new DomainClassifiers(source.observationSize, source.actionSize, { hidden: c.classifierHidden, inputNoise: c.classifierNoise, lr: c.classifierLr }, this.rng.fork());
    this.targetReplay = new ReplayBuffer(c.bufferSize, target.observationSize, target.actionSize);
    this.targetObs = target.reset(subSeed(c.seed, 0x7a36));
    this.targetEpReturn = new Float64Array(target.numEnvs);
  }

  get envSteps(): number {
    return this.sac.envSteps;
  }

  /** Whether dr is in the reward (the source has taken warmupSteps steps). */
  get drOn(): boolean {
    return this.sac.envSteps >= this.config.warmupSteps;
  }

  /**
   * SAC's reward correction: dr of the drawn critic batch with the current classifiers (logged),
   * added to the rewards once the warm-up is over.
   */
  correctRewards(b: ReplayBatch): void {
    const dr = this.classifiers.deltaReward(b);
    const on = this.drOn;
    for (let k = 0; k < dr.length; k++) {
      this.stats.drSum += dr[k];
      if (on) b.rewards[k] += this.config.drScale * dr[k];
    }
    this.stats.drCount += dr.length;
  }

  /** One step of the target envs into the target replay: uniform random actions, or the policy's samples. */
  private targetStep(random: boolean): void {
    const env = this.target;
    const N = env.numEnvs;
    const O = env.observationSize;
    const A = env.actionSize;
    let actions: Float32Array;
    if (random) {
      actions = new Float32Array(N * A);
      for (let i = 0; i < actions.length; i++) {
        const lo = env.actionLow?.[i % A] ?? -1;
        const hi = env.actionHigh?.[i % A] ?? 1;
        actions[i] = this.rng.range(lo, hi);
      }
    } else actions = this.sac.act(this.targetObs, false, this.rng);
    const r = env.step(actions);
    for (let i = 0; i < N; i++) {
      const done = r.terminated[i] || r.truncated[i];
      const next = done && r.finalObs ? r.finalObs.subarray(i * O, (i + 1) * O) : r.obs.subarray(i * O, (i + 1) * O);
      this.targetReplay.add(this.targetObs.subarray(i * O, (i + 1) * O), actions.subarray(i * A, (i + 1) * A), r.rewards[i], next, r.terminated[i] === 1);
      this.targetEpReturn[i] += r.rewards[i];
      if (done) {
        this.stats.targetEpSum += this.targetEpReturn[i];
        this.stats.targetEpisodes++;
        this.targetEpReturn[i] = 0;
      }
    }
    this.targetObs = r.obs;
    this.targetSteps += N;
    if (!random) this.targetPolicySteps += N;
  }

  /** One classifier step per SAC critic step of the last train(), on batchSize source and batchSize target transitions. */
  private trainClassifiers(): void {
    const c = this.config;
    const s = this.stats;
    for (let u = 0; u < this.sac.env.numEnvs * c.updatesPerStep; u++) {
      const src = this.sac.replay.sample(c.batchSize, this.rng);
      const tgt = this.targetReplay.sample(c.batchSize, this.rng);
      const r = this.classifiers.train(src, tgt, this.rng);
      s.saLoss += r.saLoss;
      s.sasLoss += r.sasLoss;
      s.saAccuracy += r.saAccuracy;
      s.sasAccuracy += r.sasAccuracy;
      s.classifierSteps++;
    }
  }

  /** One iteration: SAC's stepsPerIteration source steps with their target steps, gradient and classifier steps. */
  iterate(): Record<string, number> & { step: number } {
    const c = this.config;
    const sac = this.sac;
    const sacStats = new SacStats();
    this.stats = new DarcStats();
    while (this.targetSteps < c.targetRandomSteps) this.targetStep(true);
    const steps = sac.stepsPerIteration / sac.env.numEnvs;
    for (let t = 0; t < steps; t++) {
      sac.collect(sacStats);
      if (this.drOn) {
        const due = Math.floor((sac.envSteps - c.warmupSteps) / c.targetRatio);
        while (this.targetPolicySteps < due) this.targetStep(false);
      }
      if (sac.learning) {
        sac.train(sacStats);
        if (this.targetReplay.size > 0) this.trainClassifiers();
      }
    }
    sac.iteration++;
    this.iteration++;
    const s = this.stats;
    const per = (x: number, n: number) => (n ? x / n : NaN);
    return {
      ...sacStats.metrics(sac),
      iteration: this.iteration,
      drMean: per(s.drSum, s.drCount),
      drOn: this.drOn ? 1 : 0,
      saLoss: per(s.saLoss, s.classifierSteps),
      sasLoss: per(s.sasLoss, s.classifierSteps),
      saAccuracy: per(s.saAccuracy, s.classifierSteps),
      sasAccuracy: per(s.sasAccuracy, s.classifierSteps),
      targetSteps: this.targetSteps,
      targetEpisodeReturn: per(s.targetEpSum, s.targetEpisodes),
      targetEpisodes: s.targetEpisodes,
    };
  }

  /** Deterministic (tanh of the mean) or sampled actions for observations [n, O]. */
  act(obs: Float32Array, deterministic = true): Float32Array {
    return this.sac.act(obs, deterministic);
  }

  getState(): DarcState {
    return {
      config: this.config,
      iteration: this.iteration,
      targetSteps: this.targetSteps,
      targetPolicySteps: this.targetPolicySteps,
      sac: this.sac.getState(),
      classifiers: this.classifiers.getState(),
      targetReplay: this.targetReplay.getState(),
      targetEnv: this.target.getState ? this.target.getState() : null,
      targetObs: Array.from(this.targetObs),
      targetEpReturn: Array.from(this.targetEpReturn),
      rng: this.rng.getState(),
    };
  }

  setState(s: DarcState): void {
    const c = this.config;
    if (s.config.classifierHidden.join() !== c.classifierHidden.join())
      throw new Error(`checkpoint classifiers (${s.config.classifierHidden}) != these (${c.classifierHidden})`);
    Object.assign(this.config, s.config);
    this.sac.setState({ ...s.sac, config: { ...s.sac.config, totalSteps: s.config.totalSteps } });
    this.classifiers.setState(s.classifiers);
    this.targetReplay.setState(s.targetReplay);
    this.rng.setState(s.rng);
    this.iteration = s.iteration;
    this.targetSteps = s.targetSteps;
    this.targetPolicySteps = s.targetPolicySteps;
    if (s.targetEnv != null && this.target.setState) {
      this.target.setState(s.targetEnv);
      this.targetObs = Float32Array.from(s.targetObs);
      this.targetEpReturn = Float64Array.from(s.targetEpReturn);
    } else {
      this.targetObs = this.target.reset(subSeed(s.config.seed + 7919 * s.iteration, 0x7a36));
      this.targetEpReturn.fill(0);
    }
  }

  /** The current actor as a policy file (algo 'darc'; tanh of the mean when deterministic). */
  policy(envId: string, meta: Record<string, unknown> = {}): MlpPolicy {
    const p = this.sac.policy(envId, { targetSteps: this.targetSteps, drScale: this.config.drScale, ...meta });
    return new MlpPolicy({ ...p.file, algo: 'darc' });
  }

  dispose(): void {
    this.sac.dispose();
    this.classifiers.dispose();
  }
}
