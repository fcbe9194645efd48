/**
 * Scripted (not learned) policies that make sense for each env: the open-loop gaits of the
 * legged robots, the quadrotor's PID tracker, and random and zero actions for all.
 * Scenes offer these beside the learned policies that ship for the env.
 */
import type { Env, EnvId } from '../envs/types.js';
import type { QuadPayloadEnv } from '../envs/quadPayload.js';
import { physicsStepsPer, QUAD_VEL_DEFAULT_CONFIG, type QuadPayloadVelEnv } from '../envs/quadPayloadVel.js';
import type { Rng } from '../rng.js';
import { gaitAction } from '../simulate.js';
import { QuadCascade } from './quad-cascade.js';
import { quadPid } from './quad-pid.js';

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
/**
 * The per-axis PID tracker (quad-pid.ts) on the velocity interface. On QuadPayloadVel-v0 it is
 * the action itself; on the rotor-level QuadPayload-v0 it runs exactly as QuadPayloadVel-v0 does:
 * a velocity command every control period (0.1 s), held while the cascade (quad-cascade.ts) turns
 * it into rotor commands at every physics step.
 */
const PID: ScriptedPolicy = {
  id: 'pid',
  label: 'PID tracker (velocity commands, cascaded flight controller)',
  create: (env) => {
    if (env.id === 'QuadPayloadVel-v0') {
      const vel = env as QuadPayloadVelEnv;
      const pid = quadPid(vel.dt, vel.maxSpeed);
      return { act: (obs, _t, out) => pid.act(obs, out), reset: () => pid.reset() };
    }
    const quad = env as QuadPayloadEnv;
    const hold = physicsStepsPer(QUAD_VEL_DEFAULT_CONFIG.controlPeriod);
    const { maxSpeed } = QUAD_VEL_DEFAULT_CONFIG;
    const pid = quadPid(hold * quad.dt, maxSpeed);
    const cascade = new QuadCascade(quad);
    const command = new Float32Array(3);
    const v = new Float64Array(3);
    return {
      act(obs, t, out) {
        if (t % hold === 0) {
          pid.act(obs, command);
          for (let i = 0; i < 3; i++) v[i] = command[i] * maxSpeed;
        }
        return cascade.rotorCommands(obs, v, out);
      },
      reset() {
        pid.reset();
        cascade.reset();
      },
    };
  },
};
const RANDOM: ScriptedPolicy = { id: 'random', label: 'random', create: (_env, rng) => stateless((_o, _t, out) => (rng.fillUniform(out, -1, 1), out)) };
const ZERO: ScriptedPolicy = { id: 'zero', label: 'zero', create: () => stateless((_o, _t, out) => out.fill(0)) };

const BY_ENV: Record<EnvId, ScriptedPolicy[]> = {
  'Ant-v0': [GAIT, RANDOM, ZERO],
  'Hopper-v0': [GAIT, RANDOM, ZERO],
  'QuadPayload-v0': [PID, RANDOM, ZERO],
  'QuadPayloadVel-v0': [PID, RANDOM, ZERO],
};

/** The env's scripted policies, the first being the one a scene opens with when no learned one ships. */
export function scriptedPolicies(id: EnvId): ScriptedPolicy[] {
  return BY_ENV[id] ?? [RANDOM, ZERO];
}
