import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { tf } from '../tf.js';
import { Rng } from '../rng.js';
import { DARC, type DarcConfig } from './darc.js';
import { SAC } from './sac.js';
import { PointReach } from './tasks.js';

beforeAll(async () => {
  await initBackend();
});

/** A plain SAC's settings, spelled out so that DARC's SAC and a plain one match. */
const sacCfg = { seed: 2, hidden: [8], batchSize: 16, learningStarts: 40, stepsPerIteration: 40, bufferSize: 1000, qLr: 1e-3 };
const small: Partial<DarcConfig> = { ...sacCfg, targetRandomSteps: 20, targetRatio: 4, warmupSteps: 80, classifierHidden: [8] };
/** PointReach, and PointReach whose second actuator pushes with no force. */
const pair = () => [new PointReach(1), new PointReach(1, { forceScale: [1, 0] })] as const;
const SAC_KEYS = ['step', 'episodeReturn', 'qLoss', 'qMean', 'actorLoss', 'entropy', 'alpha', 'updates'] as const;
const sacPart = (row: object) => Object.fromEntries(SAC_KEYS.map((k) => [k, (row as Record<string, number>)[k]]));

/** A JSON round trip that keeps Float32Arrays (what a checkpoint file does). */
const roundTrip = <T>(x: T): T =>
  JSON.parse(JSON.stringify(x, (_k, v) => (v instanceof Float32Array ? { f32: Array.from(v) } : v)), (_k, v) =>
    v && typeof v === 'object' && Array.isArray(v.f32) ? Float32Array.from(v.f32) : v,
  );

describe('DARC', () => {
  it('before the warm-up its SAC trains exactly as a plain SAC on the source (dr not in the reward); after it, dr is in and the policy steps the target', () => {
    const plain = new SAC(new PointReach(1), sacCfg);
    const [src, tgt] = pair();
    const never = new DARC(src, tgt, { ...small, warmupSteps: 1e9 });
    for (let i = 0; i < 3; i++) {
      const p = plain.iterate();
      const d = never.iterate();
      expect(sacPart(d)).toEqual(sacPart(p));
      expect(d.drOn).toBe(0);
      expect(d.targetSteps).toBe(20);
      // the classifiers train and dr is measured from the first gradient step on, only not added
      if (i > 0) expect(Number.isFinite(d.drMean) && Number.isFinite(d.sasLoss) && d.sasAccuracy >= 0).toBe(true);
    }
    const [src2, tgt2] = pair();
    // dr joins from the gradient steps after source step 81: iteration 2 (steps 41-80) is a plain SAC's, iteration 3 is not
    const darc = new DARC(src2, tgt2, { ...small, warmupSteps: 81 });
    const rows = [darc.iterate(), darc.iterate(), darc.iterate()];
    expect(rows.map((r) => r.drOn)).toEqual([0, 0, 1]);
    const plain2 = new SAC(new PointReach(1), sacCfg);
    const plainRows = [plain2.iterate(), plain2.iterate(), plain2.iterate()];
    expect(sacPart(rows[1])).toEqual(sacPart(plainRows[1]));
    expect(rows[2].qLoss).not.toBe(plainRows[2].qLoss);
    // the policy steps the target once per 4 source steps after the warm-up: 20 random + floor((120 - 81) / 4)
    expect(rows.map((r) => r.targetSteps)).toEqual([20, 20, 29]);
    for (const a of [plain, never, darc, plain2]) a.dispose();
  });

  it('adds drScale x dr, the classifiers\' dr of the drawn batch, to the rewards only once the warm-up is over', () => {
    const [src, tgt] = pair();
    const darc = new DARC(src, tgt, { ...small, drScale: 0.5 });
    darc.iterate();
    const batch = () => darc.sac.replay.sample(16, new Rng(9));
    const dr = darc.classifiers.deltaReward(batch());
    expect(dr.some((x) => x !== 0)).toBe(true);
    const b = batch();
    darc.correctRewards(b);
    expect(Array.from(b.rewards)).toEqual(Array.from(batch().rewards));
    darc.iterate(); // source step 80: warm-up over
    const b2 = batch();
    darc.correctRewards(b2);
    const dr2 = darc.classifiers.deltaReward(batch());
    const want = Array.from(batch().rewards, (r, k) => Math.fround(r + 0.5 * dr2[k]));
    expect(Array.from(b2.rewards)).toEqual(want);
    darc.dispose();
  });

  it('resumes exactly: a run split by getState/setState continues the same curve, tensors flat', () => {
    const [a1, a2] = pair();
    const a = new DARC(a1, a2, small);
    const rowsA = [a.iterate(), a.iterate(), a.iterate(), a.iterate()];
    const [b1, b2] = pair();
    const b = new DARC(b1, b2, small);
    const rowsB = [b.iterate(), b.iterate()];
    const state = roundTrip(b.getState());
    b.dispose();
    const [c1, c2] = pair();
    const c = new DARC(c1, c2, { ...small, seed: 99 });
    c.setState(state);
    const before = tf.memory().numTensors;
    rowsB.push(c.iterate(), c.iterate());
    expect(rowsB).toEqual(rowsA);
    expect(tf.memory().numTensors).toBe(before);
    const obs = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(Array.from(c.act(obs))).toEqual(Array.from(a.act(obs)));
    expect(c.policy('PointReach-v0').algo).toBe('darc');
    a.dispose();
    c.dispose();
  });

  it('refuses a target whose observations or actions differ from the source\'s', () => {
    expect(() => new DARC(new PointReach(1), { ...new PointReach(1), observationSize: 5, actionSize: 2, numEnvs: 1, reset: () => new Float32Array(5), step: () => { throw new Error('no'); } }, small)).toThrow(/same observation and action sizes/);
  });
});
