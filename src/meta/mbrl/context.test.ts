import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { fitReadout, historyRowsContext, klToPrior, latentObjective, paramsContext, paramsSpec, readParams } from './context.js';
import { TransitionData } from './data.js';
import { DynamicsModel, LATENT_LOG_STD, LATENT_MU, type DynamicsSpec } from './model.js';

beforeAll(async () => {
  await initBackend();
});

const stats = (O: number, A: number) => ({ inMean: new Array(O).fill(0), inStd: new Array(O).fill(1), actMean: new Array(A).fill(0), actStd: new Array(A).fill(1), dMean: new Array(O).fill(0), dStd: new Array(O).fill(1) });
const spec = (context: DynamicsSpec['context']): DynamicsSpec => ({ observationSize: 2, actionSize: 1, inputDims: [0, 1], hidden: [8], activation: 'relu', context });

describe('context inputs of a dynamics model', () => {
  it('KL to the prior is 0 at N(0, I) and the closed form elsewhere', () => {
    expect(klToPrior(tf.zeros([3, 2]), tf.zeros([3, 2])).dataSync()[0]).toBeCloseTo(0, 9);
    // mu 1, std e^-1: 0.5 (1 + e^-2 - 1 + 2) per dim
    expect(klToPrior(tf.ones([1, 1]), tf.fill([1, 1], -1)).dataSync()[0]).toBeCloseTo(0.5 * (Math.exp(-2) + 2), 5);
  });

  it("the latent objective is the MSE under each row's task draw plus the weighted KL of all tasks", () => {
    const m = new DynamicsModel(spec({ kind: 'latent', size: 2, klWeight: 0.1, tasks: 3 }), stats(2, 1));
    const p = m.init(new Rng(1));
    expect(p[LATENT_MU].shape).toEqual([3, 2]);
    const b = m.batch({ obs: Float32Array.from([0.1, 0.2, 0.3, 0.4]), act: Float32Array.from([0.5, -0.5]), next: Float32Array.from([0.2, 0.1, 0.5, 0.5]) }, [2]);
    const task = tf.tensor1d([2, 0], 'int32');
    const eps = tf.tensor2d([0.3, -1, 0.5, 2], [2, 2]);
    const got = latentObjective(m, p, b, task, eps, 1000).dataSync()[0];
    const mu = p[LATENT_MU].arraySync() as number[][];
    const ls = p[LATENT_LOG_STD].arraySync() as number[][];
    const z = tf.tensor2d([mu[2][0] + Math.exp(ls[2][0]) * 0.3, mu[2][1] + Math.exp(ls[2][1]) * -1, mu[0][0] + Math.exp(ls[0][0]) * 0.5, mu[0][1] + Math.exp(ls[0][1]) * 2], [2, 2]);
    const want = m.loss(p, b, z).dataSync()[0] + ((2 * 0.1) / (1000 * 2)) * klToPrior(p[LATENT_MU], p[LATENT_LOG_STD]).dataSync()[0];
    expect(got).toBeCloseTo(want, 5);
  });

  it("MB with history reads each row's previous transitions of the same episode, zero before the episode began", () => {
    const d = new TransitionData(2, 1);
    for (let i = 0; i < 5; i++) d.add([i, 2 * i], [i / 10], [i + 1, 0], i < 3 ? 0 : 1, 0);
    const m = new DynamicsModel(spec({ kind: 'history', steps: 2 }), stats(2, 1));
    const ctx = historyRowsContext(m, d, [2, 3, 4], 2).arraySync() as number[][];
    // features of a row = (obs, act) with unit stats; slot 0 the most recent
    expect(ctx[0]).toEqual([1, 2, 0.1, 0, 0, 0].map((v) => Math.fround(v)));
    expect(ctx[1]).toEqual([0, 0, 0, 0, 0, 0]); // row 3 opens episode 1
    expect(ctx[2]).toEqual([3, 6, 0.3, 0, 0, 0].map((v) => Math.fround(v)));
  });

  it("the oracle's context is the standardized true parameters, and names one that is missing", () => {
    const s = paramsSpec(['payload_mass', 'cable_length'], [{ payload_mass: 0.1, cable_length: 0.3 }, { payload_mass: 0.3, cable_length: 1.0 }]);
    expect(s.mean).toEqual([0.2, 0.65]);
    expect(Array.from(paramsContext(s, { payload_mass: 0.3, cable_length: 0.3 }))).toEqual([1, -1].map((v) => Math.fround(v)));
    expect(() => paramsContext(s, { payload_mass: 0.3 })).toThrow(/true 'cable_length'/);
  });

  it('the read-out recovers a linear map from latent means to parameters', () => {
    const means = [[0, 0], [1, 0], [0, 1], [1, 1]];
    const params = means.map(([a, b]) => ({ cable_length: 0.5 + 0.3 * a - 0.2 * b, payload_mass: 0.1 + 0.05 * b }));
    const r = fitReadout(means, params, ['cable_length', 'payload_mass']);
    expect(readParams(r, [0.5, 2]).cable_length).toBeCloseTo(0.5 + 0.15 - 0.4, 5);
    expect(readParams(r, [0.5, 2]).payload_mass).toBeCloseTo(0.2, 5);
  });
});
