/**
 * The one trainer registry: `adaptlab train <id>`, the Runs view and the driver all read it.
 * A new algorithm is one file exporting a TrainerEntry, listed here.
 */
import type { TrainerEntry } from './entry.js';
import { ENV_SPECS } from '../../physics/envs/registry.js';
import { builtinTasks } from '../rl/tasks.js';
import { ppoTrainer } from './ppo.js';
import { sacTrainer } from './sac.js';
import { epoptTrainer } from './epopt.js';
import { darcTrainer } from './darc.js';
import { grbalTrainer, latentTrainer, mbhistTrainer, mbTrainer, paramsTrainer, rebalTrainer } from './model-based.js';

export const TRAINERS: readonly TrainerEntry[] = [ppoTrainer, sacTrainer, epoptTrainer, darcTrainer, mbTrainer, grbalTrainer, rebalTrainer, latentTrainer, paramsTrainer, mbhistTrainer] as unknown as TrainerEntry[];

export function findTrainer(id: string): TrainerEntry {
  const t = TRAINERS.find((e) => e.id === id);
  if (!t) throw new Error(`unknown algorithm "${id}" (registered: ${TRAINERS.map((e) => e.id).join(', ')})`);
  return t;
}

/** Every env a vec-env trainer (PPO, SAC) can train: the built-in tasks and the physics envs. */
export function vecEnvIds(): string[] {
  return [...Object.keys(builtinTasks), ...Object.keys(ENV_SPECS)];
}

/** The env ids an entry trains on. */
export function trainerEnvIds(entry: TrainerEntry): string[] {
  return entry.envs ? [...entry.envs()] : vecEnvIds();
}
