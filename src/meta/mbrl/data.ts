/**
 * Transition storage for model-based RL: (obs, action, nextObs) rows with the episode and the task
 * they came from, growable, segment sampling for meta-learning (M + K consecutive transitions of
 * one episode, hence one task), and a lossless JSON form stored in the run folder.
 */
import { base64ToF32, f32ToBase64 } from '../params.js';
import type { Rng } from '../rng.js';

export interface TransitionDataJson {
  observationSize: number;
  actionSize: number;
  count: number;
  obs: string;
  act: string;
  next: string;
  episode: number[];
  task: number[];
}

export class TransitionData {
  readonly O: number;
  readonly A: number;
  count = 0;
  obs: Float32Array;
  act: Float32Array;
  next: Float32Array;
  episode: Int32Array;
  task: Int32Array;

  constructor(observationSize: number, actionSize: number, capacity = 1024) {
    this.O = observationSize;
    this.A = actionSize;
    this.obs = new Float32Array(capacity * observationSize);
    this.act = new Float32Array(capacity * actionSize);
    this.next = new Float32Array(capacity * observationSize);
    this.episode = new Int32Array(capacity);
    this.task = new Int32Array(capacity);
  }

  private grow(): void {
    const cap = this.episode.length * 2;
    const g = <T extends Float32Array | Int32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.obs = g(this.obs, cap * this.O);
    this.act = g(this.act, cap * this.A);
    this.next = g(this.next, cap * this.O);
    this.episode = g(this.episode, cap);
    this.task = g(this.task, cap);
  }

  add(obs: ArrayLike<number>, act: ArrayLike<number>, next: ArrayLike<number>, episode: number, task: number): void {
    if (this.count >= this.episode.length) this.grow();
    const i = this.count++;
    this.obs.set(obs, i * this.O);
    this.act.set(act, i * this.A);
    this.next.set(next, i * this.O);
    this.episode[i] = episode;
    this.task[i] = task;
  }

  /** Next free episode id. */
  nextEpisodeId(): number {
    return this.count ? this.episode[this.count - 1] + 1 : 0;
  }

  /** Start indices i such that rows i..i+len-1 belong to one episode. */
  segmentStarts(len: number): Int32Array {
    const out: number[] = [];
    for (let i = 0; i + len <= this.count; i++) if (this.episode[i] === this.episode[i + len - 1]) out.push(i);
    return Int32Array.from(out);
  }

  /** Gathers rows into [n, O], [n, A], [n, O] arrays. */
  gather(rows: ArrayLike<number>): { obs: Float32Array; act: Float32Array; next: Float32Array } {
    const n = rows.length;
    const O = this.O;
    const A = this.A;
    const obs = new Float32Array(n * O);
    const act = new Float32Array(n * A);
    const next = new Float32Array(n * O);
    for (let j = 0; j < n; j++) {
      const i = rows[j];
      obs.set(this.obs.subarray(i * O, (i + 1) * O), j * O);
      act.set(this.act.subarray(i * A, (i + 1) * A), j * A);
      next.set(this.next.subarray(i * O, (i + 1) * O), j * O);
    }
    return { obs, act, next };
  }

  /**
   * `batch` segments of `len` consecutive transitions, laid out time-major: rows[t * batch + b] is
   * step t of segment b.
   */
  sampleSegments(len: number, batch: number, rng: Rng, starts = this.segmentStarts(len)): Int32Array {
    if (starts.length === 0) throw new Error(`no episode holds ${len} consecutive transitions`);
    const rows = new Int32Array(len * batch);
    for (let b = 0; b < batch; b++) {
      const s = starts[rng.int(starts.length)];
      for (let t = 0; t < len; t++) rows[t * batch + b] = s + t;
    }
    return rows;
  }

  toJSON(): TransitionDataJson {
    const n = this.count;
    return {
      observationSize: this.O,
      actionSize: this.A,
      count: n,
      obs: f32ToBase64(this.obs.subarray(0, n * this.O)),
      act: f32ToBase64(this.act.subarray(0, n * this.A)),
      next: f32ToBase64(this.next.subarray(0, n * this.O)),
      episode: Array.from(this.episode.subarray(0, n)),
      task: Array.from(this.task.subarray(0, n)),
    };
  }

  static fromJSON(j: TransitionDataJson): TransitionData {
    const d = new TransitionData(j.observationSize, j.actionSize, Math.max(1, j.count));
    d.obs.set(base64ToF32(j.obs));
    d.act.set(base64ToF32(j.act));
    d.next.set(base64ToF32(j.next));
    d.episode.set(j.episode);
    d.task.set(j.task);
    d.count = j.count;
    return d;
  }
}
