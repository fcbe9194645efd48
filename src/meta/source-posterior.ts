/**
 * EPOpt's second half (Rajeswaran et al. 2017, section 3.2): adapt the source distribution toward
 * a target whose parameters are hidden, from a few target trajectories, then keep training on the
 * adapted distribution.
 *
 * Here the update is approximate Bayesian computation by rejection: draw M particles from the
 * prior (the DR terms, `samplePopulation`, the draws training makes), replay each target
 * trajectory's actions open loop in the source model of each particle, from the same initial state
 * (the target episode's reset seed), and keep the particles whose observations stay closest to the
 * target's over the first `horizon` steps; later rounds draw from the normal fitted to the last
 * round's kept particles. Open-loop replay is what makes this a likelihood of the dynamics alone:
 * with the true parameters the replay reproduces the target exactly (the simulation is
 * deterministic), so the distance is zero there and grows with the parameter error. The posterior
 * is summarized per sampled parameter (mean, std of the kept particles) and returned as DR terms
 * of the prior's shape: a normal over each term's own draw, clipped to the prior's bounds.
 */
import { makeEnv } from '../physics/envs/registry.js';
import type { Env, EnvId } from '../physics/envs/types.js';
import { samplePopulation, populationRow, type Population } from '../physics/population.js';
import { drStream, termKeys, termRange, type DRTerm, type PhysParams } from '../physics/randomization.js';
import { distributionBounds } from '../shared/dr-terms.js';
import type { Policy } from './policy.js';
import { meanStd } from './eval-policy.js';

export interface TargetTrajectory {
  /** the target episode's reset seed (the replay starts from the same initial state) */
  seed: number;
  /** observations o_0..o_T (T + 1 rows of O) */
  obs: Float32Array;
  /** actions a_0..a_{T-1} (T rows of A) */
  actions: Float32Array;
  steps: number;
}

export interface PosteriorOptions {
  /** particles drawn from the prior (M) */
  particles: number;
  /** fraction of the particles kept (the closest ones) */
  accept: number;
  /** steps of each trajectory compared (the rest is ignored: long open-loop replays diverge) */
  horizon: number;
  /** seed of the prior draw */
  seed: number;
  /** rounds: each draws from the normal fitted to the last round's kept particles (1: plain rejection) */
  rounds: number;
}

export interface ParamPosterior {
  /** the sampled parameter's key (a shared term's first key stands for all of its keys) */
  key: string;
  /** how views name it: the key, or `target.*` for a term sharing one draw over several keys */
  label: string;
  prior: { mean: number; std: number };
  posterior: { mean: number; std: number };
  range: [number, number];
}

export interface SourcePosterior {
  keys: string[];
  /** the prior particles, M rows of keys.length values */
  particles: Float64Array;
  /** each particle's distance to the target trajectories (mean squared normalized observation error) */
  distance: Float64Array;
  /** indices of the kept particles, closest first */
  kept: Int32Array;
  params: ParamPosterior[];
  /** the posterior as DR terms: the prior's terms with a normal over their draw, clipped to their bounds */
  terms: DRTerm[];
  rounds: RoundSummary[];
}

/** K target episodes (seeds seed..seed+K-1) of `policy` (mean actions) in `env` with `targetParams`. */
export function collectTarget(env: Env, policy: Policy, targetParams: PhysParams, opts: { episodes: number; steps: number; seed: number }): TargetTrajectory[] {
  const O = env.observationSize, A = env.actionSize;
  const out: TargetTrajectory[] = [];
  for (let k = 0; k < opts.episodes; k++) {
    const seed = opts.seed + k;
    let o = env.reset({ seed, options: { params: targetParams } }).obs;
    const obs = new Float32Array((opts.steps + 1) * O), actions = new Float32Array(opts.steps * A);
    obs.set(o, 0);
    let t = 0;
    while (t < opts.steps) {
      const a = policy.act(Float32Array.from(o), { deterministic: true });
      actions.set(a, t * A);
      const r = env.step(a);
      o = r.obs;
      obs.set(o, ++t * O);
      if (r.terminated || r.truncated) break;
    }
    out.push({ seed, obs: obs.slice(0, (t + 1) * O), actions: actions.slice(0, t * A), steps: t });
  }
  return out;
}

/** Distance of a replay to the target: mean over steps and dims of ((o - o*) / scale)^2. */
function replayDistance(env: Env, params: PhysParams, traj: TargetTrajectory, horizon: number, scale: Float64Array): number {
  const O = env.observationSize, A = env.actionSize;
  const T = Math.min(horizon, traj.steps);
  let o = env.reset({ seed: traj.seed, options: { params } }).obs;
  let sum = 0;
  let ended = false;
  for (let t = 0; t < T; t++) {
    if (!ended) {
      const r = env.step(traj.actions.subarray(t * A, (t + 1) * A));
      o = r.obs;
      ended = r.terminated || r.truncated;
    }
    // a replay that ended early keeps its last observation: it is far from a target that went on
    for (let d = 0; d < O; d++) sum += ((o[d] - traj.obs[(t + 1) * O + d]) / scale[d]) ** 2;
  }
  return T ? sum / (T * O) : 0;
}

/** Per-dimension scale of the target observations (their std, floored so constant dims count little). */
function observationScale(trajs: TargetTrajectory[], O: number): Float64Array {
  const mean = new Float64Array(O), sq = new Float64Array(O);
  let n = 0;
  for (const tr of trajs)
    for (let t = 0; t <= tr.steps; t++, n++)
      for (let d = 0; d < O; d++) {
        mean[d] += tr.obs[t * O + d];
        sq[d] += tr.obs[t * O + d] ** 2;
      }
  return Float64Array.from(mean, (m, d) => Math.max(1e-2, Math.sqrt(Math.max(0, sq[d] / n - (m / n) ** 2))));
}

/**
 * The ABC posterior over the prior terms' parameters given target trajectories, on `env` (any
 * config: it is reset with each particle's parameters, the other parameters at its nominal).
 */
export function sourcePosterior(env: Env, prior: DRTerm[], trajs: TargetTrajectory[], opts: PosteriorOptions): SourcePosterior {
  if (trajs.length === 0 || trajs.every((t) => t.steps === 0)) throw new Error('the source posterior needs at least one target trajectory with a step');
  if (!(opts.accept > 0 && opts.accept <= 1)) throw new Error(`accept must be in (0, 1], got ${opts.accept}`);
  const nominal = env.nominalParams();
  const scale = observationScale(trajs, env.observationSize);
  // round 1 draws from the prior; each later round from the normal fitted to the last one's kept particles
  let proposal = prior;
  const priorPop = samplePopulation(nominal, prior, drStream(opts.seed), opts.particles);
  let pop = priorPop;
  let distance = new Float64Array(0);
  let kept = new Int32Array(0);
  const rounds: RoundSummary[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    if (round > 0) pop = samplePopulation(nominal, proposal, drStream(opts.seed + round), opts.particles);
    distance = new Float64Array(pop.n);
    for (let j = 0; j < pop.n; j++) {
      const params = populationRow(pop, j);
      let d = 0;
      for (const tr of trajs) d += replayDistance(env, params, tr, opts.horizon, scale);
      distance[j] = d / trajs.length;
    }
    const order = Array.from({ length: pop.n }, (_, j) => j).sort((a, b) => distance[a] - distance[b] || a - b);
    kept = Int32Array.from(order.slice(0, Math.max(2, Math.ceil(opts.accept * pop.n))));
    const fit = fitTerms(prior, nominal, pop, kept);
    rounds.push({ threshold: distance[kept[kept.length - 1]], params: fit.params });
    proposal = fit.terms;
  }
  const fit = fitTerms(prior, nominal, pop, kept);
  // the prior's summary: every particle of the first round's draw
  const all = Int32Array.from({ length: priorPop.n }, (_, j) => j);
  const priorFit = fitTerms(prior, nominal, priorPop, all);
  const params = fit.params.map((p, i) => ({ ...p, prior: priorFit.params[i].posterior }));
  return { keys: pop.keys, particles: pop.values, distance, kept, params, terms: fit.terms, rounds };
}

/** Per-round progress: the distance threshold of the kept particles and their parameter stats. */
export interface RoundSummary {
  threshold: number;
  params: ParamPosterior[];
}

/**
 * The kept particles' statistics per sampled parameter, and DR terms of the prior's shape with a
 * normal over each term's own draw (value = op(nominal, draw)), clipped to the prior's bounds.
 */
function fitTerms(prior: DRTerm[], nominal: PhysParams, pop: Population, kept: ArrayLike<number>): { params: ParamPosterior[]; terms: DRTerm[] } {
  const K = pop.keys.length;
  const column = (c: number, rows: ArrayLike<number>) => Array.from(rows, (j) => pop.values[j * K + c]);
  const params: ParamPosterior[] = [];
  const terms: DRTerm[] = [];
  for (const term of prior) {
    const keys = termKeys(term, nominal);
    // a shared term is one draw for all its keys; otherwise each key had its own draw
    const groups = term.shared || keys.length === 1 ? [keys] : keys.map((k) => [k]);
    for (const group of groups) {
      const key = group[0];
      const c = pop.keys.indexOf(key);
      params.push({
        key,
        label: group.length > 1 ? `${term.target}.*` : key,
        prior: { mean: NaN, std: NaN },
        posterior: meanStd(column(c, kept)),
        range: termRange(term, nominal[key]),
      });
      // the posterior of the term's own draw (value = op(nominal, draw)), clipped to its bounds
      const draw = (v: number) => (term.operation === 'abs' ? v : term.operation === 'scale' ? v / nominal[key] : v - nominal[key]);
      const post = meanStd(column(c, kept).map(draw));
      const [low, high] = distributionBounds(term.distribution);
      terms.push({
        ...term,
        ...(groups.length > 1 ? { select: [key] } : {}),
        distribution: { kind: 'normal', mean: post.mean, std: Math.max(post.std, 1e-3 * (high - low)), low, high },
      });
    }
  }
  return { params, terms };
}

/** For the CLI: an env of `envId`, the target trajectories, and the posterior. (The view has its env.) */
export async function adaptSource(
  envId: EnvId,
  policy: Policy,
  prior: DRTerm[],
  target: PhysParams,
  opts: PosteriorOptions & { episodes: number; steps: number; targetSeed: number },
): Promise<SourcePosterior & { trajectories: TargetTrajectory[] }> {
  const env = await makeEnv(envId);
  try {
    const trajectories = collectTarget(env, policy, target, { episodes: opts.episodes, steps: opts.steps, seed: opts.targetSeed });
    return { ...sourcePosterior(env, prior, trajectories, opts), trajectories };
  } finally {
    env.dispose();
  }
}
