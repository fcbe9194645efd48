import { describe, expect, it } from 'vitest';
import { VectorEnv } from './vector.js';

describe('VectorEnv (worker threads)', () => {
  it('steps N envs across workers with batched Float32Arrays, independent of the worker count', async () => {
    const run = async (workers: number) => {
      const v = await new VectorEnv('Hopper-v0', 4, { workers }).init();
      const obs0 = await v.reset(10);
      const a = new Float32Array(4 * v.actionSize);
      for (let i = 0; i < a.length; i++) a[i] = Math.sin(i);
      let r;
      for (let t = 0; t < 30; t++) r = await v.step(a);
      const poses = await v.poses();
      await v.close();
      return { obs0, r: r!, poses, v };
    };
    const one = await run(1);
    const two = await run(2);
    expect(one.obs0.length).toBe(4 * 11);
    expect(one.r.rewards.length).toBe(4);
    expect(one.poses.length).toBe(4 * one.v.bodyCount * 7);
    expect(Array.from(two.r.obs)).toEqual(Array.from(one.r.obs));
    expect(Array.from(two.r.rewards)).toEqual(Array.from(one.r.rewards));
  });
});
