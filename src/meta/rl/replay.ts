/**
 * A ring replay buffer of transitions in typed arrays (obs, action, reward, next obs, terminal).
 * `terminal` is 1 only for true terminations: a time-limit cut still bootstraps from next obs.
 * Storage grows with use (doubling up to the capacity), so a large capacity costs memory only once
 * it is filled. Its state (the filled part only) round-trips bit-exactly for checkpoints.
 */
import type { Rng } from '../rng.js';

export interface ReplayState {
  capacity: number;
  size: number;
  next: number;
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  terminals: Float32Array;
}

export interface ReplayBatch {
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  terminals: Float32Array;
}

export class ReplayBuffer {
  obs: Float32Array;
  actions: Float32Array;
  rewards: Float32Array;
  nextObs: Float32Array;
  terminals: Float32Array;
  size = 0;
  private next = 0;
  private allocated = 0;

  constructor(readonly capacity: number, readonly obsSize: number, readonly actionSize: number) {
    this.obs = this.nextObs = this.actions = this.rewards = this.terminals = new Float32Array(0);
    this.reserve(Math.min(capacity, 4096));
  }

  /** Makes room for n transitions (n <= capacity), keeping what is stored. */
  private reserve(n: number): void {
    if (n <= this.allocated) return;
    const grow = (a: Float32Array, width: number) => {
      const b = new Float32Array(n * width);
      b.set(a.subarray(0, this.allocated * width));
      return b;
    };
    this.obs = grow(this.obs, this.obsSize);
    this.nextObs = grow(this.nextObs, this.obsSize);
    this.actions = grow(this.actions, this.actionSize);
    this.rewards = grow(this.rewards, 1);
    this.terminals = grow(this.terminals, 1);
    this.allocated = n;
  }

  add(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminal: boolean): void {
    const i = this.next;
    if (i >= this.allocated) this.reserve(Math.min(this.capacity, Math.max(2 * this.allocated, i + 1)));
    const O = this.obsSize;
    const A = this.actionSize;
    for (let j = 0; j < O; j++) {
      this.obs[i * O + j] = obs[j];
      this.nextObs[i * O + j] = nextObs[j];
    }
    for (let j = 0; j < A; j++) this.actions[i * A + j] = action[j];
    this.rewards[i] = reward;
    this.terminals[i] = terminal ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** `n` transitions drawn uniformly with replacement. */
  sample(n: number, rng: Rng, out?: ReplayBatch): ReplayBatch {
    const O = this.obsSize;
    const A = this.actionSize;
    const b = out ?? {
      obs: new Float32Array(n * O),
      actions: new Float32Array(n * A),
      rewards: new Float32Array(n),
      nextObs: new Float32Array(n * O),
      terminals: new Float32Array(n),
    };
    for (let k = 0; k < n; k++) {
      const i = rng.int(this.size);
      b.obs.set(this.obs.subarray(i * O, (i + 1) * O), k * O);
      b.nextObs.set(this.nextObs.subarray(i * O, (i + 1) * O), k * O);
      b.actions.set(this.actions.subarray(i * A, (i + 1) * A), k * A);
      b.rewards[k] = this.rewards[i];
      b.terminals[k] = this.terminals[i];
    }
    return b;
  }

  getState(): ReplayState {
    const n = this.size;
    return {
      capacity: this.capacity,
      size: n,
      next: this.next,
      obs: this.obs.slice(0, n * this.obsSize),
      actions: this.actions.slice(0, n * this.actionSize),
      rewards: this.rewards.slice(0, n),
      nextObs: this.nextObs.slice(0, n * this.obsSize),
      terminals: this.terminals.slice(0, n),
    };
  }

  setState(s: ReplayState): void {
    if (s.capacity !== this.capacity) throw new Error(`replay capacity ${s.capacity} in the checkpoint != ${this.capacity}`);
    if (s.obs.length !== s.size * this.obsSize || s.actions.length !== s.size * this.actionSize)
      throw new Error(`replay state sizes do not match obs ${this.obsSize} / action ${this.actionSize}`);
    this.reserve(s.size);
    this.obs.set(s.obs);
    this.nextObs.set(s.nextObs);
    this.actions.set(s.actions);
    this.rewards.set(s.rewards);
    this.terminals.set(s.terminals);
    this.size = s.size;
    this.next = s.next;
  }
}
