/**
 * Model-based meta-RL on the trainer platform: MB (a dynamics model learned from data, MPC on it),
 * GrBAL (meta-trained to adapt by one gradient step on recent transitions) and ReBAL (a recurrent
 * update), one schema for the three (src/meta/mbrl holds the algorithms). Steps count gradient
 * steps, fixed by the config: (1 + iterations) x gradSteps; `steps` is the env steps of data.
 */
import { z } from 'zod';
import { defineTrainer } from './entry.js';
import { mbTaskIds } from '../mbrl/envs.js';
import '../mbrl/ant.js'; // registers Ant-v0 beside the built-in Crawler-v0
import '../mbrl/quad.js'; // and QuadPayloadVel-v0
import type { MbMethod } from '../mbrl/algos.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
/** Fields the preset (demo or paper, ../mbrl/configs.ts) fills in when not given. */
const preset = (s: string) => `${s} (default: the preset's)`;

const config = z
  .object({
    steps: int(0, 1e9).default(20_000).describe('env steps of data to collect (0 only with --data)'),
    preset: z.enum(['demo', 'paper']).default('demo').describe('demo: small model, MPPI, real time on 2 cores; paper: Nagabandi et al. 2019 sizes'),
    gradSteps: int(1, 1e7).default(500).describe('gradient steps after each collection phase'),
    iterations: int(0, 1e4).default(2).describe('on-policy MPC collection phases after the random one'),
    hidden: z.array(int(1, 4096)).min(1).max(8).optional().describe(preset('MLP hidden sizes, e.g. 128,128')),
    past: int(1, 1e5).optional().describe(preset('M: transitions adapted on')),
    future: int(1, 1e5).optional().describe(preset('K: transitions predicted after adapting')),
    innerLr: z.number().min(0).optional().describe(preset('GrBAL inner step size')),
    learnInnerLr: z.boolean().optional().describe(preset('meta-learn the inner step size')),
    firstOrder: z.boolean().optional().describe(preset('first-order MAML gradient')),
    metaBatch: int(1, 1e5).optional().describe(preset('segments per meta-batch')),
    outerLr: z.number().positive().optional().describe(preset('outer Adam step size')),
    episodeSteps: int(1, 1e6).optional().describe("steps per collected episode (default: the task's)"),
    planner: z
      .string()
      .regex(/^(rs|cem|mppi)(:[1-9]\d{0,5}(:[1-9]\d{0,3}(:[1-9]\d{0,5})?)?)?$/, 'expects rs|cem|mppi[:CANDIDATES[:HORIZON[:ELITES]]], e.g. mppi:128:8 or cem:50:5:10')
      .optional()
      .describe(preset('MPC planner for on-policy collection, stored as the model\'s default, e.g. mppi:128:8 or cem:50:5:10 (ELITES: CEM only)')),
    recurrent: z.string().regex(/^(gru|lstm)(:[1-9]\d{0,4})?$/, 'expects gru|lstm[:HIDDEN], e.g. gru:64').optional().describe(preset("ReBAL's encoder, e.g. gru:64")),
    data: z.string().min(1).optional().describe('start from transitions an earlier run collected (its data.json); --steps then counts only on-policy steps'),
    initFrom: z.string().min(1).optional().describe('warm start from an earlier model.json of the same architecture'),
    oracle: z.boolean().default(false).describe('train on the held-out fault itself (the oracle baseline; evaluate it as method oracle)'),
    headingFrame: z.boolean().default(false).describe("model the dynamics in the torso's heading frame (default: world frame)"),
    latentSize: int(1, 64).default(2).describe('latent: size of the task variable z'),
    klWeight: z.number().min(0).max(100).default(0.1).describe('latent: weight of the KL to the prior N(0, I) (Belkhale et al.: 0.1)'),
    historySteps: int(1, 256).default(8).describe('mbhist: previous transitions the model reads'),
  })
  .superRefine((c, ctx) => {
    if (c.steps === 0 && c.data === undefined) ctx.addIssue({ code: 'custom', path: ['steps'], message: '0 collects nothing: give 1 or more, or --data RUN/data.json to train on earlier data' });
  });

type MbConfig = z.infer<typeof config>;

function modelBased(method: MbMethod, summary: string) {
  return defineTrainer({
    id: method,
    summary,
    config,
    stepUnit: 'gradient steps',
    product: 'model.json',
    defaultSteps: 1500,
    envs: mbTaskIds,
    numEnvs: () => 0,
    totalSteps: (c: MbConfig) => (1 + c.iterations) * c.gradSteps,
    stepsPerIteration: () => 1,
    checkpointEvery: (c: MbConfig) => c.gradSteps,
    async create({ envId, seed }, c) {
      const [{ MbTrainer }, { DEMO_CONFIG, PAPER_CONFIG }, { resolveTask }] = await Promise.all([import('../mbrl/train.js'), import('../mbrl/configs.js'), import('../mbrl/envs.js')]);
      const p = c.preset === 'paper' ? PAPER_CONFIG : DEMO_CONFIG;
      const task = resolveTask(envId);
      const [kind, candidates, horizon, elites] = (c.planner ?? '').split(':');
      const [cell, units] = (c.recurrent ?? '').split(':');
      return MbTrainer.create({
        ...p,
        method,
        env: c.oracle ? { ...task, trainFaults: [task.testFault] } : envId,
        steps: c.steps,
        seed,
        gradSteps: c.gradSteps,
        iterations: c.iterations,
        headingFrame: c.headingFrame,
        latentSize: c.latentSize,
        klWeight: c.klWeight,
        historySteps: c.historySteps,
        ...(c.hidden ? { hidden: c.hidden } : {}),
        ...(c.past !== undefined ? { M: c.past } : {}),
        ...(c.future !== undefined ? { K: c.future } : {}),
        ...(c.innerLr !== undefined ? { innerLr: c.innerLr } : {}),
        ...(c.learnInnerLr !== undefined ? { learnInnerLr: c.learnInnerLr } : {}),
        ...(c.firstOrder !== undefined ? { firstOrder: c.firstOrder } : {}),
        ...(c.metaBatch !== undefined ? { metaBatch: c.metaBatch } : {}),
        ...(c.outerLr !== undefined ? { outerLr: c.outerLr } : {}),
        ...(c.episodeSteps !== undefined ? { episodeSteps: c.episodeSteps } : {}),
        ...(c.data !== undefined ? { initialData: c.data } : {}),
        ...(c.initFrom !== undefined ? { initFrom: c.initFrom } : {}),
        ...(c.recurrent ? { recurrent: { cell: cell as 'gru' | 'lstm', hidden: Number(units ?? 64) } } : {}),
        ...(c.planner ? { planner: { ...p.planner, kind: kind as 'rs' | 'cem' | 'mppi', ...(candidates ? { candidates: Number(candidates) } : {}), ...(horizon ? { horizon: Number(horizon) } : {}), ...(elites ? { elites: Number(elites) } : {}) } } : {}),
      });
    },
  });
}

export const mbTrainer = modelBased('mb', 'MB: a dynamics model learned from data, MPC on it (Nagabandi et al. 2018)');
export const grbalTrainer = modelBased('grbal', 'GrBAL: a dynamics model meta-trained to adapt by one gradient step on recent transitions');
export const latentTrainer = modelBased('latent', 'Latent: a dynamics model conditioned on a task variable z inferred online from recent transitions (Belkhale et al. 2021)');
export const paramsTrainer = modelBased('params', 'Params: a dynamics model given the true physical parameters (the quadrotor\'s oracle)');
export const mbhistTrainer = modelBased('mbhist', 'MB with history: a dynamics model that also reads the previous transitions (non-latent baseline)');
export const rebalTrainer = modelBased('rebal', 'ReBAL: a dynamics model meta-trained with a recurrent update on recent transitions');
