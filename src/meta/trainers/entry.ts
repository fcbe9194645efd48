/**
 * What a trainer is on the platform: a registry entry (id, summary, a zod config schema whose
 * defaults and one-line docs generate the CLI flags and the Runs form, the unit its steps count)
 * and the Trainer it creates, which the one driver (./driver.ts) runs: iterate until the step
 * budget, checkpoint getState(), resume with setState(), export policy().
 */
import type { z } from 'zod';
import type { Policy } from '../policy.js';
import type { VecEnvLike } from '../rl/env.js';

/** One metrics row: `step` plus named numbers (NaN allowed: written as null). */
export type TrainerMetrics = { step: number } & Record<string, number>;

export interface Trainer {
  /** Progress so far, in the entry's stepUnit. */
  readonly steps: number;
  /** One iteration (collect and/or learn); returns its metrics row. */
  iterate(): TrainerMetrics;
  /** Everything needed to continue the same curve (weights, optimizers, rng, env, buffers). */
  getState(): unknown;
  setState(state: unknown): void;
  /** The current policy, as a file-able policy (null for trainers that learn no policy). */
  policy(): Policy | null;
  /**
   * Files the run exports beside its checkpoints (name -> JSON value), rewritten at each one:
   * what a trainer without a policy produces (model-based: model.json, data.json).
   */
  artifacts?(): Record<string, unknown>;
  dispose(): void;
}

export interface TrainerContext {
  /** The vec env the driver made (numEnvs of them); null when the entry's numEnvs is 0 (it makes its own). */
  env: VecEnvLike | null;
  envId: string;
  seed: number;
  totalSteps: number;
  /**
   * Makes more vec envs the way the driver made `env` (same env module and workers): for trainers
   * that step a second env or configure their own (DARC's source and target, from its pair).
   */
  makeEnv(id: string, numEnvs: number, config?: unknown): Promise<VecEnvLike>;
}

// The schema type is kept loose (any zod object) so entries of different configs share a registry.
export type AnyConfigSchema = z.ZodObject<any>;

export interface TrainerEntry<S extends AnyConfigSchema = AnyConfigSchema> {
  id: string;
  /** One line for `adaptlab train --help` and the Runs view. */
  summary: string;
  /** Every field with a default and a one-line .describe(). */
  config: S;
  /** What `steps` counts (e.g. 'env steps'). */
  stepUnit: string;
  /** The file of a run `--copy-to` copies when the run is done (default: policy.json). */
  product?: string;
  /** The env ids it trains on (absent: every vec env, see trainerEnvIds in ./registry.ts). */
  envs?: () => readonly string[];
  /**
   * The env a config fixes, when it does (DARC: its pair's): `--env` may then be left out, and a
   * different one is refused.
   */
  fixedEnv?(config: z.infer<S>): string;
  /** The env config periodic evaluations (--eval-every) run in (absent: the run's own; DARC: its pair's target). */
  evalEnvConfig?(config: z.infer<S>): unknown;
  /** Default step budget when none is given. */
  defaultSteps: number;
  /** Parallel envs the trainer wants for this config (0: it builds its own env from the id). */
  numEnvs(config: z.infer<S>): number;
  /**
   * The run's length in stepUnit when the config fixes it (model-based: (1 + iterations) x
   * gradSteps); absent: the length is asked for (--steps, the Runs form).
   */
  totalSteps?(config: z.infer<S>): number;
  /** Steps between checkpoints (absent: about 20 per run). */
  checkpointEvery?(config: z.infer<S>): number;
  /** Steps one iteration takes (a run's budget is rounded up to whole iterations). */
  stepsPerIteration(config: z.infer<S>): number;
  /** Loads the algorithm lazily, so listing and validating entries never loads TensorFlow. */
  create(ctx: TrainerContext, config: z.infer<S>): Promise<Trainer>;
}

/** The driver's vec env, for trainers that asked for one (numEnvs > 0). */
export function vecEnvOf(ctx: TrainerContext): VecEnvLike {
  if (!ctx.env) throw new Error(`no vec env for ${ctx.envId}: the entry asked for 0 envs`);
  return ctx.env;
}

/** Typed helper: `defineTrainer({...})` checks an entry against its own schema's config type. */
export function defineTrainer<S extends AnyConfigSchema>(entry: TrainerEntry<S>): TrainerEntry<S> {
  return entry;
}

/** What PPO and SAC have in common: a class that counts env steps and keeps its config in its state. */
interface StepCountingAlgorithm<S extends { config: object }> {
  readonly envSteps: number;
  iterate(): object;
  getState(): S;
  setState(s: S): void;
  policy(envId: string): Policy;
  dispose(): void;
}

/**
 * A Trainer over such a class. On resume the run's step budget (which --steps may have changed)
 * replaces the one saved in the checkpoint's config.
 */
export function stepTrainer<S extends { config: object }>(algo: StepCountingAlgorithm<S>, envId: string, totalSteps: number): Trainer {
  return {
    get steps() {
      return algo.envSteps;
    },
    iterate: () => algo.iterate() as TrainerMetrics,
    getState: () => algo.getState(),
    setState: (s) => {
      const st = s as S;
      algo.setState({ ...st, config: { ...st.config, totalSteps } });
    },
    policy: () => algo.policy(envId),
    dispose: () => algo.dispose(),
  };
}
