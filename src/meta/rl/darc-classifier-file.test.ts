import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { DomainClassifiers } from './darc-classifier.js';
import { DarcClassifierReader, darcClassifierFile, loadDarcClassifiers, saveDarcClassifiers } from './darc-classifier-file.js';
import type { ReplayBatch } from './replay.js';

beforeAll(async () => {
  await initBackend();
});

const O = 3;
const A = 2;

/** A batch of n random transitions; in the "target" action 1 does not move s'. */
function batch(rng: Rng, n: number, broken: boolean): ReplayBatch {
  const obs = rng.fillNormal(new Float32Array(n * O), 0, 2);
  const actions = new Float32Array(n * A).map(() => rng.range(-3, 3));
  const nextObs = new Float32Array(n * O);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < O; j++) nextObs[k * O + j] = obs[k * O + j] + actions[k * A] + (broken ? 0 : actions[k * A + 1]) * (j === 1 ? 1 : 0);
  return { obs, actions, rewards: new Float32Array(n), nextObs, terminals: new Float32Array(n) };
}

describe('DARC classifier file', () => {
  it('reads the same logits and dr as the trained classifiers, through a saved file', () => {
    const rng = new Rng(3);
    const c = new DomainClassifiers(O, A, { hidden: [16], inputNoise: 0.5, lr: 3e-3 }, rng.fork());
    for (let i = 0; i < 30; i++) c.train(batch(rng, 64, false), batch(rng, 64, true), rng);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'darc-cls-'));
    const file = path.join(dir, 'darc-classifiers.json');
    saveDarcClassifiers(file, darcClassifierFile(c.getState().params, { env: 'Toy', observationSize: O, actionSize: A, meta: { steps: 30 } }));
    const reader = new DarcClassifierReader(loadDarcClassifiers(file));
    const b = batch(rng, 20, true);
    const want = c.logitsOf(b);
    const dr = c.deltaReward(b);
    for (let k = 0; k < 20; k++) {
      const s = b.obs.subarray(k * O, (k + 1) * O);
      const a = b.actions.subarray(k * A, (k + 1) * A);
      const s2 = b.nextObs.subarray(k * O, (k + 1) * O);
      const l = reader.logits(s, a, s2);
      for (let j = 0; j < 2; j++) {
        expect(l.sa[j]).toBeCloseTo(want.sa[2 * k + j], 4);
        expect(l.sas[j]).toBeCloseTo(want.sas[2 * k + j], 4);
      }
      expect(reader.deltaReward(s, a, s2)).toBeCloseTo(dr[k], 4);
    }
    // the trained classifiers are not constant: dr differs across transitions
    expect(Math.max(...dr) - Math.min(...dr)).toBeGreaterThan(1e-3);
    c.dispose();
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses files whose layers do not fit the sizes', () => {
    const rng = new Rng(1);
    const c = new DomainClassifiers(O, A, { hidden: [4], inputNoise: 1, lr: 1e-3 }, rng);
    const params = c.getState().params;
    expect(() => darcClassifierFile(params, { env: 'Toy', observationSize: O + 1, actionSize: A })).toThrow(/sa takes 5 inputs, needs 6/);
    c.dispose();
  });
});
