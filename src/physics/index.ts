/** Public API of the physics layer (see ACTUATION.md for the actuator model). */
export { loadRapier, rapier, rapierFlavor, type Rapier, type RapierFlavor } from './rapier.js';
export { Rng } from './rng.js';
export { makeEnv, makeEnvSync, listEnvs, isEnvId, ENV_SPECS, type EnvSpec } from './envs/registry.js';
export type { Env, EnvId, EnvConfig, StepResult, ResetResult, StepInfo, Fault, ScheduledFault, PhysParams, ResetOptions, Diagnostics } from './envs/types.js';
export { AntEnv, type AntConfig } from './envs/ant.js';
export { HopperEnv, type HopperConfig } from './envs/hopper.js';
export { QuadPayloadEnv, type QuadConfig, type QuadReference } from './envs/quadPayload.js';
export { randomize, sample, termKeys, termRange, drStream, type DRTerm, type Distribution } from './randomization.js';
export { samplePopulation, populationRow, type Population } from './population.js';
export { simulate, gaitAction, ANT_GAIT, type SimulateOptions, type SimulateSummary, type SimPolicy } from './simulate.js';
export { VectorEnv, simulateInWorkers, envWorkerUrl, type VectorStep } from './vector.js';
export { spawnWorker } from './workers/spawn.js';
export { buildRobot, type BuiltRobot, type BuildOptions } from './robot/builder.js';
export { antModel } from './robots/ant.js';
export { hopperModel } from './robots/hopper.js';
export { quadrotorModel } from './robots/quadrotor.js';
