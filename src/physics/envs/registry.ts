/**
 * Env registry: id -> factory, default config, max episode steps and the default randomizers
 * (like MuJoCo Playground's _envs/_cfgs/_randomizer). Await `loadRapier()` (done by makeEnv).
 */
import { loadRapier, rapier, type Rapier } from '../rapier.js';
import type { DRTerm } from '../randomization.js';
import { AntEnv, ANT_DEFAULT_CONFIG, type AntConfig } from './ant.js';
import { HopperEnv, HOPPER_DEFAULT_CONFIG, type HopperConfig } from './hopper.js';
import { QuadPayloadEnv, QUAD_DEFAULT_CONFIG, type QuadConfig } from './quadPayload.js';
import type { Env, EnvConfig, EnvId } from './types.js';

export interface EnvSpec {
  id: EnvId;
  description: string;
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
    maxEpisodeSteps: 1000,
    dt: 0.05,
    observationSize: 27,
    actionSize: 8,
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
    maxEpisodeSteps: 1000,
    dt: 0.008,
    observationSize: 11,
    actionSize: 3,
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
    maxEpisodeSteps: 500,
    dt: 0.02,
    observationSize: 22,
    actionSize: 4,
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
