import type { YawFrame } from './frame.js';

/**
 * The small environment contract model-based meta-RL needs. It is a structural subset of the
 * physics package's `Env` (src/physics/envs/types.ts), so Ant-v0 plugs in as is; the pure-TS
 * Crawler-v0 in ./crawler.ts implements it too, for tests and demos without Rapier.
 */

/** A leg fault (same shape as the physics package's `{kind: 'cripple', leg}`). */
export type MbFault = { kind: 'cripple'; leg: number; shrink?: boolean; shrinkFactor?: number } | { kind: string; [k: string]: unknown };

export interface MbStepResult {
  obs: ArrayLike<number>;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  /** `x_position` (torso x) is read for forward distance when present. */
  info?: { x_position?: number; [k: string]: unknown };
}

export interface MbEnv {
  readonly id: string;
  readonly observationSize: number;
  readonly actionSize: number;
  /** Seconds per env step. */
  readonly dt: number;
  readonly maxEpisodeSteps: number;
  reset(opts?: { seed?: number; options?: Record<string, unknown> }): { obs: ArrayLike<number>; info?: { x_position?: number; [k: string]: unknown } };
  step(action: ArrayLike<number>): MbStepResult;
  /** Fires a fault now (the "break a leg" button). */
  applyFault(fault: MbFault): void;
  /**
   * The env's reward as a pure function of (obs, action, nextObs), batched over rows: what MPC
   * uses in imagination.
   */
  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array;
  /** The true physical parameters now (what an oracle conditions on), where the env has them. */
  params?(): Record<string, number>;
  dispose?(): void;
}

/**
 * How model-based meta-RL sees an environment family: a factory plus the task distribution it
 * meta-trains on and the held-out test task.
 */
export interface MbTaskSpec {
  /** Env id, e.g. 'Ant-v0' or 'Crawler-v0'. */
  id: string;
  /**
   * Creates a fresh env (may be async: Rapier loads its wasm first). `episodic: false` turns off
   * early termination (evaluation and the live view run a fixed number of steps; a fallen robot
   * just stops making progress); default true, as when collecting data.
   */
  make(o?: { episodic?: boolean }): MbEnv | Promise<MbEnv>;
  /** Meta-training task distribution: null = intact. The paper: intact and legs 0-2 crippled. */
  trainFaults: (MbFault | null)[];
  /** Held-out test task (the paper: leg 3 crippled). */
  testFault: MbFault;
  /**
   * Observation indices of torso x, y, z (for the ghost path); a null entry reads as 0 (a planar
   * task has no z); null where the obs lacks positions.
   */
  positionIndices: [number, number, number | null] | null;
  /**
   * Observation dims left out of the model's INPUT (absolute x, y: the dynamics do not depend on
   * them); the model still predicts their deltas.
   */
  excludeInputDims: number[];
  /**
   * Where the observation holds a torso attitude and world-frame horizontal vectors: the heading
   * frame a model of this task reads and predicts in when trained with `headingFrame` (frame.ts).
   */
  yawFrame?: YawFrame;
  /** Episode length used when collecting data and evaluating (defaults to the env's). */
  episodeSteps?: number;
  /**
   * Extra cost in imagination per predicted next obs (e.g. penalize tipping over), added to the env
   * reward when a controller runs the task (evaluation, the Adaptation view); data collection
   * during training plans with the plain reward.
   */
  imaginedPenalty?: (nextObs: Float32Array, n: number, out: Float32Array) => void;
  /** The task whose checkpoints this one plans with by default: the same robot and dynamics under another reward. */
  checkpointEnv?: string;
}

/** A task that sets physical parameters (the quadrotor's payloads): set at reset, not applied as a fault after it. */
export function isSetParams(f: MbFault | null | undefined): f is { kind: 'setParams'; params: Record<string, number> } {
  return !!f && f.kind === 'setParams' && typeof (f as { params?: unknown }).params === 'object';
}

/** Resets `env` into task `f`: parameters through the reset, a fault (a broken leg) right after it. */
export function resetInto(env: MbEnv, f: MbFault | null, seed: number): ReturnType<MbEnv['reset']> {
  const r = env.reset({ seed, options: isSetParams(f) ? { params: f.params } : undefined });
  if (f && !isSetParams(f)) env.applyFault(f);
  return r;
}

export function isCripple(f: MbFault | null | undefined): f is { kind: 'cripple'; leg: number } {
  return !!f && f.kind === 'cripple' && typeof (f as { leg?: unknown }).leg === 'number';
}

export function faultLabel(f: MbFault | null | undefined): string {
  if (!f) return 'intact';
  if (isCripple(f)) return `cripple:${f.leg}`;
  if (isSetParams(f)) return Object.entries(f.params).map(([k, v]) => `${k}=${v}`).join(',');
  return f.kind;
}
