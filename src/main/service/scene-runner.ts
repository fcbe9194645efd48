/**
 * What a simulation session drives: anything that steps at a fixed dt, draws as a SceneSpec
 * and writes body poses. The demo scene and (later) every registered environment fit it.
 */
import type { SceneInfo } from '../../shared/contract';
import type { SceneSpec } from '../../shared/scene';
import type { ScenarioEvent } from '../../shared/scenario';

export interface SceneRunner {
  readonly dt: number;
  spec(): SceneSpec;
  reset(seed: number): void;
  step(): void;
  writePoses(out: Float32Array): void;
  telemetry(): Record<string, number>;
  dispose(): void;
  /** Applies a scenario event; scenes that have one list the actions in their entry's `events`. */
  event?(e: ScenarioEvent): void;
}

export interface SceneEntry extends SceneInfo {
  create(seed: number): Promise<SceneRunner>;
}

async function rapier() {
  const R = (await import('@dimforge/rapier3d-compat')).default;
  await R.init();
  return R;
}

export const SCENES: SceneEntry[] = [
  {
    id: 'demo-falling',
    title: 'Falling bodies',
    description: 'Boxes and balls falling onto a ground, and a swinging chain of capsules on revolute joints.',
    async create(seed) {
      const { FallingBodiesScene } = await import('../../physics/demo/falling-bodies');
      return new FallingBodiesScene(await rapier(), seed);
    },
  },
];

export function findScene(id: string): SceneEntry {
  const entry = SCENES.find((s) => s.id === id);
  if (!entry) throw new Error(`unknown scene "${id}"; known: ${SCENES.map((s) => s.id).join(', ')}`);
  return entry;
}

export async function physicsBackendName(): Promise<string> {
  const R = await rapier();
  return `rapier3d-compat ${R.version()}`;
}
