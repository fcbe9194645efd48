/**
 * The one trainer registry: `adaptlab train <id>`, the Runs view and the driver all read it.
 * A new algorithm is one file exporting a TrainerEntry, listed here.
 */
import type { TrainerEntry } from './entry.js';
import { ppoTrainer } from './ppo.js';
import { sacTrainer } from './sac.js';

export const TRAINERS: readonly TrainerEntry[] = [ppoTrainer, sacTrainer] as unknown as TrainerEntry[];

export function findTrainer(id: string): TrainerEntry {
  const t = TRAINERS.find((e) => e.id === id);
  if (!t) throw new Error(`unknown algorithm "${id}" (registered: ${TRAINERS.map((e) => e.id).join(', ')})`);
  return t;
}
