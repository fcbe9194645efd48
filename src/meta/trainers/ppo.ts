/** PPO on the trainer platform (src/meta/rl/ppo.ts holds the algorithm). */
import { z } from 'zod';
import { defineTrainer, stepTrainer, vecEnvOf } from './entry.js';

/** PPO's update settings: shared by the trainers that take PPO's step on their own rollouts (epopt). */
export const PPO_UPDATE_FIELDS = {
  epochs: z.number().int().min(1).max(100).default(10).describe('optimization epochs per rollout'),
  minibatches: z.number().int().min(1).max(1024).default(32).describe('minibatches per epoch'),
  gamma: z.number().min(0).max(1).default(0.99).describe('discount factor'),
  lambda: z.number().min(0).max(1).default(0.95).describe('GAE lambda'),
  clip: z.number().positive().max(1).default(0.2).describe('surrogate clipping range'),
  lr: z.number().positive().max(1).default(3e-4).describe('Adam learning rate'),
  annealLr: z.boolean().default(true).describe('anneal the learning rate linearly to 0'),
  entCoef: z.number().min(0).default(0).describe('entropy bonus coefficient'),
  vfCoef: z.number().min(0).default(0.5).describe('value loss coefficient'),
  maxGradNorm: z.number().positive().default(0.5).describe('global gradient norm clip'),
  hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([64, 64]).describe('hidden layer sizes, e.g. 64,64'),
  activation: z.enum(['tanh', 'relu', 'elu']).default('tanh').describe('hidden activation'),
  initLogStd: z.number().min(-5).max(2).default(0).describe('initial log std of the Gaussian policy'),
  normalizeObs: z.boolean().default(true).describe('running observation normalization'),
  normalizeReward: z.boolean().default(true).describe('scale rewards by the running std of the discounted return'),
};

const config = z.object({
  numEnvs: z.number().int().min(1).max(256).default(8).describe('parallel envs collecting rollouts'),
  numSteps: z.number().int().min(1).max(100_000).default(256).describe('steps per env per rollout'),
  ...PPO_UPDATE_FIELDS,
});

export const ppoTrainer = defineTrainer({
  id: 'ppo',
  summary: 'PPO (clipped surrogate, GAE, observation and reward normalization): on-policy, many parallel envs',
  config,
  stepUnit: 'env steps',
  defaultSteps: 100_000,
  numEnvs: (c) => c.numEnvs,
  stepsPerIteration: (c) => c.numEnvs * c.numSteps,
  async create(ctx, c) {
    const { envId, seed, totalSteps } = ctx;
    const { PPO } = await import('../rl/ppo.js');
    const { numEnvs: _n, ...ppoConfig } = c;
    return stepTrainer(new PPO(vecEnvOf(ctx), { ...ppoConfig, seed, totalSteps }), envId, totalSteps);
  },
});
