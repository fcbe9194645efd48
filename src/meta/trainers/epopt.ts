/**
 * EPOpt on the trainer platform (src/meta/rl/epopt.ts holds the algorithm): N models per iteration
 * from the source distribution (DR terms, `samplePopulation`), one trajectory each, PPO on the
 * worst epsilon-fraction. `--preset paper` is the paper's Hopper source distribution; `none`
 * trains on the nominal model only; `--fixed-torso-mass M` trains on torso mass M only (the
 * single-mass baselines mass3/6/9). Plain DR is `--epsilon 1`.
 */
import { z } from 'zod';
import type { DRTerm } from '../../shared/dr-terms.js';
import { HOPPER_EPOPT_TERMS } from '../../physics/envs/registry.js';
import { loadTermsFile } from '../terms-file.js';
import { defineTrainer, stepTrainer, vecEnvOf } from './entry.js';
import { PPO_UPDATE_FIELDS } from './ppo.js';
import type { EpoptState } from '../rl/epopt.js';
import type { PpoState } from '../rl/ppo.js';
import { readCheckpointPayload } from '../runs.js';

/** The terms a config trains on: the preset's, or torso mass fixed at one value. */
export function epoptTerms(c: { preset: 'paper' | 'none' | 'torso-mass'; fixedTorsoMass?: number; torsoMassStd: number }): DRTerm[] {
  if (c.fixedTorsoMass !== undefined) return [{ target: 'mass', select: ['torso'], operation: 'abs', mode: 'reset', distribution: { kind: 'uniform', low: c.fixedTorsoMass, high: c.fixedTorsoMass } }];
  if (c.preset === 'paper') return HOPPER_EPOPT_TERMS;
  if (c.preset === 'torso-mass') return [{ ...HOPPER_EPOPT_TERMS[0], distribution: { kind: 'normal', mean: 6, std: c.torsoMassStd, low: 3, high: 9 } }];
  return [];
}

const config = z
  .object({
    numModels: z.number().int().min(1).max(1024).default(32).describe('N: models (parallel envs) sampled per iteration, one trajectory each'),
    epsilon: z.number().gt(0).max(1).default(0.1).describe('CVaR fraction: PPO updates on the worst epsilon of the trajectories (1: plain DR)'),
    warmupIterations: z.number().int().min(0).max(1_000_000).default(10).describe('first iterations with epsilon = 1'),
    maxEpisodeSteps: z.number().int().min(1).max(100_000).default(1000).describe("trajectory length cap (the env's own limit applies too)"),
    preset: z.enum(['paper', 'none', 'torso-mass']).default('paper').describe("source distribution: paper (Hopper: torso mass, friction, damping, armature), none (nominal only), torso-mass (mass only)"),
    fixedTorsoMass: z.number().positive().max(1000).optional().describe('train on this torso mass only (overrides preset; the mass3/6/9 baselines)'),
    torsoMassStd: z.number().min(0).max(100).default(1.5).describe('std of the torso-mass preset, N(6, std) in [3, 9]'),
    ...(({ minibatches: _m, ...fields }) => fields)(PPO_UPDATE_FIELDS),
    minibatchSize: z.number().int().min(1).max(1_000_000).default(64).describe('rows per PPO minibatch (of the kept rows; their count follows the rows kept)'),
    terms: z.string().min(1).optional().describe('train on the DR terms in this JSON file (e.g. adapt-source --out: a posterior); overrides preset'),
    initFrom: z.string().min(1).optional().describe("warm start: an EPOpt or PPO run folder (its latest checkpoint) or checkpoint file; weights, Adam and normalizers, this run's own counters"),
  });

export const epoptTrainer = defineTrainer({
  id: 'epopt',
  summary: 'EPOpt: PPO on the worst epsilon-fraction of trajectories over sampled models (CVaR domain randomization)',
  config,
  stepUnit: 'env steps',
  defaultSteps: 1_000_000,
  numEnvs: (c) => c.numModels,
  stepsPerIteration: (c) => c.numModels * c.maxEpisodeSteps,
  async create(ctx, c) {
    const { envId, seed, totalSteps } = ctx;
    const { EPOpt } = await import('../rl/epopt.js');
    const { numModels: _n, preset: _p, fixedTorsoMass: _f, torsoMassStd: _s, initFrom, terms: termsFile, ...rest } = c;
    const terms = termsFile ? loadTermsFile(termsFile, 'terms') : epoptTerms(c);
    const epopt = new EPOpt(vecEnvOf(ctx), { ...rest, terms, seed, totalSteps });
    if (initFrom) epopt.warmStart(await readCheckpointPayload<EpoptState | PpoState>(initFrom));
    return stepTrainer(epopt, envId, totalSteps);
  },
});
