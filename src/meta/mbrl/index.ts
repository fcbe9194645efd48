/**
 * Model-based meta-RL (GrBAL, ReBAL, MB, MB + dynamic evaluation) — the public API.
 * See ./README.md.
 */
export type { MbEnv, MbFault, MbTaskSpec, MbStepResult } from './types.js';
export { CrawlerEnv, crawlerTaskSpec, type CrawlerConfig } from './crawler.js';
export { registerMbTask, resolveTask, mbTaskIds } from './envs.js';
export { TransitionData } from './data.js';
export { DynamicsModel, computeStats, type DynamicsSpec, type DynamicsStats } from './model.js';
export { adaptParams, grbalObjective, rebalObjective, mbObjective, type MbMethod, type MetaHyper } from './algos.js';
export { grbalObjectiveBatched } from './maml.js';
export { Planner, imagine, DEFAULT_PLANNER, type PlannerConfig, type PlannerKind, type PlanResult } from './planner.js';
export { loadCheckpoint, saveCheckpoint, type MbCheckpoint } from './checkpoint.js';
export { createAdaptiveController, type AdaptiveController, type AdaptiveControllerOptions, type ControllerMethod, type StepDiagnostics } from './controller.js';
export { MbTrainer, MbLearner, type TrainMbConfig } from './train.js';
export { evalAdapt, evalAdaptDetailed, defaultCheckpointPath, type EvalAdaptOptions, type EvalAdaptResult, type EvalMethod } from './eval.js';
export { collect } from './collect.js';
export { antTaskSpec, ANT_POSITION_INDICES } from './ant.js';
export { DEMO_CONFIG, PAPER_CONFIG } from './configs.js';
