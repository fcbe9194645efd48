/**
 * The broken-leg protocol on the shipped Ant-v0 checkpoints, cut short: worker threads change
 * nothing in the numbers (each seed's block is seeded on its own), pairs line up episode by
 * episode, and the metrics are counted from the break on.
 */
import { describe, expect, it } from 'vitest';
import { BROKEN_LEG_PRESET, evalBrokenLeg, recoveredShares } from './eval-broken-leg.js';
import { evalAdaptDetailed } from './eval.js';
import './ant.js';

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

  it('the oracle walks the intact ant with MB\'s model until the break (it knows the dynamics at every step)', async () => {
    const ck = (m: string) => `assets/checkpoints/${BROKEN_LEG_PRESET.checkpointEnv}/${m}.json`;
    // the break is set at the episode's end: it never fires, so the oracle must act exactly as MB
    const r = await evalAdaptDetailed({ env: BROKEN_LEG_PRESET.env, methods: ['oracle', 'mb'], episodes: 1, seed: 3, steps: 10, at: 10, checkpoints: { oracle: ck('oracle'), mb: ck('mb') }, planner: { candidates: 20 } });
    expect(r.perEpisode.oracle[0].forwardDistance).toBe(r.perEpisode.mb[0].forwardDistance);
    // broken from the start, it plans with its own model from the first step
    const s = await evalAdaptDetailed({ env: BROKEN_LEG_PRESET.env, methods: ['oracle', 'mb'], episodes: 1, seed: 3, steps: 10, at: 0, checkpoints: { oracle: ck('oracle'), mb: ck('mb') }, planner: { candidates: 20 } });
    expect(s.perEpisode.oracle[0].forwardDistance).not.toBe(s.perEpisode.mb[0].forwardDistance);
  }, 120_000);

  it('reports a share of the oracle\'s edge only where that edge is clear', () => {
    const d = (meanDiff: number, lo: number, hi: number) => ({ metric: 'meanReward', meanDiff, ci95: [lo, hi] as [number, number], n: 40 });
    expect(recoveredShares({ oracle: d(1, 0.5, 1.5), grbal: d(0.8, 0.4, 1.2) })).toEqual({ grbal: 0.8 });
    expect(recoveredShares({ oracle: d(0.05, -0.1, 0.2), grbal: d(0.7, 0.3, 1.1) })).toEqual({});
    expect(recoveredShares({ grbal: d(0.7, 0.3, 1.1) })).toEqual({});
  });

  it('refuses a break after the end and a comparison without MB', async () => {
    await expect(evalBrokenLeg({ ...short, at: 12 })).rejects.toThrow(/must break before the end/);
    await expect(evalBrokenLeg({ ...short, methods: ['oracle'] })).rejects.toThrow(/include mb/);
  });
});
