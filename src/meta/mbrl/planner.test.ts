import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf.js';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { decodeParams, loadCheckpoint } from './checkpoint.js';
import { DynamicsModel } from './model.js';
import { imagine } from './planner.js';

beforeAll(async () => {
  await initBackend();
});

describe('imagine', () => {
  // GrBAL's plain MLP, ReBAL's with a context input
  it.each(['grbal', 'rebal'])('rolls out exactly what step-by-step predictNext predicts (%s checkpoint)', (method) => {
    const ck = loadCheckpoint(`assets/checkpoints/Ant-v0/${method}.json`);
    const model = new DynamicsModel(ck.spec, ck.stats);
    const params = decodeParams(ck.params);
    const [N, H, O, A] = [16, 6, model.O, model.A];
    const rng = new Rng(4);
    const obs = Float32Array.from({ length: O }, () => rng.normal());
    // actions partly outside [-1, 1]: the model clips them
    const actions = Float32Array.from({ length: N * H * A }, () => rng.range(-1.5, 1.5));
    const ctx = model.contextSize ? tf.randomNormal([1, model.contextSize], 0, 1, 'float32', 3) : null;
    const fast = imagine(model, params, ctx, obs, actions, N, H);
    const reference = tf.tidy(() => {
      let s: Tensor = tf.tile(tf.tensor2d(obs, [1, O]), [N, 1]);
      const acts = tf.unstack(tf.tensor3d(actions, [N, H, A]), 1);
      const c = ctx ? tf.tile(ctx, [N, 1]) : null;
      const out: Tensor[] = [];
      for (let t = 0; t < H; t++) out.push((s = model.predictNext(params, s, acts[t], c)));
      return tf.stack(out, 1);
    });
    expect(Array.from(fast)).toEqual(Array.from(reference.dataSync()));
    reference.dispose();
    ctx?.dispose();
    model.dispose();
  });
});
