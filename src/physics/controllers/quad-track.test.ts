import { describe, expect, it } from 'vitest';
import { makeEnv } from '../envs/registry.js';
import type { QuadPayloadEnv, QuadReference } from '../envs/quadPayload.js';
import { quadTracker } from './quad-track.js';

async function fly(reference: QuadReference, steps: number) {
  const env = (await makeEnv('QuadPayload-v0', { reference })) as QuadPayloadEnv;
  try {
    const c = quadTracker(env);
    const a = new Float32Array(env.actionSize);
    let obs = env.reset({ seed: 1 }).obs;
    let err = 0;
    for (let i = 0; i < steps; i++) {
      const r = env.step(c.act(obs, a));
      if (r.terminated) return { crashed: true, meanError: Infinity };
      obs = r.obs;
      err += Math.hypot(obs[0], obs[1], obs[2]);
    }
    return { crashed: false, meanError: err / steps };
  } finally {
    env.dispose();
  }
}

describe('the quadrotor hover/track controller', () => {
  it('holds the payload on a hover point for a whole episode', async () => {
    const r = await fly('hover', 500);
    expect(r.crashed).toBe(false);
    expect(r.meanError).toBeLessThan(0.05);
  });
  it('follows a circle within a few decimetres', async () => {
    const r = await fly('circle', 500);
    expect(r.crashed).toBe(false);
    expect(r.meanError).toBeLessThan(0.3);
  });
});
