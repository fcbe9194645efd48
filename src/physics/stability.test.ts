/**
 * The long stability run: 1e5 random-action env steps per env (reset on termination),
 * split over worker threads. ADAPTLAB_PHYSICS_STABILITY_STEPS overrides the step count.
 */
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { simulateInWorkers } from './vector.js';
import type { EnvId } from './envs/types.js';

const STEPS = Number(process.env.ADAPTLAB_PHYSICS_STABILITY_STEPS ?? 1e5);
const CHUNKS = 8;

describe('stability under random actions', () => {
  it(`${STEPS} random steps per env: no NaN, joint separation < 1 cm, limit violation < 0.05 rad`, { timeout: 900_000 }, async () => {
    const envs: EnvId[] = ['Ant-v0', 'Hopper-v0', 'QuadPayload-v0'];
    const jobs = envs.flatMap((env) =>
      Array.from({ length: CHUNKS }, (_, k) => ({ env, steps: Math.ceil(STEPS / CHUNKS), seed: 1000 + k, policy: 'random' as const })),
    );
    const results = await simulateInWorkers(jobs, Math.max(2, Math.min(8, availableParallelism())));
    for (const env of envs) {
      const rs = results.filter((r) => r.env === env);
      const worst = {
        steps: rs.reduce((s, r) => s + r.steps, 0),
        hasNaN: rs.some((r) => r.hasNaN),
        sep: Math.max(...rs.map((r) => r.maxJointSeparation)),
        lim: Math.max(...rs.map((r) => r.maxJointLimitViolation)),
      };
      console.log(`[stability] ${env}: ${JSON.stringify(worst)}`);
      expect(worst.steps).toBeGreaterThanOrEqual(STEPS);
      expect(worst.hasNaN, env).toBe(false);
      expect(worst.sep, env).toBeLessThan(0.01);
      expect(worst.lim, env).toBeLessThan(0.05);
    }
  });
});
