/**
 * Env registry: id -> factory, default config and the default randomizers (like MuJoCo
 * Playground's _envs/_cfgs/_randomizer). Sizes, dt and max episode steps are the env modules'
 * own (their defaults), never restated here. Await `loadRapier()` (done by makeEnv).
 */
import { loadRapier, rapier, type Rapier } from '../rapier.js';
import type { DRTerm } from '../randomization.js';
import { AntEnv, ANT_ACTION_SIZE, ANT_DEFAULT_CONFIG, ANT_DT, ANT_OBS_SIZE, type AntConfig } from './ant.js';
import { HopperEnv, HOPPER_ACTION_SIZE, HOPPER_DEFAULT_CONFIG, HOPPER_DT, HOPPER_OBS_SIZE, type HopperConfig } from './hopper.js';
import { QuadPayloadEnv, QUAD_ACTION_SIZE, QUAD_DEFAULT_CONFIG, QUAD_DT, QUAD_OBS_SIZE, type QuadConfig } from './quadPayload.js';
import type { Env, EnvConfig, EnvId } from './types.js';

export interface EnvSpec {
  id: EnvId;
  description: string;
  /** the following four are the env's with its default config (e.g. Ant-v0 without includeXY) */
  maxEpisodeSteps: number;
  /** seconds per env step */
  dt: number;
  observationSize: number;
  actionSize: number;
  defaultConfig: EnvConfig;
  /** suggested DR terms (not applied unless passed as config.randomize) */
  randomizers: DRTerm[];
  make(R: Rapier, config?: EnvConfig): Env;
}

const u = (low: number, high: number) => ({ kind: 'uniform' as const, low, high });

export const ENV_SPECS: Record<EnvId, EnvSpec> = {
  'Ant-v0': {
    id: 'Ant-v0',
    description: "Gymnasium Ant (torso + 4 two-joint legs, gear 150) on Rapier",
    maxEpisodeSteps: ANT_DEFAULT_CONFIG.maxEpisodeSteps,
    dt: ANT_DT,
    observationSize: ANT_OBS_SIZE,
    actionSize: ANT_ACTION_SIZE,
    defaultConfig: ANT_DEFAULT_CONFIG,
    randomizers: [
      { target: 'mass', distribution: u(0.8, 1.2), operation: 'scale', mode: 'reset' },
      { target: 'friction', distribution: u(0.5, 1.5), operation: 'abs', mode: 'reset', shared: true },
      { target: 'damping', distribution: u(0.5, 2), operation: 'scale', mode: 'reset' },
      { target: 'armature', distribution: u(0.5, 1.5), operation: 'scale', mode: 'reset' },
      { target: 'strength', distribution: u(0.8, 1.2), operation: 'scale', mode: 'reset' },
    ],
    make: (R, c) => new AntEnv(R, c as AntConfig),
  },
  'Hopper-v0': {
    id: 'Hopper-v0',
    description: 'Gymnasium Hopper (planar torso, thigh, leg, foot; gear 200) on Rapier',
    maxEpisodeSteps: HOPPER_DEFAULT_CONFIG.maxEpisodeSteps,
    dt: HOPPER_DT,
    observationSize: HOPPER_OBS_SIZE,
    actionSize: HOPPER_ACTION_SIZE,
    defaultConfig: HOPPER_DEFAULT_CONFIG,
    randomizers: [
      // EPOpt's hopper: torso mass, ground friction, joint damping, armature
      { target: 'mass', select: ['torso'], distribution: u(3, 9), operation: 'abs', mode: 'reset' },
      { target: 'friction', distribution: u(1.5, 2.5), operation: 'abs', mode: 'reset', shared: true },
      { target: 'damping', distribution: u(0.5, 1.5), operation: 'scale', mode: 'reset', shared: true },
      { target: 'armature', distribution: u(0.5, 1.5), operation: 'scale', mode: 'reset', shared: true },
    ],
    make: (R, c) => new HopperEnv(R, c as HopperConfig),
  },
  'QuadPayload-v0': {
    id: 'QuadPayload-v0',
    description: 'Quadrotor with a cable-suspended payload (Belkhale et al. 2021-like)',
    maxEpisodeSteps: QUAD_DEFAULT_CONFIG.maxEpisodeSteps,
    dt: QUAD_DT,
    observationSize: QUAD_OBS_SIZE,
    actionSize: QUAD_ACTION_SIZE,
    defaultConfig: QUAD_DEFAULT_CONFIG,
    randomizers: [
      { target: 'payload_mass', distribution: u(0.05, 0.3), operation: 'abs', mode: 'reset' },
      { target: 'cable_length', distribution: u(0.3, 1.0), operation: 'abs', mode: 'reset' },
      { target: 'strength', distribution: u(0.9, 1.1), operation: 'scale', mode: 'reset' },
    ],
    make: (R, c) => new QuadPayloadEnv(R, c as QuadConfig),
  },
};

/** Registered envs (Gym-style `max_episode_steps` alias included). */
export function listEnvs(): (Omit<EnvSpec, 'make'> & { max_episode_steps: number })[] {
  return Object.values(ENV_SPECS).map(({ make: _make, ...rest }) => ({ ...rest, max_episode_steps: rest.maxEpisodeSteps }));
}

export function isEnvId(id: string): id is EnvId {
  return id in ENV_SPECS;
}

/** Create an env (loads Rapier first). */
export async function makeEnv(id: EnvId, config: EnvConfig = {}): Promise<Env> {
  const R = await loadRapier();
  return makeEnvSync(id, config, R);
}

/** Create an env synchronously; Rapier must already be loaded (await loadRapier()). */
export function makeEnvSync(id: EnvId, config: EnvConfig = {}, R: Rapier = rapier()): Env {
  const spec = ENV_SPECS[id];
  if (!spec) throw new Error(`unknown env ${id}; known: ${Object.keys(ENV_SPECS).join(', ')}`);
  return spec.make(R, config);
}
