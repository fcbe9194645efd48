/**
 * Small pure-TS continuous-control tasks with real dynamics, for tests and benchmarks of the RL
 * core before (and besides) the Rapier environments:
 *  - PointReach-v0: a 2-D point mass with damping pushed by a bounded force toward a random goal.
 *  - Pendulum-v1: Gymnasium's pendulum swing-up (same dynamics and reward).
 *  - BiasedReach-v0: a contextual-bandit toy with one hidden physical parameter (robust-RL tests).
 * Both are vectorized natively and expose getState/setState for exact resume.
 */
import { Rng, type RngState } from '../rng.js';
import { subSeed, type VecEnvLike, type VecEnvStep } from './env.js';

interface TaskState {
  s: number[];
  t: number[];
  rng: RngState;
  obs: number[];
}

abstract class VecTask implements VecEnvLike {
  abstract readonly observationSize: number;
  abstract readonly actionSize: number;
  abstract readonly stateSize: number;
  abstract readonly maxEpisodeSteps: number;
  readonly actionLow!: Float32Array;
  readonly actionHigh!: Float32Array;
  protected s!: Float64Array;
  protected t!: Int32Array;
  protected rng = new Rng(0);
  protected obsBuf!: Float32Array;

  constructor(readonly numEnvs: number) {}

  protected abstract resetOne(i: number): void;
  /** Advances env i by one step; returns the reward and whether it terminated. */
  protected abstract stepOne(i: number, a: Float32Array): { reward: number; terminated: boolean };
  protected abstract writeObs(i: number, out: Float32Array, offset: number): void;

  protected init(): void {
    this.s = new Float64Array(this.numEnvs * this.stateSize);
    this.t = new Int32Array(this.numEnvs);
    this.obsBuf = new Float32Array(this.numEnvs * this.observationSize);
  }

  reset(seed = 0): Float32Array {
    this.rng = new Rng(subSeed(seed, 0));
    for (let i = 0; i < this.numEnvs; i++) {
      this.resetOne(i);
      this.t[i] = 0;
      this.writeObs(i, this.obsBuf, i * this.observationSize);
    }
    return this.obsBuf.slice();
  }

  step(actions: Float32Array): VecEnvStep {
    const N = this.numEnvs;
    const A = this.actionSize;
    const O = this.observationSize;
    const rewards = new Float32Array(N);
    const terminated = new Uint8Array(N);
    const truncated = new Uint8Array(N);
    let finalObs: Float32Array | null = null;
    const a = new Float32Array(A);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < A; j++) {
        const x = actions[i * A + j];
        a[j] = Math.min(this.actionHigh[j], Math.max(this.actionLow[j], Number.isFinite(x) ? x : 0));
      }
      const r = this.stepOne(i, a);
      this.t[i]++;
      rewards[i] = r.reward;
      terminated[i] = r.terminated ? 1 : 0;
      truncated[i] = !r.terminated && this.t[i] >= this.maxEpisodeSteps ? 1 : 0;
      if (terminated[i] || truncated[i]) {
        finalObs ??= new Float32Array(N * O);
        this.writeObs(i, finalObs, i * O);
        this.resetOne(i);
        this.t[i] = 0;
      }
      this.writeObs(i, this.obsBuf, i * O);
    }
    return { obs: this.obsBuf.slice(), rewards, terminated, truncated, finalObs };
  }

  getState(): TaskState {
    return { s: Array.from(this.s), t: Array.from(this.t), rng: this.rng.getState(), obs: Array.from(this.obsBuf) };
  }

  setState(st: unknown): void {
    const s = st as TaskState;
    this.s.set(s.s);
    this.t.set(s.t);
    this.rng.setState(s.rng);
    this.obsBuf.set(s.obs);
  }
}

export interface PointReachOptions {
  damping?: number;
  maxForce?: number;
  forceScale?: [number, number];
}

/**
 * Point mass in the plane: state (x, y, vx, vy, gx, gy); m = 1, force f = maxForce * a with
 * |a_i| <= 1, linear damping, dt = 0.05, semi-implicit Euler. Obs: (x, y, vx, vy, gx - x, gy - y).
 * Reward: -|g - p| - 0.01 |a|^2 per step. 100 steps per episode; no termination.
 * `forceScale` scales each action dimension's force (0: that dimension does nothing, DARC's toy
 * target with a broken actuator).
 */
export class PointReach extends VecTask {
  readonly observationSize = 6;
  readonly actionSize = 2;
  readonly stateSize = 6;
  readonly maxEpisodeSteps = 100;
  override readonly actionLow = new Float32Array([-1, -1]);
  override readonly actionHigh = new Float32Array([1, 1]);
  static readonly dt = 0.05;
  readonly damping: number;
  readonly maxForce: number;
  readonly forceScale: [number, number];

  constructor(numEnvs: number, opts: PointReachOptions = {}) {
    super(numEnvs);
    this.damping = opts.damping ?? 2;
    this.maxForce = opts.maxForce ?? 4;
    this.forceScale = opts.forceScale ?? [1, 1];
    this.init();
  }

  protected resetOne(i: number): void {
    const s = this.s;
    const o = i * 6;
    s[o] = this.rng.range(-1, 1);
    s[o + 1] = this.rng.range(-1, 1);
    s[o + 2] = 0;
    s[o + 3] = 0;
    s[o + 4] = this.rng.range(-1, 1);
    s[o + 5] = this.rng.range(-1, 1);
  }

  protected stepOne(i: number, a: Float32Array): { reward: number; terminated: boolean } {
    const s = this.s;
    const o = i * 6;
    const dt = PointReach.dt;
    s[o + 2] += (this.maxForce * this.forceScale[0] * a[0] - this.damping * s[o + 2]) * dt;
    s[o + 3] += (this.maxForce * this.forceScale[1] * a[1] - this.damping * s[o + 3]) * dt;
    s[o] += s[o + 2] * dt;
    s[o + 1] += s[o + 3] * dt;
    const dx = s[o + 4] - s[o];
    const dy = s[o + 5] - s[o + 1];
    return { reward: -Math.hypot(dx, dy) - 0.01 * (a[0] * a[0] + a[1] * a[1]), terminated: false };
  }

  protected writeObs(i: number, out: Float32Array, off: number): void {
    const s = this.s;
    const o = i * 6;
    out[off] = s[o];
    out[off + 1] = s[o + 1];
    out[off + 2] = s[o + 2];
    out[off + 3] = s[o + 3];
    out[off + 4] = s[o + 4] - s[o];
    out[off + 5] = s[o + 5] - s[o + 1];
  }
}

/**
 * Gymnasium Pendulum-v1: theta'' = 3g/(2l) sin(theta) + 3/(m l^2) u, g = 10, m = l = 1,
 * dt = 0.05, |u| <= 2, |theta'| <= 8; obs (cos, sin, theta'); reward
 * -(angle_normalize(theta)^2 + 0.1 theta'^2 + 0.001 u^2); 200 steps.
 */
export class Pendulum extends VecTask {
  readonly observationSize = 3;
  readonly actionSize = 1;
  readonly stateSize = 2;
  readonly maxEpisodeSteps = 200;
  override readonly actionLow = new Float32Array([-2]);
  override readonly actionHigh = new Float32Array([2]);

  constructor(numEnvs: number) {
    super(numEnvs);
    this.init();
  }

  protected resetOne(i: number): void {
    this.s[2 * i] = this.rng.range(-Math.PI, Math.PI);
    this.s[2 * i + 1] = this.rng.range(-1, 1);
  }

  protected stepOne(i: number, a: Float32Array): { reward: number; terminated: boolean } {
    const th = this.s[2 * i];
    const thdot = this.s[2 * i + 1];
    const u = a[0];
    const norm = ((((th + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
    const cost = norm * norm + 0.1 * thdot * thdot + 0.001 * u * u;
    let nd = thdot + (3 * 10 / 2 * Math.sin(th) + 3 * u) * 0.05;
    nd = Math.min(8, Math.max(-8, nd));
    this.s[2 * i] = th + nd * 0.05;
    this.s[2 * i + 1] = nd;
    return { reward: -cost, terminated: false };
  }

  protected writeObs(i: number, out: Float32Array, off: number): void {
    out[off] = Math.cos(this.s[2 * i]);
    out[off + 1] = Math.sin(this.s[2 * i]);
    out[off + 2] = this.s[2 * i + 1];
  }
}

/**
 * A toy for robust RL (EPOpt's tests): each step asks for a point x in [-1, 1] (the observation);
 * the actuator adds a hidden bias b (the physical parameter `bias`, nominal 0) to the action a,
 * reward -|a + b - x|; 8 steps per episode, no termination. The bias is never observed, so the
 * best action depends on what the policy was trained on: nominal training learns a = x, training
 * over a distribution of b learns a = x - (a central value of b). Episodes run with the nominal
 * bias unless `resetWithParams` gives env i another for its first episode.
 */
export class BiasedReach extends VecTask {
  readonly observationSize = 1;
  readonly actionSize = 1;
  readonly stateSize = 2;
  readonly maxEpisodeSteps = 8;
  override readonly actionLow = new Float32Array([-2]);
  override readonly actionHigh = new Float32Array([2]);
  static readonly nominal = { bias: 0 };

  constructor(numEnvs: number) {
    super(numEnvs);
    this.init();
  }

  nominalParams(): Record<string, number> {
    return { ...BiasedReach.nominal };
  }

  resetWithParams(seed: number, params: readonly (Record<string, number> | null)[]): Float32Array {
    const obs = this.reset(seed);
    params.forEach((p, i) => {
      if (p && p.bias !== undefined && i < this.numEnvs) this.s[2 * i + 1] = p.bias;
    });
    return obs;
  }

  protected resetOne(i: number): void {
    this.s[2 * i] = this.rng.range(-1, 1);
    this.s[2 * i + 1] = BiasedReach.nominal.bias;
  }

  protected stepOne(i: number, a: Float32Array): { reward: number; terminated: boolean } {
    const reward = -Math.abs(a[0] + this.s[2 * i + 1] - this.s[2 * i]);
    this.s[2 * i] = this.rng.range(-1, 1);
    return { reward, terminated: false };
  }

  protected writeObs(i: number, out: Float32Array, off: number): void {
    out[off] = this.s[2 * i];
  }
}

/** PointReach's options from an env config (a pair file's), refusing what it does not know. */
function pointReachOptions(config: unknown): PointReachOptions {
  const c = (config ?? {}) as Record<string, unknown>;
  const known = ['damping', 'maxForce', 'forceScale'];
  const extra = Object.keys(c).filter((k) => !known.includes(k));
  if (extra.length) throw new Error(`PointReach-v0 config: unknown ${extra.join(', ')} (it takes ${known.join(', ')})`);
  const num = (k: string) => {
    if (c[k] !== undefined && (typeof c[k] !== 'number' || !Number.isFinite(c[k]))) throw new Error(`PointReach-v0 config: ${k} must be a number`);
    return c[k] as number | undefined;
  };
  const fs = c.forceScale;
  if (fs !== undefined && !(Array.isArray(fs) && fs.length === 2 && fs.every((x) => typeof x === 'number' && Number.isFinite(x))))
    throw new Error('PointReach-v0 config: forceScale must be two numbers, e.g. [1, 0]');
  return { damping: num('damping'), maxForce: num('maxForce'), forceScale: fs as [number, number] | undefined };
}

/** A task that takes no config: refuse one, so a pair's config is never silently ignored. */
function noConfig(id: string, config: unknown): void {
  if (config && typeof config === 'object' && Object.keys(config).length) throw new Error(`${id} takes no env config (got ${Object.keys(config).join(', ')})`);
}

/** Built-in task factories by id (the physics registry adds Hopper-v0 etc. via jobs' envModule). */
export const builtinTasks: Record<string, (numEnvs: number, config?: unknown) => VecEnvLike> = {
  'PointReach-v0': (n, c) => new PointReach(n, pointReachOptions(c)),
  'Pendulum-v1': (n, c) => (noConfig('Pendulum-v1', c), new Pendulum(n)),
  'BiasedReach-v0': (n, c) => (noConfig('BiasedReach-v0', c), new BiasedReach(n)),
};
