/**
 * Rollout storage and generalized advantage estimation (Schulman et al. 2016) on flat
 * Float32Arrays laid out [T, N, ...] (time-major, N parallel envs).
 */
export class RolloutBuffer {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly rewards: Float32Array;
  /** 1 where the episode ended after this step (terminated or truncated; truncation is handled by bootstrapping into the reward). */
  readonly dones: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  t = 0;

  constructor(
    readonly steps: number,
    readonly numEnvs: number,
    readonly obsSize: number,
    readonly actSize: number,
  ) {
    const n = steps * numEnvs;
    this.obs = new Float32Array(n * obsSize);
    this.actions = new Float32Array(n * actSize);
    this.logProbs = new Float32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.dones = new Float32Array(n);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
  }

  get size(): number {
    return this.steps * this.numEnvs;
  }

  get full(): boolean {
    return this.t >= this.steps;
  }

  add(obs: Float32Array, actions: Float32Array, logProbs: Float32Array, values: Float32Array, rewards: Float32Array, dones: ArrayLike<number>): void {
    if (this.full) throw new Error('RolloutBuffer is full');
    const N = this.numEnvs;
    const t = this.t;
    this.obs.set(obs, t * N * this.obsSize);
    this.actions.set(actions, t * N * this.actSize);
    this.logProbs.set(logProbs, t * N);
    this.values.set(values, t * N);
    this.rewards.set(rewards, t * N);
    for (let i = 0; i < N; i++) this.dones[t * N + i] = dones[i];
    this.t++;
  }

  /** Fills advantages and returns. lastValues: V(s_T) for each env. */
  computeGae(lastValues: Float32Array, gamma: number, lambda: number): void {
    computeGae(this.rewards, this.values, this.dones, lastValues, this.steps, this.numEnvs, gamma, lambda, this.advantages, this.returns);
  }

  reset(): void {
    this.t = 0;
  }
}

/**
 * GAE(gamma, lambda): delta_t = r_t + gamma V(s_{t+1}) (1 - done_t) - V(s_t);
 * A_t = delta_t + gamma lambda (1 - done_t) A_{t+1}; returns = A + V.
 */
export function computeGae(
  rewards: Float32Array,
  values: Float32Array,
  dones: Float32Array,
  lastValues: Float32Array,
  T: number,
  N: number,
  gamma: number,
  lambda: number,
  advOut: Float32Array = new Float32Array(T * N),
  retOut: Float32Array = new Float32Array(T * N),
): { advantages: Float32Array; returns: Float32Array } {
  for (let i = 0; i < N; i++) {
    let last = 0;
    for (let t = T - 1; t >= 0; t--) {
      const k = t * N + i;
      const nextV = t === T - 1 ? lastValues[i] : values[(t + 1) * N + i];
      const nonTerminal = 1 - dones[k];
      const delta = rewards[k] + gamma * nextV * nonTerminal - values[k];
      last = delta + gamma * lambda * nonTerminal * last;
      advOut[k] = last;
      retOut[k] = last + values[k];
    }
  }
  return { advantages: advOut, returns: retOut };
}
