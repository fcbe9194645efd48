/**
 * What a simulation session drives: anything that steps at a fixed dt, draws as a SceneSpec
 * and writes body poses. The demo scene and (later) every registered environment fit it.
 */
import type { SceneCommand, SceneInfo } from '../../shared/contract';
import type { BodyStretch, SceneSpec } from '../../shared/scene';
import type { SimEvent } from '../../shared/snapshot';
import { ENV_SPECS } from '../../physics/envs/registry';
import type { EnvId } from '../../physics/envs/types';

export interface SceneRunner {
  readonly dt: number;
  spec(): SceneSpec;
  reset(seed: number): void;
  /** One fixed-dt step; may be async (a controller planning with tfjs). */
  step(): void | Promise<void>;
  writePoses(out: Float32Array): void;
  telemetry(): Record<string, number>;
  dispose(): void;
  /** Applies a scene command; returns a line for the log. Throws when unsupported. */
  command?(cmd: SceneCommand, simTime: number): string | Promise<string>;
  /** Events since the last call. */
  drainEvents?(): SimEvent[];
  /** Planned path to draw (xyz triples), if the scene plans. */
  ghost?(): number[] | null;
  /** Bodies to highlight (a broken leg). */
  highlight?(): number[];
  /** Bodies whose shapes a fault changed (a shrunk broken leg). */
  stretched?(): BodyStretch[];
  /** Rest lengths of the scene's tethers now. */
  tetherLengths?(): number[];
}

export interface SceneEntry extends SceneInfo {
  create(seed: number): Promise<SceneRunner>;
}

async function rapier() {
  const { loadRapier } = await import('../../physics/rapier');
  return loadRapier();
}

const ENV_SCENES: { id: EnvId; title: string; controls: SceneInfo['controls']; legs?: number }[] = [
  { id: 'Ant-v0', title: 'Ant', controls: ['policy', 'fault', 'clearFaults', 'randomize'], legs: 4 },
  { id: 'Hopper-v0', title: 'Hopper', controls: ['policy', 'randomize'] },
  { id: 'QuadPayload-v0', title: 'Quadrotor + payload', controls: ['policy', 'randomize'] },
];

export const SCENES: SceneEntry[] = [
  {
    id: 'adapt-ant',
    title: 'Adaptation: ant, broken leg',
    description:
      'The ant walks under MPC with a meta-learned dynamics model (GrBAL, ReBAL, MB); break a leg and watch the model re-learn.',
    controls: ['fault', 'clearFaults', 'adaptation', 'method'],
    legs: 4,
    async create(seed) {
      const { AdaptScene } = await import('./adapt-scene');
      return AdaptScene.create(seed);
    },
  },
  ...ENV_SCENES.map(
    ({ id, title, controls, legs }): SceneEntry => ({
      id,
      title,
      description: ENV_SPECS[id].description,
      controls,
      ...(legs ? { legs } : {}),
      async create(seed) {
        const { EnvScene } = await import('./env-scene');
        return EnvScene.create(id, seed);
      },
    }),
  ),
  {
    id: 'demo-falling',
    title: 'Falling bodies',
    description: 'Boxes and balls falling onto a ground, and a swinging chain of capsules on revolute joints.',
    controls: [],
    async create(seed) {
      const { FallingBodiesScene } = await import('../../physics/demo/falling-bodies');
      return new FallingBodiesScene(await rapier(), seed);
    },
  },
];

/** Scene list with each env's nominal parameters (for the DR panel), computed once. */
let listing: Promise<SceneInfo[]> | null = null;
export function listScenes(): Promise<SceneInfo[]> {
  listing ??= (async () => {
    const { EnvScene } = await import('./env-scene');
    const { defaultPolicy, listPolicies } = await import('./policies');
    return Promise.all(
      SCENES.map(async ({ create: _c, ...info }) => {
        if (!info.controls.includes('randomize')) return info;
        const policies = listPolicies(info.id).map(({ id, label }) => ({ id, label }));
        return { ...info, parameters: await EnvScene.parameters(info.id as EnvId), policies, defaultPolicy: defaultPolicy(policies) };
      }),
    );
  })();
  return listing;
}

export function findScene(id: string): SceneEntry {
  if (id.startsWith('urdf:')) {
    // A user's robot (robot.open): the id carries the file and options.
    return {
      id,
      title: 'URDF robot',
      description: 'A robot loaded from a URDF file',
      controls: ['joints', 'robotMode'],
      async create() {
        const { UrdfScene } = await import('./urdf-scene');
        return UrdfScene.fromSceneId(id);
      },
    };
  }
  const entry = SCENES.find((s) => s.id === id);
  if (!entry) throw new Error(`unknown scene "${id}"; known: ${SCENES.map((s) => s.id).join(', ')}`);
  return entry;
}

export async function physicsBackendName(): Promise<string> {
  const R = await rapier();
  const { rapierFlavor } = await import('../../physics/rapier');
  return `rapier3d ${R.version()} (${rapierFlavor() === 'simd' ? 'SIMD' : 'compat'})`;
}

/** Bodies of an ant leg (legs 0-3 are bodies aux_1..4 and foot_1..4). */
export function legBodies(spec: SceneSpec, leg: number): number[] {
  const suffix = `_${leg + 1}`;
  return spec.bodies.flatMap((b, i) => ((b.name.startsWith('aux') || b.name.startsWith('foot')) && b.name.endsWith(suffix) ? [i] : []));
}
