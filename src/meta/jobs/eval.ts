/**
 * Evaluation of a trained run: loads the latest (or a given) checkpoint and runs K episodes with
 * the deterministic (mean) policy on fresh, seeded envs. Backs `adaptlab eval --run DIR`.
 */
import { initBackend } from '../backend.js';
import { PPO, type PpoConfig, type PpoState } from '../rl/ppo.js';
import { Run, type CheckpointRef } from '../runs.js';
import { Rng } from '../rng.js';
import { createEnv, type JobOptions } from './train.js';

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
  const cfg = run.config<{ env: string; envModule?: string | null; envConfig?: unknown; ppo: PpoConfig }>();
  const ck = run.loadCheckpoint<PpoState>(o.checkpoint ?? run.latestCheckpoint());
  const n = o.numEnvs ?? Math.min(o.episodes, 8);
  const env = await createEnv({ algo: 'ppo', env: cfg.env, envModule: cfg.envModule ?? undefined, envConfig: cfg.envConfig, totalSteps: 0, seed: 0 }, n, o);
  const ppo = new PPO(env, { ...cfg.ppo, seed: o.seed ?? 0 });
  ppo.loadPolicy(ck.payload);
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
      const r = env.step(ppo.act(obs, o.deterministic ?? true, rng));
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
    ppo.dispose();
    env.close?.();
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  return { mean, std, returns, lengths, step: ck.step, env: cfg.env };
}
