import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { disposeParams } from '../params.js';
import { HeadingFrame, type YawFrame } from './frame.js';
import { DynamicsModel, computeStats, type DynamicsSpec, type DynamicsStats } from './model.js';
import { TransitionData } from './data.js';

beforeAll(async () => {
  await initBackend('cpu');
});

// Ant-v0's layout with includeXY: 0 x, 1 y, 2 z, 3-6 quat (w, x, y, z), 15-16 world linear velocity x, y
const O = 29;
const A = 8;
const ANT_FRAME: YawFrame = { quat: 3, planar: [[0, 1], [15, 16]] };

/** The same state seen after turning the whole world by `a` about z (what the heading frame must not notice). */
function turned(obs: Float32Array, a: number): Float32Array {
  const o = Float32Array.from(obs);
  for (let b = 0; b < o.length; b += O) {
    const c = Math.cos(a), s = Math.sin(a), ch = Math.cos(a / 2), sh = Math.sin(a / 2);
    for (const [i, j] of ANT_FRAME.planar) {
      const x = o[b + i], y = o[b + j];
      o[b + i] = c * x - s * y;
      o[b + j] = s * x + c * y;
    }
    const [w, qx, qy, qz] = [o[b + 3], o[b + 4], o[b + 5], o[b + 6]];
    // (ch, 0, 0, sh) (x) q
    o[b + 3] = ch * w - sh * qz;
    o[b + 4] = ch * qx - sh * qy;
    o[b + 5] = ch * qy + sh * qx;
    o[b + 6] = ch * qz + sh * w;
  }
  return o;
}

/** Random states with a torso tilted a little and facing anywhere. */
function states(rng: Rng, n: number): Float32Array {
  const o = new Float32Array(n * O);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < O; k++) o[r * O + k] = rng.range(-1, 1);
    const roll = rng.range(-0.3, 0.3), yaw = rng.range(-Math.PI, Math.PI);
    // yaw (x) roll: (cy, 0, 0, sy) (x) (cr, sr, 0, 0)
    const cy = Math.cos(yaw / 2), sy = Math.sin(yaw / 2), cr = Math.cos(roll / 2), sr = Math.sin(roll / 2);
    o.set([cy * cr, cy * sr, sy * sr, sy * cr], r * O + 3);
  }
  return o;
}

function model(frame: YawFrame | null): DynamicsModel {
  const inputDims = Array.from({ length: O }, (_, i) => i).filter((i) => i > 1);
  const spec: DynamicsSpec = { observationSize: O, actionSize: A, inputDims, hidden: [32, 32], activation: 'relu', recurrent: null, frame };
  const stats: DynamicsStats = {
    inMean: inputDims.map(() => 0),
    inStd: inputDims.map(() => 0.5),
    actMean: Array(A).fill(0),
    actStd: Array(A).fill(0.6),
    dMean: Array(O).fill(0.01),
    dStd: Array(O).fill(0.1),
  };
  return new DynamicsModel(spec, stats);
}

describe('heading frame', () => {
  it('reads an upright torso facing any way as facing +x, and its velocity as forward speed', () => {
    const h = new HeadingFrame(ANT_FRAME, O);
    for (const yaw of [0, 0.7, 2.5, Math.PI, -2.9]) {
      const o = new Float32Array(O);
      o.set([Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)], 3);
      o[15] = 0.8 * Math.cos(yaw);
      o[16] = 0.8 * Math.sin(yaw);
      const seen = tf.tidy(() => {
        const t = tf.tensor2d(o, [1, O]);
        return h.rotate(t, h.rotation(t)).dataSync();
      });
      Array.from(seen.slice(3, 7)).forEach((v, k) => expect(v).toBeCloseTo(k === 0 ? 1 : 0, 5));
      expect(seen[15]).toBeCloseTo(0.8, 5);
      expect(seen[16]).toBeCloseTo(0, 5);
    }
    h.dispose();
  });

  it('a heading-frame model predicts the same motion at every heading; a world-frame one does not', () => {
    const rng = new Rng(7);
    const obs = states(rng, 64);
    const act = Float32Array.from({ length: 64 * A }, () => rng.range(-1, 1));
    const mismatch = (m: DynamicsModel, a: number): number => {
      const p = m.init(new Rng(1));
      const e = tf.tidy(() => {
        const here = m.predictNext(p, tf.tensor2d(obs, [64, O]), tf.tensor2d(act, [64, A])).dataSync() as Float32Array;
        const there = m.predictNext(p, tf.tensor2d(turned(obs, a), [64, O]), tf.tensor2d(act, [64, A])).dataSync() as Float32Array;
        const expected = turned(here, a);
        let worst = 0;
        for (let i = 0; i < there.length; i++) worst = Math.max(worst, Math.abs(there[i] - expected[i]));
        return worst;
      });
      disposeParams(p);
      m.dispose();
      return e;
    };
    for (const a of [0.4, Math.PI / 2, 3]) {
      expect(mismatch(model(ANT_FRAME), a)).toBeLessThan(1e-4);
      expect(mismatch(model(null), a)).toBeGreaterThan(1e-2);
    }
  });

  it('takes a transition into the frame and back exactly, and reads q and -q as one attitude', () => {
    const rng = new Rng(3);
    const obs = states(rng, 16);
    const next = states(rng, 16);
    const m = model(ANT_FRAME);
    const p = m.init(new Rng(2));
    const [back, pred, predFlipped] = tf.tidy(() => {
      const o = tf.tensor2d(obs, [16, O]);
      const flipped = Float32Array.from(obs);
      for (let r = 0; r < 16; r++) for (let k = 3; k < 7; k++) flipped[r * O + k] *= -1;
      const a = tf.zeros([16, A]);
      return [
        m.nextFromNorm(o, m.normDelta(o, tf.tensor2d(next, [16, O]))).dataSync(),
        m.predictNext(p, o, a).dataSync(),
        m.predictNext(p, tf.tensor2d(flipped, [16, O]), a).dataSync(),
      ];
    });
    for (let i = 0; i < next.length; i++) expect(back[i]).toBeCloseTo(next[i], 5);
    // the same attitude written with the other sign: the same prediction, written with that sign
    for (let i = 0; i < pred.length; i++) expect(predFlipped[i]).toBeCloseTo(i % O >= 3 && i % O < 7 ? -pred[i] : pred[i], 4);
    disposeParams(p);
    m.dispose();
  });

  it('normalizes what the model sees: a torso circling at constant speed has one forward velocity', () => {
    // 0.5 m/s along the heading while the heading turns a full circle
    const data = new TransitionData(O, A);
    const rng = new Rng(5);
    for (let t = 0; t < 200; t++) {
      const at = (k: number) => {
        const o = new Float32Array(O), yaw = (2 * Math.PI * k) / 200 - Math.PI;
        o.set([Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)], 3);
        o[15] = 0.5 * Math.cos(yaw);
        o[16] = 0.5 * Math.sin(yaw);
        return o;
      };
      data.add(at(t), Float32Array.from({ length: A }, () => rng.range(-1, 1)), at(t + 1), 0, 0);
    }
    const dims = Array.from({ length: O - 2 }, (_, i) => i + 2);
    const world = computeStats(data, dims);
    const frame = computeStats(data, dims, ANT_FRAME);
    const vx = dims.indexOf(15), vy = dims.indexOf(16);
    expect(world.inStd[vx]).toBeGreaterThan(0.3);
    expect(world.inStd[vy]).toBeGreaterThan(0.3);
    expect(frame.inMean[vx]).toBeCloseTo(0.5, 4);
    expect(frame.inStd[vx]).toBeLessThan(0.01);
    expect(frame.inStd[vy]).toBeLessThan(0.01);
  });
});
