import type { BodyStretch } from './scene';

/** One frame of a running simulation: every body's pose plus scalar telemetry. */
export interface SimSnapshot {
  sessionId: string;
  frame: number;
  /** Simulated seconds since the last reset. */
  time: number;
  /** 7 floats per body (xyz, quat xyzw), in SceneSpec.bodies order. */
  poses: Float32Array;
  /** Scalars to chart: reward parts, dr, prediction error, sampled DR parameters... */
  telemetry: Record<string, number>;
  /** Simulated seconds per wall second over the last second. */
  realTimeFactor: number;
  /** Things that happened since the previous snapshot ("leg 3 broken"), for chart markers. */
  events?: SimEvent[];
  /** A planned future path to draw as a ghost (xyz triples, world frame), e.g. MPC's best plan. */
  ghost?: number[];
  /** Bodies to draw highlighted (e.g. a broken leg), by index in SceneSpec.bodies. */
  highlight?: number[];
  /** Bodies whose shapes a fault changed (a shrunk broken leg), to draw as they now collide. */
  stretched?: BodyStretch[];
  /** Current rest length of each SceneSpec tether (a reset may randomize it), to draw its sag. */
  tetherLengths?: number[];
}

export interface SimEvent {
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
