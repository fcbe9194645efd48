import { beforeAll, describe, expect, it } from 'vitest';
import { loadRapier } from '../rapier.js';
import { makeEnvSync } from './registry.js';
import { Rng } from '../rng.js';
import type { Env, EnvId } from './types.js';

beforeAll(async () => {
  await loadRapier();
});

const dist = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x, i) => s + (x - b[i]) ** 2, 0));

/** Steps `env` with seeded random actions in [-lim, lim]; returns the last observation. */
function wander(env: Env, n: number, rng: Rng, lim = 0.5): Float32Array {
  const a = new Float32Array(env.actionSize);
  let obs: Float32Array = new Float32Array(env.observationSize);
  for (let t = 0; t < n; t++) {
    for (let k = 0; k < a.length; k++) a[k] = rng.range(-lim, lim);
    obs = env.step(a).obs;
  }
  return obs;
}

describe('Env.bodyState / setBodyState (the DARC view ghost)', () => {
  for (const [id, sameHistoryTol] of [['Hopper-v0', 0], ['Ant-v0', 0.01]] as [EnvId, number][]) {
    it(`${id}: a second env put into the first's state observes what it observes, and steps on as it does`, () => {
      const a = makeEnvSync(id, { terminateWhenUnhealthy: false });
      const b = makeEnvSync(id, { terminateWhenUnhealthy: false });
      const obs0 = a.reset({ seed: 3 }).obs;
      b.reset({ seed: 3 });
      // b with a's history (same seed, same actions), then put into a's state: a no-op up to rounding
      const obsA = wander(a, 40, new Rng(1));
      wander(b, 40, new Rng(1));
      expect(dist(obsA, obs0)).toBeGreaterThan(0.1); // a did move away from its reset
      expect(dist(b.setBodyState!(a.bodyState!()), obsA)).toBeLessThan(1e-5);
      const zero = new Float32Array(a.actionSize);
      expect(dist(a.step(zero).obs, b.step(zero).obs)).toBeLessThanOrEqual(sameHistoryTol);
      // another env (another seed, another past) put into a's state observes the same
      const c = makeEnvSync(id, { terminateWhenUnhealthy: false });
      c.reset({ seed: 99 });
      wander(c, 7, new Rng(2));
      const s = a.bodyState!();
      expect(s.length).toBe(a.bodyCount * 13);
      const obsC = c.setBodyState!(s);
      const obsNow = b.setBodyState!(s);
      expect(dist(obsC, obsNow)).toBeLessThan(1e-5);
      for (const e of [a, b, c]) e.dispose();
    });
  }

  it('Hopper-v0 with a dead foot motor: from the same state, the foot action makes the difference', () => {
    // the broken-hopper pair's two sides, each put into the states of a third hopper wandering
    const source = makeEnvSync('Hopper-v0', { terminateWhenUnhealthy: false });
    const target = makeEnvSync('Hopper-v0', { terminateWhenUnhealthy: false, faults: [{ atStep: 0, fault: { kind: 'weakenMotor', joint: 'foot_joint', factor: 0 } }] });
    const walker = makeEnvSync('Hopper-v0', { terminateWhenUnhealthy: false });
    expect(source.actuatorNames!()).toEqual(['thigh_joint', 'leg_joint', 'foot_joint']);
    for (const e of [source, target, walker]) e.reset({ seed: 0 });
    const rng = new Rng(5);
    const a = new Float32Array(3);
    const footGap: number[] = [];
    const otherGap: number[] = [];
    for (let t = 0; t < 40; t++) {
      for (let k = 0; k < 3; k++) a[k] = rng.range(-1, 1);
      const s = walker.bodyState!();
      const gap = (action: number[]) => {
        target.setBodyState!(s);
        source.setBodyState!(s);
        return dist(target.step(action).obs, source.step(action).obs);
      };
      if (Math.abs(a[2]) > 0.3) footGap.push(gap([0, 0, a[2]]));
      otherGap.push(gap([a[0], a[1], 0]));
      walker.step(a);
    }
    // no foot torque: the two domains agree up to the solvers' warm starts; with it, they part
    expect(Math.max(...otherGap)).toBeLessThan(0.05);
    expect(footGap.length).toBeGreaterThan(10);
    expect(Math.min(...footGap)).toBeGreaterThan(0.2);
    for (const e of [source, target, walker]) e.dispose();
  });
});
