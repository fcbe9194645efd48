/** Environment contract (Gymnasium conventions). */
import type { BodyStretch, SceneSpec } from '../../shared/scene.js';
import type { DRTerm, PhysParams } from '../randomization.js';

// PhysParams lives with the DR that samples it, so randomization.ts needs nothing from the envs.
export type { PhysParams };

export type EnvId = 'Ant-v0' | 'Hopper-v0' | 'QuadPayload-v0' | 'QuadPayloadVel-v0';

export interface StepInfo {
  /** reward parts, each named reward_* */
  [k: `reward_${string}`]: number;
  /** sampled physical parameters in effect */
  params: PhysParams;
  x_position: number;
  x_velocity: number;
  /** steps taken in this episode */
  step: number;
  /** faults that have fired this episode */
  faults: Fault[];
  [k: string]: unknown;
}

export interface ResetResult {
  obs: Float32Array;
  info: StepInfo;
}

export interface StepResult {
  obs: Float32Array;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: StepInfo;
}

export type Fault =
  /** Zero a leg's motors (GrBAL's crippled ant); `shrink` also shortens its lower segment by `shrinkFactor` (default 0.5). */
  | { kind: 'cripple'; leg: number; shrink?: boolean; shrinkFactor?: number }
  /** Seize a joint at its current angle. */
  | { kind: 'lockJoint'; joint: string | number }
  /** Scale a motor's torque by factor (0 = dead, 1 = nominal). */
  | { kind: 'weakenMotor'; joint: string | number; factor: number }
  /** Set physical parameters now, mid-episode (a payload swap): keys of the env's params, absolute values. */
  | { kind: 'setParams'; params: PhysParams };

/** A leg of the robot model: its joints (by name) and the bodies they move (SceneSpec indices). */
export interface LegPart {
  joints: string[];
  bodies: number[];
}

export interface ScheduledFault {
  /** env step (within an episode) at which the fault fires, before that step's physics */
  atStep: number;
  fault: Fault;
}

export interface EnvConfig {
  /** DR terms (see randomization.ts) */
  randomize?: DRTerm[];
  /** faults that fire at given steps of every episode */
  faults?: ScheduledFault[];
  maxEpisodeSteps?: number;
  /** physics: world steps per Gym timestep and Rapier solver iterations (see ACTUATION.md) */
  substeps?: number;
  solverIterations?: number;
  pgsIterations?: number;
  [k: string]: unknown;
}

export interface ResetOptions {
  /** override parameters for this episode (after DR), e.g. { 'mass.torso': 6 } */
  params?: PhysParams;
  /** skip the reset noise */
  noNoise?: boolean;
  [k: string]: unknown;
}

export interface Env {
  readonly id: string;
  readonly observationSize: number;
  readonly actionSize: number;
  /** seconds per env step = timestep * frameSkip */
  readonly dt: number;
  readonly maxEpisodeSteps: number;
  readonly config: EnvConfig;
  reset(opts?: { seed?: number; options?: ResetOptions }): ResetResult;
  step(action: ArrayLike<number>): StepResult;
  sceneSpec(): SceneSpec;
  /** Number of bodies in the scene (poses need 7 floats each). */
  readonly bodyCount: number;
  writePoses(out: Float32Array, offset?: number): void;
  applyFault(fault: Fault): void;
  /** The robot's legs (what `cripple` takes by index): their joints and the bodies they move. */
  legParts?(): LegPart[];
  /** Bodies whose shapes a fault has changed since the reset (drawn changed too). */
  stretchedBodies?(): BodyStretch[];
  /** The joint each action dimension drives (action index -> joint name), from the robot model. */
  actuatorNames?(): string[];
  /**
   * The bodies' state now (13 floats a body: position, quaternion xyzw, COM linear and angular
   * velocity), to put another env of the same robot into it (setBodyState).
   */
  bodyState?(): Float64Array;
  /**
   * Puts the bodies into a state bodyState() read (from this env or another of the same robot);
   * the episode (step count, parameters, faults) stays this env's. Returns the observation there.
   */
  setBodyState?(state: Float64Array): Float32Array;
  /** Rest length of each of the scene's tethers now (a reset may randomize them). */
  tetherLengths?(): number[];
  /** A tracking task's reference path (xyz triples, world frame) and the tracked point now. */
  referencePath?(): number[];
  trackedPoint?(): [number, number, number];
  /** Nominal physical parameters (before DR) and the ones in effect now. */
  nominalParams(): PhysParams;
  params(): PhysParams;
  /**
   * The env's reward as a pure function of (obs, action, nextObs), for imagination (MPC, GrBAL).
   * Batched: obs/nextObs hold n rows of observationSize, action n rows of actionSize.
   * Exact when the observation carries what the reward needs (see each env's docs).
   */
  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array;
  /** Diagnostics of the current state. */
  diagnostics(): Diagnostics;
  dispose(): void;
}

export interface Diagnostics {
  x: number;
  torsoHeight: number;
  maxJointSeparation: number;
  maxLimitViolation: number;
  finite: boolean;
}
