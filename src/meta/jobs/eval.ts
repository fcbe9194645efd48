/**
 * Evaluation of a trained run: loads the latest (or a given) checkpoint and runs K episodes with
 * the deterministic (mean) policy on fresh, seeded envs, in the env config the trainer judges its
 * policies in (the run's own; DARC: its pair's target). Backs `adaptlab eval --run DIR`.
 */
import { initBackend } from '../backend.js';
import fs from 'node:fs';
import { loadPolicy, type Policy } from '../policy.js';
import { Run, type CheckpointRef } from '../runs.js';
import { Rng } from '../rng.js';
import { findTrainer } from '../trainers/registry.js';
import { createEnv, runPolicyFile, runTrainerConfig, type JobOptions, type RunConfig } from './train.js';

export interface EvalOptions extends JobOptions {
  episodes: number;
  seed?: number;
  /** Mean action (default) or sampled actions. */
  deterministic?: boolean;
  /** Parallel envs (default min(episodes, 8)). */
  numEnvs?: number;
  checkpoint?: CheckpointRef;
  backend?: string;
}

export interface EvalResult {
  mean: number;
  std: number;
  returns: number[];
  lengths: number[];
  step: number;
  env: string;
}

export async function evaluateRun(runDir: string, o: EvalOptions): Promise<EvalResult> {
  await initBackend(o.backend);
  const run = Run.open(runDir);
  const cfg = run.config<RunConfig & { env: string; algo: string; envModule?: string | null; envConfig?: unknown }>();
  const entry = findTrainer(cfg.algo);
  const ref = o.checkpoint ?? run.latestCheckpoint();
  if (!ref) throw new Error(`${runDir} has no checkpoint yet: nothing to evaluate`);
  const n = o.numEnvs ?? Math.min(o.episodes, 8);
  // where the entry says its policies are judged (DARC: its pair's target), as --eval-every does
  const envConfig = entry.evalEnvConfig ? entry.evalEnvConfig(entry.config.parse(runTrainerConfig(cfg))) : cfg.envConfig;
  const spec = { algo: cfg.algo, env: cfg.env, envModule: cfg.envModule ?? undefined, envConfig, totalSteps: 0, seed: 0 };
  // The policy exported beside the latest checkpoint, or one rebuilt from the checkpoint itself.
  let policy: Policy;
  if (!o.checkpoint && fs.existsSync(runPolicyFile(runDir))) policy = loadPolicy(runPolicyFile(runDir));
  else {
    const trainerConfig = entry.config.parse(runTrainerConfig(cfg)) as Record<string, unknown>;
    const wanted = entry.numEnvs(trainerConfig);
    const trainEnv = wanted > 0 ? await createEnv(spec, wanted, o) : null;
    const makeEnv = (id: string, numEnvs: number, config?: unknown) => createEnv({ ...spec, env: id, envConfig: config }, numEnvs, o);
    const trainer = await entry.create({ env: trainEnv, envId: cfg.env, seed: cfg.seed ?? 0, totalSteps: cfg.totalSteps ?? ref.step, makeEnv }, trainerConfig);
    try {
      trainer.setState(run.loadCheckpoint<unknown>(ref).payload);
      const p = trainer.policy();
      if (!p) throw new Error(`${cfg.algo} runs learn no policy to evaluate`);
      policy = p;
    } finally {
      trainer.dispose();
      trainEnv?.close?.();
    }
  }
  const env = await createEnv(spec, n, o);
  const rng = new Rng(o.seed ?? 0);
  const returns: number[] = [];
  const lengths: number[] = [];
  const epRet = new Float64Array(n);
  const epLen = new Int32Array(n);
  // Only count episodes that started before we had enough, so the sample is not biased to short ones.
  const counting = new Uint8Array(n).fill(1);
  let started = n;
  let obs = env.reset(o.seed ?? 0);
  try {
    while (returns.length < o.episodes) {
      const r = env.step(policy.act(obs, { deterministic: o.deterministic ?? true, rng }));
      for (let i = 0; i < n; i++) {
        epRet[i] += r.rewards[i];
        epLen[i]++;
        if (r.terminated[i] || r.truncated[i]) {
          if (counting[i] && returns.length < o.episodes) {
            returns.push(epRet[i]);
            lengths.push(epLen[i]);
          }
          epRet[i] = 0;
          epLen[i] = 0;
          counting[i] = started < o.episodes ? 1 : 0;
          if (counting[i]) started++;
        }
      }
      obs = r.obs;
    }
  } finally {
    env.close?.();
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  return { mean, std, returns, lengths, step: ref.step, env: cfg.env };
}
