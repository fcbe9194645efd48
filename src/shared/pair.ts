/**
 * A source/target pair for off-dynamics RL (DARC): two env configs of envs with the same
 * observations and actions, e.g. an ant and the same ant with a dead hip motor. A pair is a file
 * `assets/pairs/<name>.json`; faults and DR terms are what make the two differ.
 */
import { z } from 'zod';
import { envConfigSchema } from './env-config';

export const DOMAINS = ['source', 'target'] as const;
export type Domain = (typeof DOMAINS)[number];

/** One side of a pair: an env id and its config. */
export const domainSpecSchema = z
  .object({
    env: z.string().min(1).max(200),
    config: envConfigSchema.default({}),
  })
  .strict();
export type DomainSpec = z.infer<typeof domainSpecSchema>;

export const envPairSchema = z
  .object({
    /** One line on what differs and why it matters. */
    description: z.string().max(500).optional(),
    source: domainSpecSchema,
    target: domainSpecSchema,
  })
  .strict();
export type EnvPair = z.infer<typeof envPairSchema>;
