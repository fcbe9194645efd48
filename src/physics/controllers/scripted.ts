/**
 * Scripted (not learned) policies that make sense for each env: the open-loop gaits of the
 * legged robots, the quadrotor's hover/track controller, and random and zero actions for all.
 * Scenes offer these beside the learned policies that ship for the env.
 */
import type { Env, EnvId } from '../envs/types.js';
import type { QuadPayloadEnv } from '../envs/quadPayload.js';
import type { Rng } from '../rng.js';
import { gaitAction } from '../simulate.js';
import { quadTracker } from './quad-track.js';

export interface ScriptedController {
  /** The action for this observation at episode step t. */
  act(obs: Float32Array, t: number, out: Float32Array): Float32Array;
  reset(): void;
}

export interface ScriptedPolicy {
  id: string;
  label: string;
  create(env: Env, rng: Rng): ScriptedController;
}

const stateless = (act: ScriptedController['act']): ScriptedController => ({ act, reset() {} });

const GAIT: ScriptedPolicy = { id: 'gait', label: 'scripted gait', create: (env) => stateless((_o, t, out) => gaitAction(env, t, out)) };
const TRACK: ScriptedPolicy = {
  id: 'track',
  label: 'hover/track controller (PD)',
  create: (env) => {
    const c = quadTracker(env as QuadPayloadEnv);
    return { act: (obs, _t, out) => c.act(obs, out), reset: () => c.reset() };
  },
};
const RANDOM: ScriptedPolicy = { id: 'random', label: 'random', create: (_env, rng) => stateless((_o, _t, out) => (rng.fillUniform(out, -1, 1), out)) };
const ZERO: ScriptedPolicy = { id: 'zero', label: 'zero', create: () => stateless((_o, _t, out) => out.fill(0)) };

const BY_ENV: Record<EnvId, ScriptedPolicy[]> = {
  'Ant-v0': [GAIT, RANDOM, ZERO],
  'Hopper-v0': [GAIT, RANDOM, ZERO],
  'QuadPayload-v0': [TRACK, RANDOM, ZERO],
};

/** The env's scripted policies, the first being the one a scene opens with when no learned one ships. */
export function scriptedPolicies(id: EnvId): ScriptedPolicy[] {
  return BY_ENV[id] ?? [RANDOM, ZERO];
}
