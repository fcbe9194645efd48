/**
 * A ring replay buffer of transitions in typed arrays (obs, action, reward, next obs, terminal).
 * `terminal` is 1 only for true terminations: a time-limit cut still bootstraps from next obs.
 * Its state (the filled part only) round-trips bit-exactly for checkpoints.
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
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminals: Float32Array;
  size = 0;
  private next = 0;

  constructor(readonly capacity: number, readonly obsSize: number, readonly actionSize: number) {
    this.obs = new Float32Array(capacity * obsSize);
    this.nextObs = new Float32Array(capacity * obsSize);
    this.actions = new Float32Array(capacity * actionSize);
    this.rewards = new Float32Array(capacity);
    this.terminals = new Float32Array(capacity);
  }

  add(obs: ArrayLike<number>, action: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminal: boolean): void {
    const i = this.next;
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
    this.obs.set(s.obs);
    this.nextObs.set(s.nextObs);
    this.actions.set(s.actions);
    this.rewards.set(s.rewards);
    this.terminals.set(s.terminals);
    this.size = s.size;
    this.next = s.next;
  }
}
