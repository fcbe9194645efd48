/**
 * The scenes a session can open: one SceneDefinition each (scene.ts), run by the scene host
 * (scene-host.ts) in the sim worker. A new scene is one more entry here; its panel, charts and
 * overlays come from its declaration.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SceneInfo } from '../../shared/contract';
import { ENV_SPECS } from '../../physics/envs/registry';
import type { EnvId } from '../../physics/envs/types';
import type { SceneDefinition } from './scene';
import { declaration } from './scene-host';
import { assetsDir } from './scenarios';

async function rapier() {
  const { loadRapier } = await import('../../physics/rapier');
  return loadRapier();
}

/** Env scenes: the env's own description; faults where breaking a leg is the point. */
const ENV_SCENES: { id: EnvId; title: string; faults: boolean }[] = [
  { id: 'Ant-v0', title: 'Ant', faults: true },
  { id: 'Hopper-v0', title: 'Hopper', faults: false },
  { id: 'QuadPayload-v0', title: 'Quadrotor + payload', faults: false },
];

export const SCENES: SceneDefinition[] = [
  {
    id: 'adapt-ant',
    title: 'Adaptation: ant, broken leg',
    description:
      'The ant follows a path (the x axis) under MPC with a meta-learned dynamics model (GrBAL, ReBAL, MB); break a leg and watch the model re-learn, beside an unadapted twin.',
    async declare() {
      const { ADAPT_CONTROLS, ADAPT_COMMANDS, ADAPT_TELEMETRY } = await import('./adapt-scene');
      return { controls: ADAPT_CONTROLS, commands: ADAPT_COMMANDS, telemetry: ADAPT_TELEMETRY, overlays: ['ghostPath', 'stretch', 'trackPath'], legs: 4 };
    },
    async create(seed) {
      const { AdaptScene } = await import('./adapt-scene');
      return AdaptScene.create(seed);
    },
  },
  {
    id: 'adapt-quad',
    title: 'Adaptation: quadrotor, unknown payload',
    description:
      'A quadrotor flies a figure-8 carrying a payload of unknown mass on a cable of unknown length; swap the payload mid-flight and watch the latent payload variable z (Belkhale et al. 2021) follow it, against MB, the oracle and PID.',
    async declare() {
      const { QuadScene } = await import('./quad-scene');
      return QuadScene.describe();
    },
    async create(seed) {
      const { QuadScene } = await import('./quad-scene');
      return QuadScene.create(seed);
    },
  },
  ...ENV_SCENES.map(
    ({ id, title, faults }): SceneDefinition => ({
      id,
      title,
      description: ENV_SPECS[id].description,
      async declare() {
        const { EnvScene } = await import('./env-scene');
        return EnvScene.describe(id, faults);
      },
      async create(seed) {
        const { EnvScene } = await import('./env-scene');
        return EnvScene.create(id, seed);
      },
    }),
  ),
  populationScene('Hopper-v0', 16),
  ...shippedDarcPairs().map(darcScene),
  {
    id: 'demo-falling',
    title: 'Falling bodies',
    description: 'Boxes and balls falling onto a ground, and a swinging chain of capsules on revolute joints.',
    declare: () => ({
      controls: [],
      telemetry: [
        { key: 'kinetic_energy', label: 'kinetic energy', unit: 'J', group: 'kinetic energy' },
        { key: 'max_height', label: 'highest body', unit: 'm', group: 'highest body' },
      ],
      overlays: [],
      commands: {},
    }),
    async create(seed) {
      const { FallingBodiesScene } = await import('../../physics/demo/falling-bodies');
      return new FallingBodiesScene(await rapier(), seed);
    },
  },
];

/**
 * `population:<env>:<n>`: n robots of an env side by side, each with its own DR draw
 * (population-scene.ts). The picker lists one size; the population legend reopens it with another.
 */
function populationScene(id: EnvId, n: number): SceneDefinition {
  return {
    id: `population:${id}:${n}`,
    title: `Population: ${n} randomized ${id.replace(/-v\d+$/, '').toLowerCase()}s`,
    description: `${n} ${id} robots side by side, each with its own domain-randomization draw (samplePopulation, as training draws them), coloured by a parameter or by return.`,
    async declare() {
      const { PopulationScene } = await import('./population-scene');
      return PopulationScene.describe(id);
    },
    async create(seed) {
      const { PopulationScene } = await import('./population-scene');
      return PopulationScene.create(id, n, seed);
    },
  };
}

/** Pairs (assets/pairs/<name>.json) whose DARC run ships its classifiers (assets/policies/<name>/darc-classifiers.json). */
function shippedDarcPairs(): string[] {
  const dir = join(assetsDir(), 'pairs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^[\w-]+\.json$/.test(f) && existsSync(join(assetsDir(), 'policies', f.slice(0, -5), 'darc-classifiers.json')))
    .map((f) => f.slice(0, -5))
    .sort();
}

/**
 * `darc:<pair>`: a policy in one domain of a pair, each step's dr from the pair's DARC classifiers,
 * a ghost of the other domain (darc-scene.ts).
 */
function darcScene(pair: string): SceneDefinition {
  return {
    id: `darc:${pair}`,
    title: `DARC: ${pair}, seeing dr`,
    description: `A policy in the source (or target) of pair ${pair}; each step's reward correction dr from the DARC classifiers colours its trail, a translucent ghost shows what the other domain does with the same actions.`,
    async declare() {
      const { DarcScene } = await import('./darc-scene');
      return DarcScene.describe(pair);
    },
    async create(seed) {
      const { DarcScene } = await import('./darc-scene');
      return DarcScene.create(pair, seed);
    },
  };
}

/** What the renderer gets of each scene: its declaration (host controls added), computed once. */
let listing: Promise<SceneInfo[]> | null = null;
export function listScenes(): Promise<SceneInfo[]> {
  listing ??= Promise.all(SCENES.map((def) => sceneInfo(def)));
  return listing;
}

export async function sceneInfo(def: SceneDefinition): Promise<SceneInfo> {
  const { id, title, description } = def;
  const { commands: _schemas, ...declared } = await declaration(def);
  return { id, title, description, ...declared };
}

export function findScene(id: string): SceneDefinition {
  if (id.startsWith('urdf:')) {
    // A user's robot (robot.open): the id carries the file and options.
    return {
      id,
      title: 'URDF robot',
      description: 'A robot loaded from a URDF file',
      async declare() {
        const { URDF_COMMANDS, URDF_TELEMETRY } = await import('./urdf-scene');
        return { controls: [], commands: URDF_COMMANDS, telemetry: URDF_TELEMETRY, overlays: [] };
      },
      async create() {
        const { UrdfScene } = await import('./urdf-scene');
        return UrdfScene.fromSceneId(id);
      },
    };
  }
  const pop = /^population:([\w-]+):(\d+)$/.exec(id);
  if (pop && !SCENES.some((s) => s.id === id)) {
    if (!(pop[1] in ENV_SPECS)) throw new Error(`unknown env "${pop[1]}" in scene "${id}"; known: ${Object.keys(ENV_SPECS).join(', ')}`);
    return populationScene(pop[1] as EnvId, Number(pop[2]));
  }
  const darc = /^darc:([\w-]+)$/.exec(id);
  if (darc && !SCENES.some((s) => s.id === id)) return darcScene(darc[1]);
  const entry = SCENES.find((s) => s.id === id);
  if (!entry) throw new Error(`unknown scene "${id}"; known: ${SCENES.map((s) => s.id).join(', ')}`);
  return entry;
}

export async function physicsBackendName(): Promise<string> {
  const R = await rapier();
  const { rapierFlavor } = await import('../../physics/rapier');
  return `rapier3d ${R.version()} (${rapierFlavor() === 'simd' ? 'SIMD' : 'compat'})`;
}
