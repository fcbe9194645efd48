/**
 * DARC on the trainer platform (src/meta/rl/darc.ts holds the algorithm). A run trains one
 * source/target pair (`--pair assets/pairs/broken-ant.json`): the pair fixes the env and both
 * configs, so the entry asks the driver for no env (numEnvs 0) and builds source and target from
 * the pair with the driver's env factory. Steps count source env steps; periodic evaluations
 * (--eval-every) run in the target, where the method is judged.
 */
import { z } from 'zod';
import { defineTrainer, stepTrainer, type TrainerContext } from './entry.js';
import { SAC_FIELDS } from './sac.js';
import { loadPair } from '../pairs.js';
import { DARC_CLASSIFIERS_FILE, darcClassifierFile } from '../rl/darc-classifier-file.js';
import type { EnvPair } from '../../shared/pair.js';
import type { VecEnvLike } from '../rl/env.js';

const config = z.object({
  pair: z.string().min(1).max(1000).describe('source/target pair file, e.g. assets/pairs/broken-ant.json (fixes the env)'),
  ...SAC_FIELDS,
  numEnvs: z.number().int().min(1).max(64).default(1).describe('parallel source envs (the target steps one env)'),
  qLr: z.number().positive().max(1).default(3e-4).describe('critic (and alpha) learning rate'),
  learningStarts: z.number().int().min(0).default(10_000).describe('uniform random source steps before learning'),
  targetRatio: z.number().int().min(1).max(1_000_000).default(10).describe('source steps per target step after the warm-up'),
  targetRandomSteps: z.number().int().min(0).max(1e9).default(10_000).describe('uniform random target steps taken first'),
  warmupSteps: z.number().int().min(0).max(1e9).default(20_000).describe('source steps before dr joins the reward and the policy acts in the target'),
  drScale: z.number().min(0).max(1000).default(1).describe('weight of dr in the reward r + drScale * dr (0: SAC on the source)'),
  classifierHidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([32]).describe('hidden ReLU layers of the domain classifiers'),
  classifierNoise: z.number().min(0).max(100).default(1).describe('std of the Gaussian input noise while training the classifiers'),
  classifierLr: z.number().positive().max(1).default(3e-4).describe('classifier learning rate (Adam)'),
});

/** JSON with sorted keys: a pair compared by content, not by how its file orders fields. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** One side's vec env from the pair, its errors naming the pair and the side. */
async function domainEnv(ctx: TrainerContext, file: string, pair: EnvPair, side: 'source' | 'target', n: number): Promise<VecEnvLike> {
  try {
    return await ctx.makeEnv(pair[side].env, n, pair[side].config);
  } catch (e) {
    throw new Error(`pair ${file}: ${side} (${pair[side].env}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

export const darcTrainer = defineTrainer({
  id: 'darc',
  summary: 'DARC: SAC in a source env on r + dr from two domain classifiers, few target steps (off-dynamics RL; --pair FILE)',
  config,
  stepUnit: 'source env steps',
  defaultSteps: 200_000,
  numEnvs: () => 0,
  fixedEnv: (c) => loadPair(c.pair).source.env,
  evalEnvConfig: (c) => loadPair(c.pair).target.config,
  stepsPerIteration: (c) => Math.max(c.numEnvs, Math.round(c.stepsPerIteration / c.numEnvs) * c.numEnvs),
  async create(ctx, c) {
    const { envId, seed, totalSteps } = ctx;
    const pair = loadPair(c.pair);
    if (pair.source.env !== envId) throw new Error(`pair ${c.pair} trains ${pair.source.env}, not ${envId} (leave --env out: the pair fixes it)`);
    const { DARC } = await import('../rl/darc.js');
    const source = await domainEnv(ctx, c.pair, pair, 'source', c.numEnvs);
    const target = await domainEnv(ctx, c.pair, pair, 'target', 1).catch((e: unknown) => {
      source.close?.();
      throw e;
    });
    const { pair: _p, numEnvs: _n, ...darcConfig } = c;
    const darc = new DARC(source, target, { ...darcConfig, seed, totalSteps });
    const trainer = stepTrainer(darc, envId, totalSteps);
    const setState = trainer.setState;
    // the checkpoint keeps the pair it trained on: a pair file edited since cannot continue it
    return Object.assign(trainer, {
      getState: () => ({ ...darc.getState(), pair }),
      // the classifiers, read-only, for reading dr outside training (the DARC view): policy.json holds only the actor
      artifacts: () => ({
        [DARC_CLASSIFIERS_FILE]: darcClassifierFile(darc.classifiers.getState().params, {
          env: envId,
          observationSize: darc.classifiers.observationSize,
          actionSize: darc.classifiers.actionSize,
          pair,
          meta: { steps: darc.envSteps, targetSteps: darc.targetSteps, warmupSteps: darc.config.warmupSteps, classifierHidden: darc.config.classifierHidden, seed },
        }),
      }),
      setState: (s: unknown) => {
        const saved = (s as { pair?: EnvPair }).pair;
        if (saved && canonical(saved) !== canonical(pair)) throw new Error(`pair ${c.pair} changed since this run started: its checkpoint trained on ${JSON.stringify(saved)}`);
        setState(s);
      },
      dispose: () => {
        darc.dispose();
        source.close?.();
        target.close?.();
      },
    });
  },
});
