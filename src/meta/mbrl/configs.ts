/**
 * Named configurations. PAPER follows Nagabandi et al. 2019's released code (MLP 3x512 ReLU on
 * normalized deltas, M = K = 16, inner SGD 1e-3, outer Adam 1e-3, meta-batch 10, random shooting
 * with 500 candidates over horizon 10; ReBAL an LSTM with 256 units). DEMO is what this project
 * ships and runs in real time on a 2-core CPU: a smaller MLP, a meta-learned inner step size and
 * MPPI with fewer candidates over a shorter horizon.
 */
import type { TrainMbConfig } from './train.js';
import type { PlannerConfig } from './planner.js';

type Preset = Omit<TrainMbConfig, 'method' | 'env' | 'steps' | 'seed' | 'outDir'> & { planner: PlannerConfig };

export const PAPER_CONFIG: Preset = {
  hidden: [512, 512, 512],
  activation: 'relu',
  recurrent: { cell: 'lstm', hidden: 256 },
  M: 16,
  K: 16,
  innerLr: 1e-3,
  innerSteps: 1,
  firstOrder: false,
  learnInnerLr: false,
  metaBatch: 10,
  outerLr: 1e-3,
  batchSize: 500,
  planner: { kind: 'rs', candidates: 500, horizon: 10 },
};

export const DEMO_CONFIG: Preset = {
  hidden: [128, 128],
  activation: 'relu',
  recurrent: { cell: 'gru', hidden: 64 },
  M: 16,
  K: 16,
  innerLr: 1.0,
  innerSteps: 1,
  firstOrder: false,
  learnInnerLr: true,
  metaBatch: 10,
  outerLr: 2e-3,
  batchSize: 256,
  planner: { kind: 'mppi', candidates: 128, horizon: 8 },
};
