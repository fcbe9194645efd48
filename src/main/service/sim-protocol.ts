/** Messages between a simulation session and its worker thread (internal to src/main). */
import type { SceneSpec } from '../../shared/scene';
import type { ScenarioEvent } from '../../shared/scenario';

export type ToSimWorker =
  | { type: 'init'; sceneId: string; seed: number; paused: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'reset'; seed?: number }
  | { type: 'step'; frames: number; requestId: number }
  | { type: 'timeScale'; value: number }
  | { type: 'stop' }
  | { type: 'event'; event: ScenarioEvent };

export type FromSimWorker =
  | { type: 'ready'; scene: SceneSpec; dt: number; physicsBackend: string }
  | {
      type: 'snapshot';
      frame: number;
      time: number;
      poses: Float32Array;
      telemetry: Record<string, number>;
      realTimeFactor: number;
    }
  | { type: 'stepped'; requestId: number }
  | { type: 'error'; message: string };
