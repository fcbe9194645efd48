import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { tf } from '../tf.js';
import { Rng } from '../rng.js';
import { DomainClassifiers, deltaReward } from './darc-classifier.js';
import { ReplayBuffer, type ReplayBatch } from './replay.js';
import { PointReach } from './tasks.js';
import type { VecEnvLike } from './env.js';

beforeAll(async () => {
  await initBackend();
});

/** log softmax of 2-class logits, in float64. */
const logSoftmax2 = (l0: number, l1: number): [number, number] => {
  const m = Math.max(l0, l1);
  const z = m + Math.log(Math.exp(l0 - m) + Math.exp(l1 - m));
  return [l0 - z, l1 - z];
};

/** The paper's formula from probabilities: log q(t|sas) - log q(s|sas) - log q(t|sa) + log q(s|sa). */
function drFromLogProbs(sa: ArrayLike<number>, sas: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < sa.length / 2; i++) {
    const [saS, saT] = logSoftmax2(sa[2 * i], sa[2 * i + 1]);
    const [sasS, sasT] = logSoftmax2(sas[2 * i], sas[2 * i + 1]);
    out.push(sasT - sasS - saT + saS);
  }
  return out;
}

/**
 * The toy pair: a point at a uniform random position in [-4, 4]^2 moves by the action
 * (|a_i| <= 4) in one step, then the episode ends; in the target, action 1 does nothing. Both
 * domains visit the same (s, a), so only s' can tell them apart, and only when action 1 was used.
 * (Its scale is the Rapier envs' joint velocities' rather than a unit square's: the classifiers'
 * input noise, std 1, would hide moves and actions of at most 1.)
 */
function push2d(broken: boolean): VecEnvLike {
  let rng = new Rng(0);
  let p = new Float32Array(2);
  const draw = () => Float32Array.from([rng.range(-4, 4), rng.range(-4, 4)]);
  return {
    numEnvs: 1,
    observationSize: 2,
    actionSize: 2,
    actionLow: Float32Array.of(-4, -4),
    actionHigh: Float32Array.of(4, 4),
    reset(seed = 0) {
      rng = new Rng(seed);
      p = draw();
      return p.slice();
    },
    step(a) {
      const next = Float32Array.from([p[0] + a[0], p[1] + (broken ? 0 : a[1])]);
      p = draw();
      return { obs: p.slice(), rewards: new Float32Array(1), terminated: new Uint8Array(1), truncated: Uint8Array.of(1), finalObs: next };
    },
  };
}

/** n transitions of uniform random actions in env (one env), as a replay buffer. */
function randomTransitions(env: VecEnvLike, n: number, rng: Rng, seed: number): ReplayBuffer {
  const buf = new ReplayBuffer(n, env.observationSize, env.actionSize);
  let obs = env.reset(seed);
  for (let t = 0; t < n; t++) {
    const a = Float32Array.from({ length: env.actionSize }, (_, j) => rng.range(env.actionLow?.[j] ?? -1, env.actionHigh?.[j] ?? 1));
    const r = env.step(a);
    buf.add(obs, a, r.rewards[0], r.finalObs ?? r.obs, r.terminated[0] === 1);
    obs = r.obs;
  }
  return buf;
}

function correlation(x: number[], y: number[]): number {
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

const all = (buf: ReplayBuffer): ReplayBatch => ({
  obs: buf.obs.subarray(0, buf.size * buf.obsSize),
  actions: buf.actions.subarray(0, buf.size * buf.actionSize),
  rewards: buf.rewards.subarray(0, buf.size),
  nextObs: buf.nextObs.subarray(0, buf.size * buf.obsSize),
  terminals: buf.terminals.subarray(0, buf.size),
});

describe('DARC domain classifiers', () => {
  it('dr is exactly log q(t|sas) - log q(s|sas) - log q(t|sa) + log q(s|sa) from the logits', () => {
    const rng = new Rng(3);
    const sa = Float64Array.from({ length: 64 }, () => rng.range(-20, 20));
    const sas = Float64Array.from({ length: 64 }, () => rng.range(-20, 20));
    const dr = deltaReward(sa, sas, new Float32Array(32));
    const want = drFromLogProbs(sa, sas);
    // float32 output of a float64 formula: equal to float32 rounding
    for (let i = 0; i < 32; i++) expect(dr[i]).toBe(Math.fround(want[i]));
    // and the classifiers' own dr is that formula on their own logits
    const c = new DomainClassifiers(6, 2, { hidden: [32], inputNoise: 1, lr: 3e-4 }, new Rng(1));
    const batch = all(randomTransitions(new PointReach(1), 16, rng, 5));
    const l = c.logitsOf(batch);
    const fromProbs = drFromLogProbs(l.sa, l.sas);
    const got = c.deltaReward(batch);
    for (let i = 0; i < 16; i++) expect(got[i]).toBeCloseTo(fromProbs[i], 5);
    c.dispose();
  });

  it('on a pair whose target ignores action 1, dr is clearly negative where the source used action 1 and near zero where it did not', () => {
    const rng = new Rng(11);
    const source = randomTransitions(push2d(false), 4000, rng, 1);
    const target = randomTransitions(push2d(true), 4000, rng, 2);
    // the official net and noise; a 10x learning rate keeps the test to a few seconds
    const c = new DomainClassifiers(2, 2, { hidden: [32], inputNoise: 1, lr: 3e-3 }, new Rng(2));
    const before = tf.memory().numTensors;
    let last = { saAccuracy: 0, sasAccuracy: 0, saLoss: 0, sasLoss: 0 };
    for (let k = 0; k < 600; k++) last = c.train(source.sample(128, rng), target.sample(128, rng), rng);
    expect(tf.memory().numTensors).toBe(before);
    // (s, a) cannot tell the domains apart; (s, a, s') can
    expect(last.saAccuracy).toBeLessThan(0.6);
    expect(last.sasAccuracy).toBeGreaterThan(0.6);
    // fresh source transitions, split by how much they pushed with the broken actuator
    const test = randomTransitions(push2d(false), 2000, rng, 3);
    const dr = c.deltaReward(all(test));
    const used: number[] = [];
    const unused: number[] = [];
    for (let i = 0; i < test.size; i++) {
      const a1 = Math.abs(test.actions[2 * i + 1]) / 4;
      if (a1 > 0.7) used.push(dr[i]);
      else if (a1 < 0.15) unused.push(dr[i]);
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(used)).toBeLessThan(-1.5);
    // (the noise-smoothed ratio is slightly positive there: the target's s' are the narrower)
    expect(Math.abs(mean(unused))).toBeLessThan(0.5);
    // and over all transitions, the measure: dr against the broken actuator's |action|
    const a1 = Array.from({ length: test.size }, (_, i) => Math.abs(test.actions[2 * i + 1]));
    expect(correlation(a1, Array.from(dr))).toBeLessThan(-0.7);
    c.dispose();
  });
});
