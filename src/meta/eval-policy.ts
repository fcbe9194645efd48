/**
 * Evaluates a policy on a physics env: K seeded episodes (episode k resets with seed + k), the
 * return and the forward distance (torso x at the end minus at the reset) of each, their means
 * and standard deviations. Backs `adaptlab eval --policy FILE --env ID`. The scripted references
 * ('gait', 'random', 'zero': the open-loop gaits of src/physics/simulate.ts) run on the same
 * seeded episodes, so a learned policy and the gait it should beat are measured alike.
 */
import { makeEnv } from '../physics/envs/registry.js';
import { gaitAction } from '../physics/simulate.js';
import { Rng as PhysicsRng } from '../physics/rng.js';
import type { EnvConfig, EnvId } from '../physics/envs/types.js';
import type { Policy } from './policy.js';
import { Rng } from './rng.js';

export interface PolicyEvalOptions {
  episodes: number;
  seed: number;
  /** Sampled actions instead of the mean. */
  stochastic?: boolean;
  /** Cap on steps per episode (default: the env's own limit). */
  maxSteps?: number;
  envConfig?: EnvConfig;
  onEpisode?: (k: number, ret: number, distance: number) => void;
}

export interface Stat {
  mean: number;
  std: number;
}

export interface PolicyEvalResult {
  env: string;
  episodes: number;
  return: Stat;
  forwardDistance: Stat;
  returns: number[];
  forwardDistances: number[];
  lengths: number[];
}

export function meanStd(xs: number[]): Stat {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / Math.max(1, n);
  const std = n > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std };
}

/** Scripted controllers evaluated as policies are: the scenes' and `simulate`'s references. */
export const REFERENCE_POLICIES = ['gait', 'random', 'zero'] as const;
export type ReferencePolicy = (typeof REFERENCE_POLICIES)[number];

export async function evaluatePolicy(policy: Policy | ReferencePolicy, envId: EnvId, opts: PolicyEvalOptions): Promise<PolicyEvalResult> {
  const env = await makeEnv(envId, opts.envConfig ?? {});
  try {
    if (typeof policy !== 'string' && (env.observationSize !== policy.observationSize || env.actionSize !== policy.actionSize))
      throw new Error(
        `the policy was trained on ${policy.env} (${policy.observationSize} observations, ${policy.actionSize} actions); ${envId} has ${env.observationSize} and ${env.actionSize}`,
      );
    const rng = new Rng(opts.seed ^ 0x5eed);
    const scripted = new Float32Array(env.actionSize);
    const uniform = new PhysicsRng(opts.seed, 0x51a7e);
    const act = (obs: Float32Array, t: number): Float32Array => {
      if (typeof policy !== 'string') return policy.act(obs, { deterministic: !opts.stochastic, rng });
      if (policy === 'gait') return gaitAction(env, t, scripted);
      if (policy === 'random') return uniform.fillUniform(scripted, -1, 1) as Float32Array;
      return scripted.fill(0);
    };
    const returns: number[] = [];
    const distances: number[] = [];
    const lengths: number[] = [];
    const limit = opts.maxSteps ?? env.maxEpisodeSteps;
    for (let k = 0; k < opts.episodes; k++) {
      const r0 = env.reset({ seed: opts.seed + k });
      let obs = r0.obs;
      const x0 = r0.info.x_position;
      let x = x0;
      let ret = 0;
      let t = 0;
      for (; t < limit; t++) {
        const a = act(obs, t);
        const s = env.step(a);
        ret += s.reward;
        x = s.info.x_position;
        obs = s.obs;
        if (s.terminated || s.truncated) {
          t++;
          break;
        }
      }
      returns.push(ret);
      distances.push(x - x0);
      lengths.push(t);
      opts.onEpisode?.(k, ret, x - x0);
    }
    return { env: envId, episodes: opts.episodes, return: meanStd(returns), forwardDistance: meanStd(distances), returns, forwardDistances: distances, lengths };
  } finally {
    env.dispose();
  }
}
