/**
 * How the physics envs (Ant-v0, Hopper-v0, QuadPayload-v0) reach a training worker: a module
 * exporting `createVecEnv(id, numEnvs, config)`, named by a job spec's `envModule`.
 * The envs run in the training worker's own thread, stepped in turn.
 */
import { ENV_SPECS, makeEnv } from '../../physics/envs/registry';
import type { EnvConfig, EnvId } from '../../physics/envs/types';
import { vecEnvFromEnvs, type GymEnvLike, type VecEnvLike } from './env';
import { createParallelVecEnv } from './parallel-vec-env';

export const PHYSICS_ENV_MODULE = new URL(import.meta.url).href;

export function isPhysicsEnv(id: string): id is EnvId {
  return Object.prototype.hasOwnProperty.call(ENV_SPECS, id);
}

export interface VecEnvOptions {
  /** Worker threads stepping the envs (1: in this thread). */
  workers?: number;
}

/** numEnvs envs of `id`, stepped in this thread or split over `workers` threads (same trajectories). */
export async function createVecEnv(id: string, numEnvs: number, config?: unknown, opts: VecEnvOptions = {}): Promise<VecEnvLike> {
  if (!isPhysicsEnv(id)) throw new Error(`unknown env "${id}"; physics envs: ${Object.keys(ENV_SPECS).join(', ')}`);
  const workers = Math.min(opts.workers ?? 1, numEnvs);
  if (workers > 1) return createParallelVecEnv(PHYSICS_ENV_MODULE, id, numEnvs, workers, config);
  return createVecEnvSlice(id, 0, numEnvs, config);
}

/** Envs firstIndex..firstIndex+count-1 of a vector of `id` (a worker's slice). */
export async function createVecEnvSlice(id: string, firstIndex: number, count: number, config?: unknown): Promise<VecEnvLike> {
  if (!isPhysicsEnv(id)) throw new Error(`unknown env "${id}"; physics envs: ${Object.keys(ENV_SPECS).join(', ')}`);
  const envs = await Promise.all(Array.from({ length: count }, () => makeEnv(id, (config ?? {}) as EnvConfig)));
  const vec = vecEnvFromEnvs(envs as unknown as GymEnvLike[], firstIndex);
  const close = vec.close?.bind(vec);
  vec.close = () => {
    close?.();
    for (const e of envs) e.dispose();
  };
  return vec;
}
