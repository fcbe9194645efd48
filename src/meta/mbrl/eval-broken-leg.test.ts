/**
 * The broken-leg protocol on the shipped Ant-v0 checkpoints, cut short: worker threads change
 * nothing in the numbers (each seed's block is seeded on its own), pairs line up episode by
 * episode, and the metrics are counted from the break on.
 */
import { describe, expect, it } from 'vitest';
import { evalBrokenLeg } from './eval-broken-leg.js';

const short = { seeds: [3, 4], episodesPerSeed: 1, steps: 12, at: 4, methods: ['oracle' as const, 'mb' as const] };

describe('eval-adapt --preset ant-broken-leg (short)', () => {
  it('gives the same numbers on one worker and on two, paired against MB', async () => {
    const one = await evalBrokenLeg({ ...short, workers: 1 });
    const two = await evalBrokenLeg({ ...short, workers: 2 });
    expect(two.workers).toBe(2);
    expect(two.methods).toEqual({ ...one.methods, oracle: { ...one.methods.oracle, msPerStep: two.methods.oracle.msPerStep }, mb: { ...one.methods.mb, msPerStep: two.methods.mb.msPerStep } });
    expect(two.paired).toEqual(one.paired);
    expect(one.paired.oracle.n).toBe(2);
    expect(one.paired.oracle.metric).toBe('meanReward');
    expect(one.pairedBy.oracle.progress.n).toBe(2);
    expect(Object.keys(one.paired)).toEqual(['oracle']); // MB is the baseline
    // the paired difference is oracle - MB on the same episodes
    const m = one.methods;
    expect(one.paired.oracle.meanDiff).toBeCloseTo(m.oracle.meanReward.mean - m.mb.meanReward.mean, 9);
    expect(one.pairedBy.oracle.lateralError.meanDiff).toBeCloseTo(m.mb.lateralError.mean - m.oracle.lateralError.mean, 9);
    expect(one.at).toBe(4);
  }, 120_000);

  it('refuses a break after the end and a comparison without MB', async () => {
    await expect(evalBrokenLeg({ ...short, at: 12 })).rejects.toThrow(/must break before the end/);
    await expect(evalBrokenLeg({ ...short, methods: ['oracle'] })).rejects.toThrow(/include mb/);
  });
});
