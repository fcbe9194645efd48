/** SAC on the trainer platform (src/meta/rl/sac.ts holds the algorithm). */
import { z } from 'zod';
import { defineTrainer, stepTrainer, vecEnvOf } from './entry.js';

/** SAC's fields, which DARC's schema shares. */
export const SAC_FIELDS = {
  numEnvs: z.number().int().min(1).max(64).default(1).describe('parallel envs (each env step adds numEnvs transitions and updates)'),
  stepsPerIteration: z.number().int().min(1).max(1_000_000).default(1000).describe('env steps per metrics row'),
  hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([256, 256]).describe('hidden layer sizes of actor and critics'),
  activation: z.enum(['relu', 'tanh', 'elu']).default('relu').describe('hidden activation'),
  gamma: z.number().min(0).max(1).default(0.99).describe('discount factor'),
  tau: z.number().positive().max(1).default(0.005).describe('Polyak rate of the target critics'),
  batchSize: z.number().int().min(1).max(65_536).default(256).describe('minibatch size'),
  bufferSize: z.number().int().min(1).max(10_000_000).default(1_000_000).describe('replay capacity (transitions)'),
  learningStarts: z.number().int().min(0).default(5000).describe('uniform random actions for this many steps before learning'),
  policyLr: z.number().positive().max(1).default(3e-4).describe('actor learning rate'),
  qLr: z.number().positive().max(1).default(1e-3).describe('critic (and alpha) learning rate'),
  policyFrequency: z.number().int().min(1).max(100).default(2).describe('actor updated every N critic steps, N times'),
  updatesPerStep: z.number().int().min(1).max(100).default(1).describe('critic gradient steps per env step'),
  autotune: z.boolean().default(true).describe('tune the entropy temperature alpha'),
  alpha: z.number().positive().default(0.2).describe('entropy temperature (its start when tuned)'),
};

const config = z.object(SAC_FIELDS);

export const sacTrainer = defineTrainer({
  id: 'sac',
  summary: 'Soft Actor-Critic (twin Q, target critics, automatic entropy tuning): off-policy, replay buffer',
  config,
  stepUnit: 'env steps',
  defaultSteps: 100_000,
  numEnvs: (c) => c.numEnvs,
  stepsPerIteration: (c) => Math.max(c.numEnvs, Math.round(c.stepsPerIteration / c.numEnvs) * c.numEnvs),
  async create(ctx, c) {
    const { envId, seed, totalSteps } = ctx;
    const { SAC } = await import('../rl/sac.js');
    const { numEnvs: _n, ...sacConfig } = c;
    return stepTrainer(new SAC(vecEnvOf(ctx), { ...sacConfig, seed, totalSteps }), envId, totalSteps);
  },
});
