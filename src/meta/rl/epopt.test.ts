import { describe, expect, it } from 'vitest';
import { EPOpt } from './epopt';
import { selectWorst } from '../../shared/cvar';
import { BiasedReach } from './tasks';
import { vecEnvFromEnvs, type GymEnvLike } from './env';
import type { DRTerm } from '../../shared/dr-terms';
import { initBackend } from '../backend';

describe('CVaR selection', () => {
  it('keeps exactly the worst ceil(epsilon * n), worst first', () => {
    const r = [5, -1, 3, 0, 7, -4, 2, 1, 6, 4];
    expect(Array.from(selectWorst(r, 0.3))).toEqual([5, 1, 3]);
    expect(Array.from(selectWorst(r, 0.1))).toEqual([5]);
    expect(selectWorst(r, 1)).toHaveLength(10);
    expect(selectWorst(r, 0.25)).toHaveLength(3); // ceil(2.5)
    expect(selectWorst(r, 0.2)).toHaveLength(2); // 0.2 * 10 is 2, not 3, despite floating point
  });
  it('keeps at least one; breaks ties by index; NaN counts as worst', () => {
    expect(Array.from(selectWorst([3, 1, 2], 0.01))).toEqual([1]);
    expect(Array.from(selectWorst([2, 1, 1, 1, 0], 0.6))).toEqual([4, 1, 2]);
    expect(Array.from(selectWorst([1, 1, 1, 1], 0.5))).toEqual([0, 1]);
    expect(Array.from(selectWorst([0, NaN, -5], 0.5))).toEqual([1, 2]);
    expect(() => selectWorst([1], 0)).toThrow(/epsilon/);
  });
});

/** Mean deterministic return of a policy on BiasedReach at each bias (paired episodes). */
function evalAt(algo: EPOpt, biases: number[], episodes = 8): number[] {
  return biases.map((b) => {
    const env = new BiasedReach(episodes);
    let obs = env.resetWithParams(123, Array.from({ length: episodes }, () => ({ bias: b })));
    let total = 0;
    for (let t = 0; t < env.maxEpisodeSteps; t++) {
      const r = env.step(algo.act(obs, true));
      for (const x of r.rewards) total += x;
      obs = r.obs;
    }
    return total / episodes;
  });
}

const BIAS: DRTerm[] = [{ target: 'bias', operation: 'abs', mode: 'reset', distribution: { kind: 'uniform', low: 0.3, high: 0.9 } }];
const SMALL = { numSteps: 1, epochs: 4, minibatchSize: 4, hidden: [16], lr: 3e-3, maxEpisodeSteps: 8, normalizeReward: false, annealLr: false, warmupIterations: 5, epsilon: 0.25 };

describe('EPOpt', () => {
  it('on a task whose hidden parameter moves the best action, beats nominal-only training over the parameter range', async () => {
    await initBackend('cpu');
    const train = (terms: DRTerm[]) => {
      const algo = new EPOpt(new BiasedReach(16), { ...SMALL, seed: 3, terms });
      let m: Record<string, number> = {};
      for (let i = 0; i < 60; i++) m = algo.iterate();
      return { algo, m };
    };
    const robust = train(BIAS);
    const nominal = train([]);
    const biases = [0.3, 0.45, 0.6, 0.75, 0.9];
    const rr = evalAt(robust.algo, biases);
    const rn = evalAt(nominal.algo, biases);
    // measured (seed 3): EPOpt -2.7 .. -0.7 (mean -1.6); nominal -6.5 .. -1.7 (mean -4.1)
    // nominal training learns a = x (return about -8 x bias); EPOpt shifts the action by the bias
    expect(Math.min(...rr)).toBeGreaterThan(Math.min(...rn) + 1);
    expect(rr.reduce((a, b) => a + b) / rr.length).toBeGreaterThan(rn.reduce((a, b) => a + b) / rn.length + 1);
    // metrics: CVaR threshold, kept vs dropped parameter means (the worst models are the far ones)
    const m = robust.m;
    expect(m.kept).toBe(4);
    expect(m.epsilon).toBe(0.25);
    expect(m.cvarThreshold).toBeLessThanOrEqual(m.episodeReturn);
    expect(m.keptReturn).toBeLessThanOrEqual(m.cvarThreshold);
    expect(m.keptSteps).toBe(4 * 8);
    expect(Number.isFinite(m['kept/bias']) && Number.isFinite(m['dropped/bias'])).toBe(true);
    expect(nominal.m['kept/bias']).toBeUndefined();
    robust.algo.dispose();
    nominal.algo.dispose();
  }, 60_000);

  it('resumes exactly from getState (same draws, same episodes, same updates)', async () => {
    await initBackend('cpu');
    const cfg = { ...SMALL, seed: 9, terms: BIAS, warmupIterations: 1 };
    const a = new EPOpt(new BiasedReach(8), cfg);
    const rowsA = [a.iterate(), a.iterate()];
    const st = structuredClone(a.getState());
    rowsA.push(a.iterate(), a.iterate());
    const b = new EPOpt(new BiasedReach(8), cfg);
    b.setState(st);
    expect([b.iterate(), b.iterate()]).toEqual(rowsA.slice(2));
    a.dispose();
    b.dispose();
  });

  it('refuses terms that target nothing in the env', () => {
    expect(() => new EPOpt(new BiasedReach(2), { terms: [{ ...BIAS[0], target: 'mass' }] })).toThrow(/targets nothing/);
  });

  it('hands each Hopper its sampled parameters (the paper terms, through vecEnvFromEnvs)', async () => {
    await initBackend('cpu');
    const { makeEnv } = await import('../../physics/envs/registry');
    const { HOPPER_EPOPT_TERMS: EPOPT_PAPER_TERMS } = await import('../../physics/envs/registry');
    const envs = await Promise.all([0, 1, 2].map(() => makeEnv('Hopper-v0', {})));
    const vec = vecEnvFromEnvs(envs as unknown as GymEnvLike[]);
    const algo = new EPOpt(vec, { ...SMALL, seed: 1, terms: EPOPT_PAPER_TERMS, maxEpisodeSteps: 3 });
    const pop = algo.population(0);
    const m = algo.iterate();
    expect(m.step).toBeLessThanOrEqual(9);
    pop.keys.forEach((k, j) => envs.forEach((e, i) => expect(e.params()[k]).toBeCloseTo(pop.values[i * pop.keys.length + j], 6)));
    const torso = pop.keys.indexOf('mass.torso');
    for (let i = 0; i < 3; i++) expect(pop.values[i * pop.keys.length + torso]).toBeGreaterThanOrEqual(3);
    expect(new Set(envs.map((e) => e.params()['damping.thigh_joint'])).size).toBe(3);
    expect(envs[0].params()['damping.thigh_joint']).toBe(envs[0].params()['damping.foot_joint']);
    algo.dispose();
    vec.close?.();
    envs.forEach((e) => e.dispose());
  }, 60_000);

  it('trains the same on Hopper with its envs on two worker threads as in one thread', async () => {
    await initBackend('cpu');
    const { createVecEnv } = await import('./physics-vec-env');
    const { HOPPER_EPOPT_TERMS: EPOPT_PAPER_TERMS } = await import('../../physics/envs/registry');
    const rows = [];
    for (const workers of [1, 2]) {
      const vec = await createVecEnv('Hopper-v0', 3, {}, { workers });
      const algo = new EPOpt(vec, { ...SMALL, seed: 2, terms: EPOPT_PAPER_TERMS, maxEpisodeSteps: 4 });
      rows.push([algo.iterate(), algo.iterate()]);
      algo.dispose();
      vec.close?.();
    }
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[0][1]['kept/mass.torso']).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
