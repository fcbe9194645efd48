/** Messages between a simulation session and its worker thread (internal to src/main). */
import type { SceneCommand } from '../../shared/contract';
import type { SceneSpec } from '../../shared/scene';
import type { SimEvent } from '../../shared/snapshot';

export type ToSimWorker =
  | { type: 'init'; sceneId: string; seed: number; paused: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'reset'; seed?: number }
  | { type: 'step'; frames: number; requestId: number }
  | { type: 'timeScale'; value: number }
  | { type: 'command'; command: SceneCommand; requestId: number }
  | { type: 'stop' };

export type FromSimWorker =
  | { type: 'ready'; scene: SceneSpec; dt: number; physicsBackend: string }
  | {
      type: 'snapshot';
      frame: number;
      time: number;
      poses: Float32Array;
      telemetry: Record<string, number>;
      realTimeFactor: number;
      events?: SimEvent[];
      ghost?: number[];
    }
  | { type: 'stepped'; requestId: number }
  | { type: 'commanded'; requestId: number; ok: boolean; message: string }
  | { type: 'error'; message: string };
