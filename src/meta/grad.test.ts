import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Scalar } from './tf.js';
import { initBackend } from './backend.js';
import { activations, dense, matmul, type ActivationName } from './ops.js';
import { initMlp, mlp, initGru, gruSequence, initLstm, lstmSequence, gaussianLogProb, gaussianEntropy, initDense } from './nn.js';
import { checkFirstOrder, checkSecondOrder } from './gradcheck.js';
import { sgdStep, valueAndGrads, disposeParams, type Params } from './params.js';
import { Rng } from './rng.js';

const TOL = 2e-3;


function tensorFrom(rng: Rng, shape: number[], scale = 1, awayFromZero = 0): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let x = 0;
    do x = scale * rng.normal();
    while (Math.abs(x) < awayFromZero);
    d[i] = x;
  }
  return tf.tensor(d, shape);
}

// Every check runs on the cpu backend (reference) and on wasm (what runs by default here).
describe.each(['cpu', 'wasm'])('%s backend', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  describe('activations: first, second and third order against finite differences', () => {
    const names: ActivationName[] = ['tanh', 'sigmoid', 'exp', 'elu', 'relu', 'softplus'];
    for (const name of names) {
      it(name, () => {
        const rng = new Rng(1);
        const act = activations[name];
        // Keep inputs away from the kinks of relu/elu so finite differences are meaningful there.
        const p: Params = { x: tensorFrom(rng, [16], 1.2, 0.15) };
        const w = tensorFrom(rng, [16]);
        const f = (q: Params) => tf.sum(tf.mul(w, act(q.x))) as Scalar;
        const r1 = checkFirstOrder(f, p, rng);
        const r2 = checkSecondOrder(f, p, rng);
        expect(r1.relError, JSON.stringify(r1)).toBeLessThan(TOL);
        expect(r2.relError, JSON.stringify(r2)).toBeLessThan(TOL);
        // Third order: the second derivative of (d/dx act) is again differentiable.
        const g = (q: Params) => {
          const { grads } = valueAndGrads(f, q);
          return tf.sum(tf.mul(grads.x, w)) as Scalar;
        };
        const r3 = checkSecondOrder(g, p, rng);
        expect(r3.relError, JSON.stringify(r3)).toBeLessThan(5e-3);
        if (name !== 'relu') expect(Math.abs(r2.analytic)).toBeGreaterThan(1e-3); // non-trivial
        disposeParams(p);
        w.dispose();
      });
    }
  });

  describe('layers: first and second order against finite differences', () => {
    it('matmul / dense (rank 2 and rank 3 inputs)', () => {
      const rng = new Rng(2);
      const p: Params = { ...initDense(rng, 5, 4, 'd'), x: tensorFrom(rng, [3, 5]), x3: tensorFrom(rng, [2, 3, 5]) };
      const c = tensorFrom(rng, [3, 4]);
      const f = (q: Params) =>
        tf.add(tf.sum(tf.mul(c, activations.tanh(dense(q.x, q['d.W'], q['d.b'])))), tf.sum(tf.square(matmul(q.x3, q['d.W'])))) as Scalar;
      expect(checkFirstOrder(f, p, rng).relError).toBeLessThan(TOL);
      expect(checkSecondOrder(f, p, rng).relError).toBeLessThan(TOL);
      disposeParams(p);
      c.dispose();
    });

    for (const act of ['tanh', 'relu', 'elu', 'softplus', 'sigmoid'] as ActivationName[]) {
      it(`MLP (${act})`, () => {
        const rng = new Rng(3);
        const spec = { sizes: [6, 8, 8, 3], activation: act };
        const p = initMlp(rng, spec);
        const x = tensorFrom(rng, [4, 6]);
        const y = tensorFrom(rng, [4, 3]);
        const f = (q: Params) => tf.mean(tf.square(tf.sub(mlp(q, x, spec), y))) as Scalar;
        // Piecewise-linear nets: small steps so that finite differences rarely cross a kink.
        const eps = act === 'relu' ? 1e-4 : 1e-2;
        const r1 = checkFirstOrder(f, p, rng, eps);
        const r2 = checkSecondOrder(f, p, rng, eps);
        expect(r1.relError, JSON.stringify(r1)).toBeLessThan(act === 'relu' ? 5e-3 : TOL);
        expect(r2.relError, JSON.stringify(r2)).toBeLessThan(act === 'relu' ? 1e-2 : TOL);
        disposeParams(p);
        tf.dispose([x, y]);
      });
    }

    it('GRU sequence', () => {
      const rng = new Rng(4);
      const p: Params = { ...initGru(rng, 3, 5), h0: tensorFrom(rng, [2, 5], 0.5) };
      const xs = tensorFrom(rng, [4, 2, 3]);
      const f = (q: Params) => {
        const { outputs, h } = gruSequence(q, xs, q.h0);
        return tf.add(tf.sum(tf.square(outputs)), tf.sum(h)) as Scalar;
      };
      const r1 = checkFirstOrder(f, p, rng);
      const r2 = checkSecondOrder(f, p, rng);
      expect(r1.relError, JSON.stringify(r1)).toBeLessThan(TOL);
      expect(r2.relError, JSON.stringify(r2)).toBeLessThan(TOL);
      disposeParams(p);
      xs.dispose();
    });

    it('LSTM sequence', () => {
      const rng = new Rng(5);
      const p: Params = { ...initLstm(rng, 3, 4), h0: tensorFrom(rng, [2, 4], 0.5), c0: tensorFrom(rng, [2, 4], 0.5) };
      const xs = tensorFrom(rng, [4, 2, 3]);
      const f = (q: Params) => {
        const { outputs, state } = lstmSequence(q, xs, { h: q.h0, c: q.c0 });
        return tf.add(tf.sum(tf.square(outputs)), tf.sum(state.c)) as Scalar;
      };
      const r1 = checkFirstOrder(f, p, rng);
      const r2 = checkSecondOrder(f, p, rng);
      expect(r1.relError, JSON.stringify(r1)).toBeLessThan(TOL);
      expect(r2.relError, JSON.stringify(r2)).toBeLessThan(TOL);
      disposeParams(p);
      xs.dispose();
    });

    it('Gaussian log-prob and entropy', () => {
      const rng = new Rng(6);
      const p: Params = { mean: tensorFrom(rng, [5, 3]), logStd: tensorFrom(rng, [3], 0.3) };
      const a = tensorFrom(rng, [5, 3]);
      const f = (q: Params) => tf.add(tf.sum(gaussianLogProb(a, q.mean, q.logStd)), tf.mul(gaussianEntropy(q.logStd), 0.1)) as Scalar;
      expect(checkFirstOrder(f, p, rng).relError).toBeLessThan(TOL);
      expect(checkSecondOrder(f, p, rng).relError).toBeLessThan(TOL);
      disposeParams(p);
      a.dispose();
    });

    it('Gaussian log-prob matches the closed form', () => {
      const lp = tf.tidy(() => gaussianLogProb(tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 0]]), tf.tensor1d([0, Math.log(2)])).dataSync()[0]);
      const expected = -0.5 * 1 - 0.5 * Math.log(2 * Math.PI) + (-0.5 * 1 - Math.log(2) - 0.5 * Math.log(2 * Math.PI));
      expect(lp).toBeCloseTo(expected, 5);
    });
  });

  describe('MAML through the layers (second-order meta-gradient)', () => {
    it('grad of L_query(theta - alpha grad L_support(theta)) matches finite differences', () => {
      const rng = new Rng(7);
      const spec = { sizes: [3, 8, 8, 2], activation: 'tanh' as const };
      const p = initMlp(rng, spec);
      const xs = tensorFrom(rng, [6, 3]);
      const ys = tensorFrom(rng, [6, 2]);
      const xq = tensorFrom(rng, [6, 3]);
      const yq = tensorFrom(rng, [6, 2]);
      const loss = (q: Params, x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.square(tf.sub(mlp(q, x, spec), y))) as Scalar;
      const meta = (q: Params) => {
        const { grads } = valueAndGrads((r) => loss(r, xs, ys), q);
        return loss(sgdStep(q, grads, 0.5), xq, yq);
      };
      const r = checkFirstOrder(meta, p, rng);
      expect(r.relError, JSON.stringify(r)).toBeLessThan(TOL);
      // And it differs from the first-order approximation, so the second-order term is really there.
      const fo = tf.tidy(() => {
        const { grads } = valueAndGrads((r2) => loss(r2, xs, ys), p);
        const adapted = sgdStep(p, grads, 0.5);
        const g2 = valueAndGrads((r2) => loss(r2, xq, yq), adapted).grads;
        const g1 = valueAndGrads(meta, p).grads;
        return tf.sum(tf.abs(tf.sub(g1['l0.W'], g2['l0.W']))).dataSync()[0];
      });
      expect(fo).toBeGreaterThan(1e-4);
      disposeParams(p);
      tf.dispose([xs, ys, xq, yq]);
    });
  });

  describe('maml.ts', () => {
    it('second-order meta-gradient matches finite differences; first-order equals grad L_q at theta\'', async () => {
      const { metaGradient, adapt } = await import('./maml.js');
      const rng = new Rng(12);
      const spec = { sizes: [2, 6, 1], activation: 'relu' as const };
      const p = initMlp(rng, spec);
      const xs = tensorFrom(rng, [5, 2]);
      const ys = tensorFrom(rng, [5, 1]);
      const xq = tensorFrom(rng, [5, 2]);
      const yq = tensorFrom(rng, [5, 1]);
      const loss = (q: Params, x: tf.Tensor, y: tf.Tensor) => tf.mean(tf.square(tf.sub(mlp(q, x, spec), y))) as Scalar;
      const task = { support: (q: Params) => loss(q, xs, ys), query: (q: Params) => loss(q, xq, yq) };
      const o = { innerLr: 0.3, innerSteps: 2 };
      const r = checkFirstOrder((q) => metaGradient(q, [task, task], o).value, p, rng, 1e-4);
      expect(r.relError, JSON.stringify(r)).toBeLessThan(5e-3);
      const fo = metaGradient(p, [task], { ...o, firstOrder: true }).grads;
      const direct = tf.tidy(() => {
        const adapted = adapt(p, task.support, o);
        return valueAndGrads(task.query, adapted).grads;
      });
      for (const k in fo) {
        const a = fo[k].dataSync();
        const b = direct[k].dataSync();
        for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 6);
      }
      disposeParams(p);
      tf.dispose([xs, ys, xq, yq, ...Object.values(fo), ...Object.values(direct)]);
    });
  });
});
