import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Scalar } from '../tf.js';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { valueAndGrads, disposeParams, type Params } from '../params.js';
import { checkFirstOrder } from '../gradcheck.js';
import { CrawlerEnv, crawlerTaskSpec } from './crawler.js';
import { collect } from './collect.js';
import { TransitionData } from './data.js';
import { DynamicsModel, computeStats, disposeBatch, type DynamicsSpec } from './model.js';
import { LOG_LR, firstOrderDirections, grbalObjective, type MetaHyper } from './algos.js';
import { firstOrderGradsBatched, grbalObjectiveBatched, disposeLayers } from './maml.js';

beforeAll(async () => {
  await initBackend('cpu');
});

function rollout(seed: number, fault: number | null, steps = 50): Float32Array[] {
  const env = new CrawlerEnv();
  const rng = new Rng(seed);
  const out = [Float32Array.from(env.reset({ seed }).obs)];
  if (fault !== null) env.applyFault({ kind: 'cripple', leg: fault });
  for (let t = 0; t < steps; t++) out.push(Float32Array.from(env.step(Float32Array.from({ length: 8 }, () => rng.range(-1, 1))).obs));
  return out;
}

describe('Crawler-v0', () => {
  it('is deterministic by seed and a crippled leg really changes the dynamics', () => {
    const a = rollout(3, null);
    const b = rollout(3, null);
    expect(a.map((o) => Array.from(o))).toEqual(b.map((o) => Array.from(o)));
    const c = rollout(3, 3);
    // leg 3's hip (obs index 10) no longer moves, and the trajectory differs
    expect(c.every((o) => o[10] === c[1][10])).toBe(true);
    expect(Math.abs(a[50][0] - c[50][0]) + Math.abs(a[50][1] - c[50][1])).toBeGreaterThan(1e-3);
  });

  it('rewardFromTransition reproduces the env reward', () => {
    const env = new CrawlerEnv();
    const rng = new Rng(1);
    let obs = Float32Array.from(env.reset({ seed: 1 }).obs);
    for (let t = 0; t < 20; t++) {
      const act = Float32Array.from({ length: 8 }, () => rng.range(-1.2, 1.2));
      const r = env.step(act);
      const next = Float32Array.from(r.obs);
      expect(env.rewardFromTransition(obs, act, next)[0]).toBeCloseTo(r.reward, 4);
      obs = next;
    }
  });

  it('a hand-written gait walks, random actions do not', () => {
    const env = new CrawlerEnv();
    env.reset({ seed: 1 });
    let x = 0;
    for (let t = 0; t < 100; t++) {
      const ph = Math.floor(t / 5) % 2;
      const a = new Float32Array(8);
      for (let k = 0; k < 4; k++) {
        a[2 * k] = ph ? -1 : 1;
        a[2 * k + 1] = ph ? 1 : -1;
      }
      x = env.step(a).info!.x_position!;
    }
    expect(x).toBeGreaterThan(10);
  });
});

describe('GrBAL meta-objective', () => {
  function setup(activation: 'tanh' | 'relu') {
    const spec = crawlerTaskSpec();
    const env = new CrawlerEnv();
    const data = new TransitionData(11, 8);
    collect({ env, data, tasks: spec.trainFaults, steps: 400, episodeSteps: 100, rng: new Rng(2) });
    const dspec: DynamicsSpec = { observationSize: 11, actionSize: 8, inputDims: [2, 3, 4, 5, 6, 7, 8, 9, 10], hidden: [12, 10], activation, recurrent: null };
    const model = new DynamicsModel(dspec, computeStats(data, dspec.inputDims));
    const params: Params = model.init(new Rng(3));
    params[LOG_LR] = tf.scalar(Math.log(0.3));
    const rng = new Rng(4);
    const M = 6;
    const K = 5;
    const B = 3;
    const starts = data.segmentStarts(M + K);
    const past: number[] = [];
    const fut: number[] = [];
    for (let b = 0; b < B; b++) {
      const s = starts[rng.int(starts.length)];
      for (let t = 0; t < M; t++) past.push(s + t);
      for (let t = 0; t < K; t++) fut.push(s + M + t);
    }
    const batched = { past: model.batch(data.gather(past), [B, M]), future: model.batch(data.gather(fut), [B, K]) };
    const segs = Array.from({ length: B }, (_, b) => ({
      past: model.batch(data.gather(past.slice(b * M, (b + 1) * M)), [M]),
      future: model.batch(data.gather(fut.slice(b * K, (b + 1) * K)), [K]),
    }));
    const dispose = () => {
      disposeBatch(batched.past);
      disposeBatch(batched.future);
      segs.forEach((s) => (disposeBatch(s.past), disposeBatch(s.future)));
      disposeParams(params);
      model.dispose();
    };
    return { model, params, batched, segs, dispose };
  }

  for (const innerSteps of [1, 2]) {
    it(`batched == generic (nested valueAndGrads through the core's layers), value and meta-gradient, second- and first-order, ${innerSteps} inner step(s)`, () => {
      const { model, params, batched, segs, dispose } = setup('relu');
      for (const firstOrder of [false, true]) {
        const h: MetaHyper = { M: 6, K: 5, innerLr: 0.3, innerSteps, firstOrder, learnInnerLr: true };
        const foG = firstOrder ? firstOrderDirections(model, params, segs, h) : undefined;
        const foB = firstOrder ? firstOrderGradsBatched(model, params, batched, h) : undefined;
        const g = tf.tidy(() => valueAndGrads((p) => grbalObjective(model, p, segs, h, foG), params));
        const b = tf.tidy(() => valueAndGrads((p) => grbalObjectiveBatched(model, p, batched, h, foB), params));
        expect(b.value.dataSync()[0]).toBeCloseTo(g.value.dataSync()[0], 5);
        for (const k of Object.keys(params)) {
          const x = g.grads[k].dataSync();
          const y = b.grads[k].dataSync();
          let num = 0;
          let den = 0;
          for (let i = 0; i < x.length; i++) {
            num += (x[i] - y[i]) ** 2;
            den += x[i] ** 2;
          }
          expect(Math.sqrt(num / Math.max(den, 1e-12)), `${k} (firstOrder=${firstOrder})`).toBeLessThan(1e-3);
        }
        if (foG) foG.forEach(disposeParams);
        if (foB) disposeLayers(foB);
        tf.dispose([g.value, b.value, ...Object.values(g.grads), ...Object.values(b.grads)]);
      }
      dispose();
    });
  }

  it('second-order and first-order meta-gradients differ (the second-order term is there)', () => {
    const { model, params, batched, dispose } = setup('tanh');
    const h: MetaHyper = { M: 6, K: 5, innerLr: 0.3, innerSteps: 1, firstOrder: false, learnInnerLr: true };
    const fo = firstOrderGradsBatched(model, params, batched, h);
    const so = tf.tidy(() => valueAndGrads((p) => grbalObjectiveBatched(model, p, batched, h), params).grads);
    const fg = tf.tidy(() => valueAndGrads((p) => grbalObjectiveBatched(model, p, batched, h, fo), params).grads);
    const d = tf.tidy(() => tf.sum(tf.abs(tf.sub(so['dyn.l0.W'], fg['dyn.l0.W']))).dataSync()[0]);
    expect(d).toBeGreaterThan(1e-5);
    disposeLayers(fo);
    tf.dispose([...Object.values(so), ...Object.values(fg)]);
    dispose();
  });

  it('the second-order meta-gradient matches finite differences (tanh MLP)', () => {
    const { model, params, batched, dispose } = setup('tanh');
    const h: MetaHyper = { M: 6, K: 5, innerLr: 0.3, innerSteps: 1, firstOrder: false, learnInnerLr: true };
    const r = checkFirstOrder((p) => grbalObjectiveBatched(model, p, batched, h) as Scalar, params, new Rng(7));
    expect(r.relError, JSON.stringify(r)).toBeLessThan(2e-3);
    dispose();
  });
});

describe('DynamicsModel inputs', () => {
  // inputDims may be one run (sliced) or scattered (gathered): either way the model reads exactly those columns
  it.each([
    ['contiguous', [2, 3, 4, 5]],
    ['scattered', [5, 0, 3]],
  ])('reads only its input dims (%s)', (_name, inputDims) => {
    const O = 6;
    const A = 2;
    const data = new TransitionData(O, A);
    const rng = new Rng(4);
    for (let i = 0; i < 64; i++) {
      const o = Float32Array.from({ length: O }, () => rng.normal());
      data.add(o, Float32Array.from({ length: A }, () => rng.range(-1, 1)), o.map((v) => v + 0.1 * rng.normal()), 0, 0);
    }
    const spec: DynamicsSpec = { observationSize: O, actionSize: A, inputDims, hidden: [16], activation: 'tanh' };
    const model = new DynamicsModel(spec, computeStats(data, inputDims));
    const p = model.init(new Rng(1));
    const obs = Float32Array.from({ length: O }, (_, i) => 0.3 * (i - 2));
    const predict = (o: Float32Array) => tf.tidy(() => Array.from(model.predictNorm(p, tf.tensor2d(o, [1, O]), tf.tensor2d([0.2, -0.4], [1, A])).dataSync()));
    const base = predict(obs);
    for (let d = 0; d < O; d++) {
      const moved = obs.slice();
      moved[d] += 1;
      const changed = predict(moved).some((v, i) => Math.abs(v - base[i]) > 1e-6);
      expect(changed, `dim ${d}`).toBe(inputDims.includes(d));
    }
    disposeParams(p);
    model.dispose();
  });
});
