/**
 * The scene plug-in interface. A scene supplies what only it knows: how to build and step its
 * world, what to report and draw, and the controls it takes. The host (scene-host.ts) owns the
 * rest: the clock, episodes, resets, the fault timeline and events. A new scene is one object
 * registered in scene-runner.ts's SCENES (or handed to SceneHost directly, as tests do).
 */
import type { z } from 'zod';
import type { SceneInfo } from '../../shared/contract';
import type { SceneDeclaration } from '../../shared/scene-decl';
import type { SceneSpec } from '../../shared/scene';
import type { Fault, LegPart } from '../../physics/envs/types';

/** What a step reports: `done` ends the episode (the host notes it and starts the next). */
export interface SceneStep {
  done?: boolean;
  /** Why it ended, for the event ("terminated, return 812.4"). */
  note?: string;
}

/** What a scene's command handler may ask of the host. */
export interface HostContext {
  /** Session time now (s). */
  readonly time: number;
  /** Adds an event at the current time (chart marker and log line). */
  note(kind: string, label: string): void;
  /** Ends the episode here and starts a new one (faults cleared; the scene's reset is called). */
  restartEpisode(): void;
}

export interface Scene {
  /** Simulated seconds per step. */
  readonly dt: number;
  spec(): SceneSpec;
  /** Starts an episode with this seed (the host calls it on open, on reset and after `done`). */
  reset(seed: number): void;
  /** One fixed-dt step; may be async (a controller planning with tfjs). */
  step(): SceneStep | void | Promise<SceneStep | void>;
  writePoses(out: Float32Array): void;
  telemetry(): Record<string, number>;
  /** Data for its declared overlays this frame, by overlay kind. */
  overlays?(): Record<string, unknown>;
  /** The robot's legs (from the env's robot model), where legs can be broken. */
  legs?(): LegPart[];
  applyFault?(fault: Fault): void;
  /** Carries out a declared control; `value` has passed the control's schema. Returns a log line. */
  command?(control: string, value: unknown, host: HostContext): string | Promise<string>;
  dispose(): void;
}

/** Declaration plus what only the main side needs: the legs and DR parameters it lists. */
export interface SceneListing extends SceneDeclaration {
  legs?: number;
  parameters?: Record<string, number>;
  /** What a 'drTerms' control edits (SceneInfo.dr). */
  dr?: SceneInfo['dr'];
  /** Shipped robustness curves (SceneInfo.robustness). */
  robustness?: SceneInfo['robustness'];
}

/** A declaration as the main side holds it: with the schema of each control's value. */
export interface SceneDeclared extends SceneListing {
  /** The schema of each control's value; a command for any other control is refused. */
  commands: Record<string, z.ZodType>;
}

export interface SceneDefinition {
  id: string;
  title: string;
  description: string;
  /** Its controls (and their schemas), telemetry and overlays; may read files (shipped policies, nominal parameters). */
  declare(): SceneDeclared | Promise<SceneDeclared>;
  create(seed: number): Promise<Scene>;
}
