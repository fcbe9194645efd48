import { describe, expect, it } from 'vitest';
import { createVecEnv } from './physics-vec-env';
import { splitEnvs } from './parallel-vec-env';
import { Rng } from '../rng';

/** 300 steps of random actions (auto-resets included); every output row kept. */
function rollout(env: Awaited<ReturnType<typeof createVecEnv>>): number[][] {
  const rng = new Rng(5);
  const rows: number[][] = [Array.from(env.reset(11))];
  for (let t = 0; t < 300; t++) {
    const a = new Float32Array(env.numEnvs * env.actionSize);
    for (let i = 0; i < a.length; i++) a[i] = rng.range(-1, 1);
    const r = env.step(a);
    rows.push(Array.from(r.obs), Array.from(r.rewards), Array.from(r.terminated), Array.from(r.truncated), Array.from(r.finalObs ?? []), Array.from(r.info?.reward_healthy ?? []));
  }
  return rows;
}

describe('parallel vector env', () => {
  it('splits envs into contiguous slices that differ by at most one', () => {
    expect(splitEnvs(8, 2)).toEqual([{ first: 0, count: 4 }, { first: 4, count: 4 }]);
    expect(splitEnvs(5, 3)).toEqual([{ first: 0, count: 2 }, { first: 2, count: 2 }, { first: 4, count: 1 }]);
    expect(splitEnvs(1, 2)).toEqual([{ first: 0, count: 1 }]);
  });

  it('steps Hopper-v0 on two worker threads exactly as in one thread (episodes end and reset)', async () => {
    const one = await createVecEnv('Hopper-v0', 5);
    const two = await createVecEnv('Hopper-v0', 5, undefined, { workers: 2 });
    try {
      const a = rollout(one);
      const b = rollout(two);
      expect(a.filter((_, i) => i % 6 === 3).flat().some((x) => x === 1)).toBe(true); // some episodes ended
      expect(b).toEqual(a);
      expect(two.getState).toBeUndefined(); // physics envs have no full state: neither has the vector
    } finally {
      one.close?.();
      two.close?.();
    }
  });
});
