/**
 * DR terms (./dr-terms.ts) as a zod schema: what the DR panel sends (a scene's `randomize`
 * control) and what a terms file holds (`adaptlab train epopt --terms`, `adapt-source --out`).
 */
import { z } from 'zod';
import type { DRTerm } from './dr-terms';

const finite = z.number().finite();

/** One DR term (shared/dr-terms.ts), as the DR panel sends it. */
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

/** A list of terms (a scene control's value; a terms file; empty: no randomization). */
export const drTermsSchema = z.array(drTermSchema).max(64);

