/**
 * How the physics envs (Ant-v0, Hopper-v0, QuadPayload-v0) reach a training worker: a module
 * exporting `createVecEnv(id, numEnvs, config)`, named by a job spec's `envModule`.
 * The envs run in the training worker's own thread, stepped in turn.
 */
import { ENV_SPECS, makeEnv } from '../../physics/envs/registry';
import type { EnvConfig, EnvId } from '../../physics/envs/types';
import { vecEnvFromEnvs, type GymEnvLike, type VecEnvLike } from './env';

export const PHYSICS_ENV_MODULE = new URL(import.meta.url).href;

export function isPhysicsEnv(id: string): id is EnvId {
  return Object.prototype.hasOwnProperty.call(ENV_SPECS, id);
}

export async function createVecEnv(id: string, numEnvs: number, config?: unknown): Promise<VecEnvLike> {
  if (!isPhysicsEnv(id)) throw new Error(`unknown env "${id}"; physics envs: ${Object.keys(ENV_SPECS).join(', ')}`);
  const envs = await Promise.all(Array.from({ length: numEnvs }, () => makeEnv(id, (config ?? {}) as EnvConfig)));
  const vec = vecEnvFromEnvs(envs as unknown as GymEnvLike[]);
  const close = vec.close?.bind(vec);
  vec.close = () => {
    close?.();
    for (const e of envs) e.dispose();
  };
  return vec;
}
