/**
 * Env configs as data files and messages carry them: the schemas of DR terms (dr-terms.ts), faults
 * and scheduled faults (the physics envs' Fault and ScheduledFault), and an env config that holds
 * them. Env-specific fields (Ant's includeXY, PointReach's forceScale) pass through: the env that
 * receives the config checks them.
 */
import { z } from 'zod';
import type { DRTerm } from './dr-terms';

const finite = z.number().finite();

/** One DR term (shared/dr-terms.ts), as the DR panel sends it and env configs hold it. */
export const drTermSchema = z
  .object({
    target: z.string().min(1).max(100),
    select: z.array(z.string().min(1).max(100)).max(256).optional(),
    distribution: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('uniform'), low: finite, high: finite }).strict(),
      z.object({ kind: z.literal('loguniform'), low: finite, high: finite }).strict(),
      z.object({ kind: z.literal('normal'), mean: finite, std: finite, low: finite.optional(), high: finite.optional() }).strict(),
    ]),
    operation: z.enum(['add', 'scale', 'abs']),
    mode: z.enum(['startup', 'reset', 'interval']),
    intervalSteps: z.number().int().min(1).max(1e6).optional(),
    shared: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<DRTerm>; // the schema and the shared type describe the same object

/** A list of terms (a scene's `randomize` control; a terms file: `train epopt --terms`, `adapt-source --out`). */
export const drTermsSchema = z.array(drTermSchema).max(64);

const joint = z.union([z.string().min(1).max(100), z.number().int().min(0).max(1024)]);

/** A fault (src/physics/envs/types.ts Fault): cripple a leg, lock a joint, weaken (0: kill) a motor, set parameters (a payload swap). */
export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cripple'), leg: z.number().int().min(0).max(64), shrink: z.boolean().optional(), shrinkFactor: z.number().gt(0).max(1).optional() }).strict(),
  z.object({ kind: z.literal('lockJoint'), joint }).strict(),
  z.object({ kind: z.literal('weakenMotor'), joint, factor: z.number().min(0).max(10) }).strict(),
  z.object({ kind: z.literal('setParams'), params: z.record(z.string().min(1).max(100), z.number().finite()) }).strict(),
]);

/** A fault that fires at env step `atStep` of every episode (0: from the first step on). */
export const scheduledFaultSchema = z.object({ atStep: z.number().int().min(0).max(1e7), fault: faultSchema }).strict();

/** An env config: DR terms, scheduled faults, and the env's own fields (checked by the env). */
export const envConfigSchema = z
  .object({
    randomize: drTermsSchema.optional(),
    faults: z.array(scheduledFaultSchema).max(64).optional(),
    maxEpisodeSteps: z.number().int().min(1).max(1e7).optional(),
  })
  .catchall(z.unknown());
export type EnvConfigData = z.infer<typeof envConfigSchema>;
