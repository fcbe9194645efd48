import { beforeAll, describe, expect, it } from 'vitest';
import { loadRapier } from './rapier.js';
import { ENV_SPECS, makeEnvSync } from './envs/registry.js';
import { drStream, randomize, termKeys, termRange, type DRTerm } from './randomization.js';
import { populationRow, samplePopulation } from './population.js';
import { Rng } from './rng.js';

beforeAll(async () => {
  await loadRapier();
});

const nominal = { 'mass.torso': 3.5, 'mass.foot': 1, 'friction.torso': 2, 'friction.foot': 2, 'damping.hip': 1, gravity: -9.81 };
const terms: DRTerm[] = [
  { target: 'mass', select: ['torso'], distribution: { kind: 'uniform', low: 3, high: 9 }, operation: 'abs', mode: 'reset' },
  { target: 'friction', distribution: { kind: 'loguniform', low: 0.5, high: 2 }, operation: 'scale', mode: 'startup', shared: true },
  { target: 'damping', distribution: { kind: 'normal', mean: 0, std: 0.2, low: -0.3, high: 0.3 }, operation: 'add', mode: 'interval', intervalSteps: 10 },
  { target: 'mass', select: ['foot'], distribution: { kind: 'uniform', low: 0.9, high: 1.1 }, operation: 'scale', mode: 'reset' },
];

describe('samplePopulation', () => {
  it('is seeded: same seed, same draws; another seed, other draws', () => {
    const a = samplePopulation(nominal, terms, new Rng(7), 32);
    const b = samplePopulation(nominal, terms, new Rng(7), 32);
    const c = samplePopulation(nominal, terms, new Rng(8), 32);
    expect(a.values).toEqual(b.values);
    expect(a.values).not.toEqual(c.values);
    expect(a.keys).toEqual(['friction.torso', 'friction.foot', 'mass.torso', 'damping.hip', 'mass.foot']);
    expect(a.values.length).toBe(32 * a.keys.length);
  });

  it('batched equals one by one: row i is the i-th draw of randomize() from the same stream', () => {
    const pop = samplePopulation(nominal, terms, new Rng(11), 20);
    const rng = new Rng(11);
    for (let i = 0; i < pop.n; i++) {
      const startup = randomize(nominal, nominal, terms, ['startup'], rng);
      const p = randomize(nominal, startup, terms, ['reset', 'interval'], rng);
      expect(populationRow(pop, i)).toEqual(Object.fromEntries(pop.keys.map((k) => [k, p[k]])));
    }
    // and a population of one, n times, from the same stream
    const rng2 = new Rng(11);
    for (let i = 0; i < 5; i++) expect(samplePopulation(nominal, terms, rng2, 1).values).toEqual(pop.values.subarray(i * pop.keys.length, (i + 1) * pop.keys.length));
  });

  it("row 0 is what the env applies at its first reset with the same seed (training's draw)", () => {
    const spec = ENV_SPECS['Hopper-v0'];
    const env = makeEnvSync('Hopper-v0', { randomize: spec.randomizers });
    const { info } = env.reset({ seed: 42 });
    const pop = samplePopulation(env.nominalParams(), spec.randomizers, drStream(42), 1);
    for (const [k, v] of Object.entries(populationRow(pop, 0))) expect(info.params[k], k).toBe(v);
    env.dispose();
  });

  it("respects each term's range and distribution", () => {
    const n = 4000;
    const pop = samplePopulation(nominal, terms, new Rng(3), n);
    const col = (key: string) => Array.from({ length: n }, (_, i) => pop.values[i * pop.keys.length + pop.keys.indexOf(key)]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const t of terms) {
      for (const k of termKeys(t, nominal)) {
        const [lo, hi] = termRange(t, nominal[k as keyof typeof nominal]);
        for (const v of col(k)) {
          expect(v).toBeGreaterThanOrEqual(lo - 1e-12);
          expect(v).toBeLessThanOrEqual(hi + 1e-12);
        }
      }
    }
    // uniform abs on [3, 9]: mean 6, and every sixth of the range holds about a sixth
    const mass = col('mass.torso');
    expect(mean(mass)).toBeCloseTo(6, 1);
    for (let b = 0; b < 6; b++) expect(mass.filter((m) => m >= 3 + b && m < 4 + b).length / n).toBeGreaterThan(1 / 6 - 0.03);
    // log-uniform scale of 2 on [0.5, 2]: log is uniform, so the median is 2 * 1 and a quarter lies below 2 * 2^-0.5
    const fr = col('friction.torso').sort((a, b) => a - b);
    expect(fr[n / 2]).toBeCloseTo(2, 1);
    expect(fr.filter((f) => f < 2 * Math.SQRT1_2).length / n).toBeCloseTo(0.25, 1);
    // shared: one sample for every selected element
    expect(col('friction.foot')).toEqual(col('friction.torso'));
    // clipped normal added to 1: mean 1, std about 0.2 less the clipping
    const d = col('damping.hip');
    expect(mean(d)).toBeCloseTo(1, 1);
    const sd = Math.sqrt(mean(d.map((x) => (x - 1) ** 2)));
    expect(sd).toBeGreaterThan(0.15);
    expect(sd).toBeLessThan(0.2);
    // keys no term touches are not in the population
    expect(pop.keys).not.toContain('gravity');
  });

  it('refuses a term that targets nothing and a bad size', () => {
    expect(() => samplePopulation(nominal, [{ ...terms[0], target: 'length' }], new Rng(0), 2)).toThrow(/targets nothing/);
    expect(() => samplePopulation(nominal, terms, new Rng(0), 1.5)).toThrow(/whole number/);
    expect(samplePopulation(nominal, [], new Rng(0), 3)).toEqual({ n: 3, keys: [], values: new Float64Array(0) });
  });
});
