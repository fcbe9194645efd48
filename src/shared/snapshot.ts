/** One frame of a running simulation: every body's pose plus scalar telemetry. */
export interface SimSnapshot {
  sessionId: string;
  frame: number;
  /** Simulated seconds since the session opened or was reset: the one time base of charts, events and fault times. */
  time: number;
  /** Episodes ended since then (the current episode's number), and seconds into the current one. */
  episode: number;
  episodeTime: number;
  /** 7 floats per body (xyz, quat xyzw), in SceneSpec.bodies order. */
  poses: Float32Array;
  /** Scalars to chart: reward parts, dr, prediction error, sampled DR parameters... */
  telemetry: Record<string, number>;
  /** Simulated seconds per wall second over the last second. */
  realTimeFactor: number;
  /** Things that happened since the previous snapshot ("leg 3 broken"), for chart markers. */
  events?: SimEvent[];
  /** Per-frame data of the scene's declared overlays, by overlay kind (see renderer three/overlays). */
  overlays?: Record<string, unknown>;
}

/**
 * Data of the `population` overlay (a SceneSpec.population scene), one entry per robot, compact:
 * typed arrays travel as binary (wire.ts) or structured-clone, never as JSON number lists.
 */
export interface PopulationFrame {
  /** One label per parameter column (a term sharing one sample over its elements is one column). */
  columns: string[];
  /** n rows of columns.length sampled values, row-major. */
  params: Float32Array;
  /** Each robot's return so far in this episode. */
  returns: Float32Array;
  /** 1 while a robot's episode runs, 0 once it has ended (it waits for the others). */
  alive: Uint8Array;
  /** The policy every robot plays (its control value, e.g. 'learned:epopt'). */
  policy: string;
  /** After "adapt to a hidden target": per column, the prior's and the posterior's mean and std and the target's value. */
  adaptation: PopulationAdaptation | null;
}

export interface PopulationAdaptation {
  target: string;
  columns: { label: string; truth: number; prior: { mean: number; std: number }; posterior: { mean: number; std: number } }[];
}

/**
 * Data of the `darc` overlay (the DARC view, main/service/darc-scene.ts): the robot's trail with
 * each step's dr, and dr's attribution to the action dimensions.
 */
export interface DarcFrame {
  /** The pair's name (assets/pairs/<pair>.json) and its one-line description. */
  pair: string;
  description: string;
  /** The policy playing (its label) and the domain the robot runs in; the ghost runs in the other. */
  policy: string;
  domain: 'source' | 'target';
  /** The side-by-side robot's policy (its label; it runs in the same domain) and its return this episode. */
  versus: string;
  versusReturn: number;
  /** Steps between re-syncs of the ghost to the robot's state. */
  ghostEvery: number;
  /** The root body's path, oldest first: 4 floats a step (x, y, z in the world frame, that step's dr). */
  trail: Float32Array;
  /** One name per action dimension (the joint it drives). */
  actuators: string[];
  /**
   * Each actuator's mean share of dr since the policy or domain was chosen: dr minus the dr of the
   * same state with its command at 0 (negative: using it is what the target would not do).
   */
  due: Float32Array;
  /** Correlation of dr with each |a_k| over the steps since the policy or domain was chosen (NaN: too few). */
  correlation: Float32Array;
  /** dr's mean per actuator and |a| bin (row-major [actuators, bins] over [0, 1]; NaN: empty) and the steps in each. */
  bins: Float32Array;
  binCounts: Uint32Array;
  /** Steps the attribution has seen. */
  samples: number;
  /** The DARC run's classifier accuracies over training (its metrics), null when it does not ship them. */
  training: DarcTraining | null;
}

export interface DarcTraining {
  /**
   * Source env steps of each metrics row, and the two classifiers' accuracy on their training
   * batches then (plain arrays: the wire sends typed arrays only one level into an overlay's data).
   */
  step: number[];
  saAccuracy: number[];
  sasAccuracy: number[];
  /** The step dr joined the reward (the end of the warm-up), if the run got there. */
  drOnStep: number | null;
}

/** A policy's robustness curve (`adaptlab sweep` output, shipped under assets/sweeps/). */
export interface RobustnessCurve {
  /** the policy's id (assets/policies/<env>/<id>.json) */
  policy: string;
  param: string;
  values: number[];
  mean: number[];
  std: number[];
  episodes: number;
}

export interface SimEvent {
  /** Session time (SimSnapshot.time). */
  time: number;
  kind: string;
  label: string;
}

export type SessionStatus = 'running' | 'paused';

export interface SessionState {
  sessionId: string;
  sceneId: string;
  status: SessionStatus;
  timeScale: number;
  time: number;
  frame: number;
}
