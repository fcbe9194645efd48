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
