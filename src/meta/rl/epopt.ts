/**
 * EPOpt (Rajeswaran, Ghotra, Ravindran, Levine, ICLR 2017): robust policies from an ensemble of
 * models. Each iteration samples N physical-parameter sets from the source distribution (DR terms,
 * `samplePopulation`), runs ONE trajectory in each (env i of the vec env, up to its own limit or
 * `maxEpisodeSteps`), keeps the worst epsilon-fraction of trajectories by return (a CVaR objective)
 * and takes the PPO update on those only. epsilon = 1 for the first `warmupIterations`
 * (plain domain randomization), then `epsilon`; epsilon = 1 throughout is plain DR.
 *
 * The policy, value function, normalizers, Adam and the clipped-surrogate update are PPO's
 * (composition: `PPO.updateFrom(buffer, rows)` on the kept rows). The collection is EPOpt's own:
 * every iteration starts from a seeded reset of all N envs with their sampled parameters, so a
 * checkpoint needs no env state and a resumed run repeats the same draws and episodes exactly.
 */
import { gaussianLogProbCpu, gaussianSample } from '../nn.js';
import { MlpPolicy } from '../policy.js';
import { subSeed, type VecEnvLike, type VecEnvStep } from './env.js';
import { computeGae, RolloutBuffer } from './gae.js';
import { PPO, defaultPpoConfig, explainedVariance, type PpoConfig, type PpoState } from './ppo.js';
import { samplePopulation, type Population } from '../../physics/population.js';
import { selectWorst } from '../../shared/cvar.js';
import { Rng as PhysRng } from '../../physics/rng.js';
import type { DRTerm, PhysParams } from '../../shared/dr-terms.js';

export interface EpoptConfig extends PpoConfig {
  /** CVaR fraction kept after the warm-up (1: plain DR). */
  epsilon: number;
  /** Iterations that keep every trajectory (epsilon = 1) before `epsilon` applies. */
  warmupIterations: number;
  /** Trajectory length cap (steps); the env's own limit applies too. */
  maxEpisodeSteps: number;
  /**
   * Rows per PPO minibatch. The kept rows change every iteration (up to N x maxEpisodeSteps), so
   * the count of minibatches follows them: PPO's settings (2048 rows in 32) make 64.
   */
  minibatchSize: number;
  /** The source distribution: DR terms over the env's nominal parameters (empty: nominal only). */
  terms: DRTerm[];
}

export const defaultEpoptConfig: EpoptConfig = {
  ...defaultPpoConfig,
  epsilon: 0.1,
  warmupIterations: 10,
  maxEpisodeSteps: 1000,
  minibatchSize: 64,
  terms: [],
};

export interface EpoptState {
  config: EpoptConfig;
  iteration: number;
  envSteps: number;
  ppo: PpoState;
}

/**
 * A VecEnvLike with only the shapes of `env`: the PPO inside EPOpt never steps (EPOpt collects),
 * and with no getState its checkpoints carry no env state.
 */
function shapeOf(env: VecEnvLike): VecEnvLike {
  return {
    numEnvs: env.numEnvs,
    observationSize: env.observationSize,
    actionSize: env.actionSize,
    actionLow: env.actionLow,
    actionHigh: env.actionHigh,
    reset: () => new Float32Array(env.numEnvs * env.observationSize),
    step: (): VecEnvStep => {
      throw new Error('EPOpt collects its own trajectories');
    },
  };
}

export class EPOpt {
  readonly config: EpoptConfig;
  readonly env: VecEnvLike;
  readonly ppo: PPO;
  readonly nominal: PhysParams;
  iteration = 0;
  envSteps = 0;
  private buffer: RolloutBuffer;

  constructor(env: VecEnvLike, config: Partial<EpoptConfig> = {}) {
    this.config = { ...defaultEpoptConfig, ...config };
    const c = this.config;
    if (!(c.epsilon > 0 && c.epsilon <= 1)) throw new Error(`epsilon must be in (0, 1], got ${c.epsilon}`);
    this.env = env;
    this.nominal = env.nominalParams?.() ?? {};
    if (c.terms.length > 0) {
      if (!env.resetWithParams) throw new Error('EPOpt with DR terms needs an env that resets with given parameters (resetWithParams)');
      // fail now, not at the first iteration, when a term targets nothing in this env
      samplePopulation(this.nominal, c.terms, new PhysRng(0), 0);
      for (const t of c.terms)
        if (!Object.keys(this.nominal).some((k) => k === t.target || k.startsWith(t.target + '.')))
          throw new Error(`DR term targets nothing in this env: ${t.target} (its parameters: ${Object.keys(this.nominal).join(', ') || 'none'})`);
    }
    const { epsilon: _e, warmupIterations: _w, maxEpisodeSteps: _m, minibatchSize: _b, terms: _t, ...ppoConfig } = c;
    this.ppo = new PPO(shapeOf(env), { ...ppoConfig, numSteps: 1 });
    this.buffer = new RolloutBuffer(c.maxEpisodeSteps, env.numEnvs, env.observationSize, env.actionSize);
  }

  /**
   * Starts from what another EPOpt (or PPO) run learned: its weights, Adam's moments and
   * normalizers; this run's counters, schedule and draws start at zero. How EPOpt continues a DR
   * run's warm-up (epsilon 1) with its CVaR phase.
   */
  warmStart(from: EpoptState | PpoState): void {
    this.ppo.loadLearned('ppo' in from ? from.ppo : from);
    this.ppo.optimizer.lr = this.config.lr;
  }

  /** The fraction kept at the current iteration. */
  get currentEpsilon(): number {
    return this.iteration < this.config.warmupIterations ? 1 : this.config.epsilon;
  }

  /** The models of iteration `it`: a pure function of (seed, it), so resume needs no sampler state. */
  population(it = this.iteration): Population {
    const rng = new PhysRng(subSeed(this.config.seed, it), 0x3e90b7);
    return samplePopulation(this.nominal, this.config.terms, rng, this.env.numEnvs);
  }

  private clipActions(a: Float32Array): Float32Array {
    const { actionLow: lo, actionHigh: hi, actionSize: A } = this.env;
    if (!lo || !hi) return a;
    const out = new Float32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = Math.min(hi[i % A], Math.max(lo[i % A], a[i]));
    return out;
  }

  /** One iteration: N models, one trajectory each, PPO on the worst epsilon-fraction. */
  iterate(): Record<string, number> & { step: number } {
    const c = this.config;
    const ppo = this.ppo;
    const env = this.env;
    const N = env.numEnvs;
    const O = env.observationSize;
    const pop = this.population();
    const K = pop.keys.length;
    const rows = Array.from({ length: N }, (_, i) => (K ? Object.fromEntries(pop.keys.map((k, j) => [k, pop.values[i * K + j]])) : null));
    const seed = subSeed((c.seed ^ 0x5eed) >>> 0, this.iteration);
    let obs = env.resetWithParams ? env.resetWithParams(seed, rows) : env.reset(seed);
    if (c.annealLr) ppo.optimizer.lr = c.lr * Math.max(0, 1 - this.envSteps / c.totalSteps);

    const buf = this.buffer;
    buf.reset();
    const active = new Uint8Array(N).fill(1);
    let nActive = N;
    const epReturn = new Float64Array(N);
    const epLength = new Int32Array(N);
    const disc = new Float64Array(N);
    const rewards = new Float32Array(N);
    const dones = new Float32Array(N);
    const activeRows = (x: Float32Array | Float64Array, width: number) => {
      const out = new Float64Array(nActive * width);
      let r = 0;
      for (let i = 0; i < N; i++) if (active[i]) out.set(x.subarray(i * width, (i + 1) * width), width * r++);
      return out;
    };
    while (nActive > 0 && !buf.full) {
      if (c.normalizeObs) ppo.obsNorm.update(activeRows(obs, O), nActive);
      const obsN = ppo.normObs(obs);
      const { mean, logStd, value } = ppo.forward(obsN, N);
      const actions = gaussianSample(mean, logStd, ppo.rng);
      const logp = gaussianLogProbCpu(actions, mean, logStd, N);
      const r = env.step(this.clipActions(actions));
      let truncValues: Float32Array | null = null;
      if (r.finalObs) {
        let anyTrunc = false;
        for (let i = 0; i < N; i++) if (active[i] && r.truncated[i] && !r.terminated[i]) anyTrunc = true;
        if (anyTrunc) truncValues = ppo.forward(ppo.normObs(r.finalObs), N).value;
      }
      for (let i = 0; i < N; i++) {
        if (!active[i]) {
          rewards[i] = 0;
          dones[i] = 1;
          continue;
        }
        epReturn[i] += r.rewards[i];
        epLength[i]++;
        disc[i] = disc[i] * c.gamma + r.rewards[i];
        rewards[i] = r.rewards[i];
        dones[i] = r.terminated[i] || r.truncated[i] ? 1 : 0;
      }
      if (c.normalizeReward) {
        ppo.retNorm.update(activeRows(disc, 1), nActive);
        const s = Math.sqrt(ppo.retNorm.var[0] + 1e-8);
        for (let i = 0; i < N; i++) if (active[i]) rewards[i] = Math.min(c.clipReward, Math.max(-c.clipReward, rewards[i] / s));
      }
      for (let i = 0; i < N; i++)
        if (active[i] && truncValues && r.truncated[i] && !r.terminated[i]) rewards[i] += c.gamma * truncValues[i];
      buf.add(obsN, actions, logp, value, rewards, dones);
      for (let i = 0; i < N; i++)
        if (active[i] && dones[i]) {
          active[i] = 0;
          nActive--;
        }
      obs = r.obs;
    }
    // trajectories still running at the cap are truncated: bootstrap them with V(last obs)
    const lastV = nActive > 0 ? ppo.forward(ppo.normObs(obs), N).value : new Float32Array(N);
    const T = buf.t;
    computeGae(buf.rewards, buf.values, buf.dones, lastV, T, N, c.gamma, c.lambda, buf.advantages, buf.returns);

    const eps = this.currentEpsilon;
    const kept = selectWorst(epReturn, eps);
    const isKept = new Uint8Array(N);
    for (const i of kept) isKept[i] = 1;
    const keptRows: number[] = [];
    for (let t = 0; t < T; t++) for (const i of kept) if (t < epLength[i]) keptRows.push(t * N + i);
    const stats = ppo.updateFrom(buf, keptRows, Math.floor(keptRows.length / c.minibatchSize));

    let steps = 0;
    for (let i = 0; i < N; i++) steps += epLength[i];
    this.envSteps += steps;
    ppo.envSteps = this.envSteps;
    this.iteration++;
    ppo.iteration = this.iteration;

    const mean = (sel: (i: number) => boolean, f: (i: number) => number) => {
      let s = 0;
      let n = 0;
      for (let i = 0; i < N; i++)
        if (sel(i)) {
          s += f(i);
          n++;
        }
      return n ? s / n : NaN;
    };
    const all = () => true;
    const inKept = (i: number) => isKept[i] === 1;
    const dropped = (i: number) => isKept[i] === 0;
    const paramMeans: Record<string, number> = {};
    pop.keys.forEach((key, j) => {
      paramMeans[`kept/${key}`] = mean(inKept, (i) => pop.values[i * K + j]);
      paramMeans[`dropped/${key}`] = mean(dropped, (i) => pop.values[i * K + j]);
    });
    const pred = Float32Array.from(keptRows, (k) => buf.values[k]);
    const target = Float32Array.from(keptRows, (k) => buf.returns[k]);
    return {
      step: this.envSteps,
      iteration: this.iteration,
      episodeReturn: mean(all, (i) => epReturn[i]),
      episodeLength: mean(all, (i) => epLength[i]),
      episodes: N,
      worstReturn: epReturn[kept[0]],
      cvarThreshold: epReturn[kept[kept.length - 1]],
      keptReturn: mean(inKept, (i) => epReturn[i]),
      droppedReturn: mean(dropped, (i) => epReturn[i]),
      epsilon: eps,
      kept: kept.length,
      keptSteps: keptRows.length,
      ...stats,
      explainedVariance: explainedVariance(pred, target),
      lr: ppo.optimizer.lr,
      std: Math.exp(ppo.params.logStd.dataSync()[0]),
      ...paramMeans,
    };
  }

  /** Deterministic (mean) or sampled actions for raw observations [n, O]. */
  act(rawObs: Float32Array, deterministic = true): Float32Array {
    return this.ppo.act(rawObs, deterministic);
  }

  getState(): EpoptState {
    return { config: this.config, iteration: this.iteration, envSteps: this.envSteps, ppo: this.ppo.getState() };
  }

  setState(s: EpoptState): void {
    const { maxEpisodeSteps, totalSteps } = s.config;
    if (maxEpisodeSteps !== this.config.maxEpisodeSteps) this.buffer = new RolloutBuffer(maxEpisodeSteps, this.env.numEnvs, this.env.observationSize, this.env.actionSize);
    Object.assign(this.config, s.config);
    this.ppo.setState({ ...s.ppo, config: { ...s.ppo.config, totalSteps } });
    this.iteration = s.iteration;
    this.envSteps = s.envSteps;
  }

  /** The current policy as a policy file (algo 'epopt'; the mean action when deterministic). */
  policy(envId: string, meta: Record<string, unknown> = {}): MlpPolicy {
    const p = this.ppo.policy(envId, { iteration: this.iteration, epsilon: this.config.epsilon, terms: this.config.terms, ...meta });
    return new MlpPolicy({ ...p.file, algo: 'epopt' });
  }

  dispose(): void {
    this.ppo.dispose();
  }
}
