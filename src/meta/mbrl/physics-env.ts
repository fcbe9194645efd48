/**
 * A physics env (src/physics/envs) seen through the model-based contract (./types.ts MbEnv):
 * the task families built on Rapier envs (Ant-v0, QuadPayloadVel-v0) share this adapter.
 */
import type { Env, Fault } from '../../physics/envs/types.js';
import type { MbEnv } from './types.js';

export function mbEnvOf(env: Env): MbEnv {
  return {
    id: env.id,
    observationSize: env.observationSize,
    actionSize: env.actionSize,
    dt: env.dt,
    maxEpisodeSteps: env.maxEpisodeSteps,
    reset: (o) => env.reset(o),
    step: (a) => env.step(a),
    applyFault: (f) => env.applyFault(f as Fault),
    rewardFromTransition: (o, a, n, out) => env.rewardFromTransition(o, a, n, out),
    params: () => env.params(),
    dispose: () => env.dispose(),
  };
}
