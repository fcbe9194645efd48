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
import { QuadPayloadVelEnv, QUAD_VEL_ACTION_SIZE, QUAD_VEL_DEFAULT_CONFIG, QUAD_VEL_DT, QUAD_VEL_OBS_SIZE, type QuadVelConfig } from './quadPayloadVel.js';
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

/**
 * The paper's Hopper source distribution (Rajeswaran et al. 2017, Table 1): torso mass N(6, 1.5)
 * in [3, 9], ground friction N(2, 0.25) in [1.5, 2.5] (the foot's friction here, nominal 2 as in
 * MuJoCo's hopper), joint damping N(2.5, 1) in [1, 4] and armature N(1, 0.25) in [0.5, 1.5]
 * (one draw shared by the three joints). Absolute values, drawn once per episode. The Hopper's
 * suggested randomizers and `adaptlab train epopt --preset paper`.
 */
export const HOPPER_EPOPT_TERMS: DRTerm[] = [
  { target: 'mass', select: ['torso'], operation: 'abs', mode: 'reset', distribution: { kind: 'normal', mean: 6, std: 1.5, low: 3, high: 9 } },
  { target: 'friction', select: ['foot'], operation: 'abs', mode: 'reset', distribution: { kind: 'normal', mean: 2, std: 0.25, low: 1.5, high: 2.5 } },
  { target: 'damping', operation: 'abs', mode: 'reset', shared: true, distribution: { kind: 'normal', mean: 2.5, std: 1, low: 1, high: 4 } },
  { target: 'armature', operation: 'abs', mode: 'reset', shared: true, distribution: { kind: 'normal', mean: 1, std: 0.25, low: 0.5, high: 1.5 } },
];

/** The quadrotor's suggested DR: payload mass (kg) and cable length (m) per episode, rotor strength +-10%. */
const QUAD_PAYLOAD_TERMS: DRTerm[] = [
  { target: 'payload_mass', distribution: u(0.05, 0.3), operation: 'abs', mode: 'reset' },
  { target: 'cable_length', distribution: u(0.3, 1.0), operation: 'abs', mode: 'reset' },
  { target: 'strength', distribution: u(0.9, 1.1), operation: 'scale', mode: 'reset' },
];

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
    randomizers: HOPPER_EPOPT_TERMS,
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
    randomizers: QUAD_PAYLOAD_TERMS,
    make: (R, c) => new QuadPayloadEnv(R, c as QuadConfig),
  },
  'QuadPayloadVel-v0': {
    id: 'QuadPayloadVel-v0',
    description: 'QuadPayload-v0 through its cascaded flight controller: actions are velocity commands held 0.1 s',
    maxEpisodeSteps: QUAD_VEL_DEFAULT_CONFIG.maxEpisodeSteps,
    dt: QUAD_VEL_DT,
    observationSize: QUAD_VEL_OBS_SIZE,
    actionSize: QUAD_VEL_ACTION_SIZE,
    defaultConfig: QUAD_VEL_DEFAULT_CONFIG,
    randomizers: QUAD_PAYLOAD_TERMS,
    make: (R, c) => new QuadPayloadVelEnv(R, c as QuadVelConfig),
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
