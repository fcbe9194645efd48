import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Scalar } from './tf.js';
import { initBackend } from './backend.js';
import { Adam } from './adam.js';
import { RunningMeanStd } from './normalizer.js';
import { initMlp, mlp, initGru, gruSequence, orthogonal } from './nn.js';
import { valueAndGrads, disposeParams, paramsToArrays, paramsFromArrays, type Params } from './params.js';
import { Rng } from './rng.js';

beforeAll(async () => {
  await initBackend();
});

describe('Rng', () => {
  it('is reproducible and its state round-trips', () => {
    const a = new Rng(42);
    a.normal();
    const st = a.getState();
    const xs = [a.uniform(), a.normal(), a.normal(), a.nextU32()];
    const b = new Rng(st);
    expect([b.uniform(), b.normal(), b.normal(), b.nextU32()]).toEqual(xs);
    const c = new Rng(43);
    expect(c.uniform()).not.toBe(new Rng(42).uniform());
    const n = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const z = c.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });
});

describe('init', () => {
  it('orthogonal matrices are orthogonal', () => {
    const q = orthogonal(new Rng(1), 6, 4);
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        let d = 0;
        for (let r = 0; r < 6; r++) d += q[r * 4 + a] * q[r * 4 + b];
        expect(d).toBeCloseTo(a === b ? 1 : 0, 5);
      }
  });
});

describe('RunningMeanStd', () => {
  it('matches batch statistics when updated in chunks, and round-trips', () => {
    const rng = new Rng(3);
    const data = new Float32Array(300 * 2);
    for (let i = 0; i < 300; i++) {
      data[2 * i] = 5 + 2 * rng.normal();
      data[2 * i + 1] = -1 + 0.5 * rng.normal();
    }
    const r = new RunningMeanStd(2, 0);
    r.update(data.subarray(0, 200), 100);
    r.update(data.subarray(200), 200);
    let m0 = 0;
    for (let i = 0; i < 300; i++) m0 += data[2 * i] / 300;
    let v0 = 0;
    for (let i = 0; i < 300; i++) v0 += (data[2 * i] - m0) ** 2 / 300;
    expect(r.mean[0]).toBeCloseTo(m0, 8);
    expect(r.var[0]).toBeCloseTo(v0, 8);
    const z = r.normalize([m0, -1]);
    expect(z[0]).toBeCloseTo(0, 5);
    const r2 = RunningMeanStd.fromState(JSON.parse(JSON.stringify(r.getState())));
    expect(r2.getState()).toEqual(r.getState());
  });
});

describe('Adam', () => {
  it('fits a regression and its state round-trips bit-exactly', () => {
    const rng = new Rng(5);
    const spec = { sizes: [2, 16, 1], activation: 'tanh' as const };
    let p = initMlp(rng, spec);
    const x = tf.tensor2d([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
    const y = tf.tensor2d([0, 1, 1, 0], [4, 1]);
    const loss = (q: Params) => tf.mean(tf.square(tf.sub(mlp(q, x, spec), y))) as Scalar;
    const adam = new Adam({ lr: 0.03, maxGradNorm: 10 });
    let first = NaN;
    let last = NaN;
    for (let i = 0; i < 300; i++) {
      const { value, grads } = valueAndGrads(loss, p);
      last = value.dataSync()[0];
      if (i === 0) first = last;
      p = adam.apply(p, grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(last).toBeLessThan(first * 0.1);
    // Round trip: two optimizers from the same state take identical steps.
    const st = JSON.parse(JSON.stringify(adam.getState(), (_k, v) => (v instanceof Float32Array ? Array.from(v) : v)));
    for (const k of ['m', 'v'] as const) for (const n in st[k]) st[k][n].data = Float32Array.from(st[k][n].data);
    const adam2 = Adam.fromState(st);
    const g = valueAndGrads(loss, p);
    const p1 = adam.apply(p, g.grads, true);
    const p2 = adam2.apply(p, g.grads, true);
    const a1 = paramsToArrays(p1);
    const a2 = paramsToArrays(p2);
    for (const k in a1) expect(Buffer.from(a1[k].data.buffer).equals(Buffer.from(a2[k].data.buffer))).toBe(true);
    tf.dispose([g.value, ...Object.values(g.grads), x, y]);
    [p, p1, p2].forEach(disposeParams);
    adam.dispose();
    adam2.dispose();
  });
});

describe('Adam modes', () => {
  it('JS and tensor updates agree, and state moves between them', () => {
    const rng = new Rng(8);
    const spec = { sizes: [3, 5, 2], activation: 'tanh' as const };
    const p0 = initMlp(rng, spec);
    const x = tf.randomNormal([7, 3], 0, 1, 'float32', 3);
    const loss = (q: Params) => tf.sum(tf.square(mlp(q, x, spec))) as Scalar;
    const run = (mode: 'js' | 'tensor') => {
      const adam = new Adam({ lr: 0.01, maxGradNorm: 0.5, mode });
      let p = paramsFromArrays(paramsToArrays(p0));
      for (let i = 0; i < 5; i++) {
        const { value, grads } = valueAndGrads(loss, p);
        p = adam.apply(p, grads);
        tf.dispose([value, ...Object.values(grads)]);
      }
      return { p, adam };
    };
    const a = run('js');
    const b = run('tensor');
    const pa = paramsToArrays(a.p);
    const pb = paramsToArrays(b.p);
    for (const k in pa) for (let i = 0; i < pa[k].data.length; i++) expect(pa[k].data[i]).toBeCloseTo(pb[k].data[i], 5);
    const sa = a.adam.getState();
    const sb = b.adam.getState();
    expect(sa.m['l0.W'].shape).toEqual([3, 5]);
    for (let i = 0; i < sa.v['l0.W'].data.length; i++) expect(sa.v['l0.W'].data[i]).toBeCloseTo(sb.v['l0.W'].data[i], 6);
    // a JS-mode state restores into a tensor-mode optimizer
    const c = new Adam({ lr: 0.01, mode: 'tensor' });
    c.setState(sa);
    expect(c.getState().m['l0.W'].data).toEqual(sa.m['l0.W'].data);
    [a.p, b.p, p0].forEach(disposeParams);
    [a.adam, b.adam, c].forEach((o) => o.dispose());
    x.dispose();
  });
});

describe('memory', () => {
  it('tensor count is flat over 1000 training steps (MLP + GRU, Adam)', () => {
    const rng = new Rng(9);
    const spec = { sizes: [4, 32, 32, 2], activation: 'elu' as const };
    let p: Params = { ...initMlp(rng, spec), ...initGru(rng, 2, 8) };
    const x = tf.randomUniform([16, 4], -1, 1, 'float32', 1);
    const seq = tf.randomUniform([3, 16, 2], -1, 1, 'float32', 2);
    const h0 = tf.zeros([16, 8]);
    const adam = new Adam({ lr: 1e-3, maxGradNorm: 1 });
    const loss = (q: Params) =>
      tf.add(tf.mean(tf.square(mlp(q, x, spec))), tf.mean(tf.square(gruSequence(q, seq, h0).h))) as Scalar;
    const step = () => {
      const { value, grads } = tf.tidy(() => valueAndGrads(loss, p));
      p = adam.apply(p, grads);
      tf.dispose([value, ...Object.values(grads)]);
    };
    for (let i = 0; i < 10; i++) step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(p);
    adam.dispose();
    tf.dispose([x, seq, h0]);
  });

  it('tensor count is flat over second-order MAML meta-training steps', async () => {
    const { metaGradient } = await import('./maml.js');
    const rng = new Rng(10);
    const spec = { sizes: [3, 16, 16, 2], activation: 'relu' as const };
    let p = initMlp(rng, spec);
    const xs = tf.randomNormal([8, 3], 0, 1, 'float32', 4);
    const ys = tf.randomNormal([8, 2], 0, 1, 'float32', 5);
    const loss = (q: Params) => tf.mean(tf.square(tf.sub(mlp(q, xs, spec), ys))) as Scalar;
    const adam = new Adam({ lr: 1e-3 });
    const step = () => {
      const { value, grads } = metaGradient(p, [{ support: loss, query: loss }, { support: loss, query: loss }], { innerLr: 0.01 });
      p = adam.apply(p, grads);
      tf.dispose([value, ...Object.values(grads)]);
    };
    for (let i = 0; i < 5; i++) step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(p);
    adam.dispose();
    tf.dispose([xs, ys]);
  });
});
