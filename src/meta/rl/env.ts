/**
 * The small environment interface the learning core trains on. The physics package's vectorized
 * envs plug in through this (directly or via {@link vecEnvFromEnvs} for Gymnasium-style single
 * envs).
 *
 * Auto-reset convention (same step, like Stable-Baselines3's VecEnv): when env i finishes at a
 * step (terminated or truncated), `obs` row i already holds the first observation of its next
 * episode and `finalObs` row i holds the last observation of the finished one (needed to
 * bootstrap the value on truncation).
 */
export interface VecEnvStep {
  /** [numEnvs * observationSize] */
  obs: Float32Array;
  /** [numEnvs] */
  rewards: Float32Array;
  /** [numEnvs], 1 where the episode ended in a terminal state. */
  terminated: Uint8Array;
  /** [numEnvs], 1 where the episode was cut by a time limit. */
  truncated: Uint8Array;
  /** [numEnvs * observationSize], valid in rows that finished; null if none finished. */
  finalObs: Float32Array | null;
  /**
   * Optional per-env numeric info, one [numEnvs] array per key (e.g. the env's `reward_*` parts,
   * DARC's dr). PPO logs the per-step mean of each key in its metrics.
   */
  info?: Record<string, Float32Array>;
}

export interface VecEnvLike {
  readonly numEnvs: number;
  readonly observationSize: number;
  readonly actionSize: number;
  /** Per-dimension action bounds; actions are clipped to them before stepping. */
  readonly actionLow?: Float32Array;
  readonly actionHigh?: Float32Array;
  /** Resets all envs (env i seeded from `seed` and i). Returns [numEnvs * observationSize]. */
  reset(seed?: number): Float32Array;
  /** actions: [numEnvs * actionSize]. */
  step(actions: Float32Array): VecEnvStep;
  /**
   * Optional: like reset(seed), but env i's first episode runs with the physical parameters
   * params[i] (keys as in nominalParams(), e.g. `mass.torso`; null: as the env draws them), the
   * physics envs' reset option `params`. Later episodes (auto-reset) are the env's own again.
   * EPOpt samples its models with samplePopulation and hands them over here.
   */
  resetWithParams?(seed: number, params: readonly (Record<string, number> | null)[]): Float32Array;
  /** Optional: the envs' nominal physical parameters (what DR terms apply to). */
  nominalParams?(): Record<string, number>;
  /** Optional full state (mid-episode included) for exact resume from checkpoints. */
  getState?(): unknown;
  setState?(state: unknown): void;
  close?(): void;
}

/** A Gymnasium-style single environment (the physics package's envs). */
export interface GymEnvLike {
  readonly observationSize: number;
  readonly actionSize: number;
  readonly actionLow?: ArrayLike<number>;
  readonly actionHigh?: ArrayLike<number>;
  reset(opts?: { seed?: number; options?: unknown }): { obs: ArrayLike<number>; info?: unknown };
  nominalParams?(): Record<string, number>;
  step(action: Float32Array): { obs: ArrayLike<number>; reward: number; terminated: boolean; truncated: boolean; info?: unknown };
  getState?(): unknown;
  setState?(state: unknown): void;
  close?(): void;
}

/** Derives env i's seed from a base seed. */
export function subSeed(seed: number, i: number): number {
  return (Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(i + 1, 0x85ebca6b)) >>> 0;
}

/** Seed of env i's k-th reset after `reset(seed)`: a function of (seed, i, k) only. */
export function episodeSeed(seed: number, i: number, k: number): number {
  return subSeed((seed + 1000003 * k) >>> 0, i);
}

/**
 * Wraps single Gymnasium-style envs into a {@link VecEnvLike} with same-step auto-reset. Env j
 * here is env `firstIndex + j` of a larger vector: its seeds depend only on that index and its
 * own episode count, so a vector split across threads steps exactly like one in a thread.
 */
export function vecEnvFromEnvs(envs: GymEnvLike[], firstIndex = 0): VecEnvLike {
  const N = envs.length;
  const O = envs[0].observationSize;
  const A = envs[0].actionSize;
  const obs = new Float32Array(N * O);
  let baseSeed = 0;
  let episodes = new Array<number>(N).fill(0);
  const lowArr = envs[0].actionLow;
  const highArr = envs[0].actionHigh;
  const v: VecEnvLike = {
    numEnvs: N,
    observationSize: O,
    actionSize: A,
    actionLow: lowArr ? Float32Array.from(lowArr) : undefined,
    actionHigh: highArr ? Float32Array.from(highArr) : undefined,
    reset(seed = 0) {
      return v.resetWithParams!(seed, []);
    },
    resetWithParams(seed, params) {
      baseSeed = seed;
      episodes = new Array<number>(N).fill(0);
      envs.forEach((e, i) => {
        const p = params[i];
        obs.set(e.reset({ seed: episodeSeed(seed, firstIndex + i, 0), ...(p ? { options: { params: p } } : {}) }).obs, i * O);
      });
      return obs.slice();
    },
    step(actions) {
      const rewards = new Float32Array(N);
      const terminated = new Uint8Array(N);
      const truncated = new Uint8Array(N);
      let finalObs: Float32Array | null = null;
      const info: Record<string, Float32Array> = {};
      for (let i = 0; i < N; i++) {
        const r = envs[i].step(actions.subarray(i * A, (i + 1) * A));
        rewards[i] = r.reward;
        if (r.info && typeof r.info === 'object')
          for (const [k, v] of Object.entries(r.info as Record<string, unknown>))
            if (k.startsWith('reward_') && typeof v === 'number') (info[k] ??= new Float32Array(N))[i] = v;
        terminated[i] = r.terminated ? 1 : 0;
        truncated[i] = r.truncated ? 1 : 0;
        if (r.terminated || r.truncated) {
          finalObs ??= new Float32Array(N * O);
          finalObs.set(r.obs, i * O);
          episodes[i]++;
          obs.set(envs[i].reset({ seed: episodeSeed(baseSeed, firstIndex + i, episodes[i]) }).obs, i * O);
        } else obs.set(r.obs, i * O);
      }
      return { obs: obs.slice(), rewards, terminated, truncated, finalObs, info };
    },
    close() {
      envs.forEach((e) => e.close?.());
    },
  };
  if (envs[0].nominalParams) v.nominalParams = () => envs[0].nominalParams!();
  if (envs.every((e) => e.getState && e.setState)) {
    v.getState = () => ({ baseSeed, episodes: episodes.slice(), obs: Array.from(obs), envs: envs.map((e) => e.getState!()) });
    v.setState = (s: unknown) => {
      const st = s as { baseSeed: number; episodes: number[]; obs: number[]; envs: unknown[] };
      if (!Array.isArray(st.episodes) || st.episodes.length !== N) throw new Error('vector env state: per-env episode counts missing (a checkpoint from before they existed)');
      baseSeed = st.baseSeed;
      episodes = st.episodes.slice();
      obs.set(st.obs);
      envs.forEach((e, i) => e.setState!(st.envs[i]));
    };
  }
  return v;
}
