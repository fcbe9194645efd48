/**
 * The quadrotor's shipped latent model (assets/checkpoints/QuadPayloadVel-v0/latent.json): z
 * inferred online separates payloads it has not seen, and CEM on the model tracks a circle.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { loadCheckpoint } from './checkpoint.js';
import { LatentInferrer, readParams } from './context.js';
import { createAdaptiveController } from './controller.js';
import { DynamicsModel } from './model.js';
import { decodeParams } from './checkpoint.js';
import { quadCheckpointPath, quadTaskSpec } from './quad.js';
import { quadPid } from '../../physics/controllers/quad-pid.js';
import type { MbEnv } from './types.js';

const LATENT = quadCheckpointPath('latent');

beforeAll(async () => {
  await initBackend();
});

/** Transitions of a PID flight of the figure-8 with a payload (seeded, not training data). */
function fly(env: MbEnv, params: Record<string, number>, seed: number, steps: number) {
  const pid = quadPid(env.dt, 2);
  let obs = Float32Array.from(env.reset({ seed, options: { params } }).obs);
  const rows = { obs: [] as Float32Array[], act: [] as Float32Array[], next: [] as Float32Array[] };
  for (let t = 0; t < steps; t++) {
    const a = Float32Array.from(pid.act(obs, new Float32Array(3)));
    const next = Float32Array.from(env.step(a).obs);
    rows.obs.push(obs);
    rows.act.push(a);
    rows.next.push(next);
    obs = next;
  }
  return rows;
}

describe.skipIf(!existsSync(LATENT))('the shipped quadrotor latent model', () => {
  it('infers z from held-out flights that separates a short from a long cable, and reads it out in order', async () => {
    const ck = loadCheckpoint(LATENT);
    const model = new DynamicsModel(ck.spec, ck.stats);
    const theta = decodeParams(ck.params);
    const env = await quadTaskSpec().make();
    const post: { mean: number[]; std: number[]; cable: number }[] = [];
    for (const cable_length of [0.3, 1.0]) {
      const rows = fly(env, { cable_length, payload_mass: 0.2 }, 7, 24);
      const cat = (xs: Float32Array[]) => Float32Array.from(xs.slice(8).flatMap((x) => Array.from(x)));
      const b = model.batch({ obs: cat(rows.obs), act: cat(rows.act), next: cat(rows.next) }, [16]);
      const inf = new LatentInferrer(model, { steps: 40, lr: 0.1, samples: 4 });
      inf.update(theta, b, new Rng(0));
      const q = inf.posterior();
      const ro = ck.spec.context?.kind === 'latent' && ck.spec.context.readout ? readParams(ck.spec.context.readout, q.mean) : null;
      post.push({ ...q, cable: ro?.cable_length ?? NaN });
    }
    env.dispose?.();
    const [short, long] = post;
    // the two posteriors' means are apart by more than their stds in some dimension
    const apart = short.mean.some((m, j) => Math.abs(m - long.mean[j]) > short.std[j] + long.std[j]);
    expect(apart).toBe(true);
    expect(long.cable - short.cable).toBeGreaterThan(0.2);
  }, 30_000);

  it('CEM on the model flies a circle with the payload closer to the reference than zero commands', async () => {
    const env = await quadTaskSpec({ reference: 'circle' }).make();
    const ctl = createAdaptiveController({ checkpoint: LATENT, env, seed: 0 });
    const err = (act: (obs: Float32Array) => ArrayLike<number>) => {
      let obs = Float32Array.from(env.reset({ seed: 3 }).obs);
      ctl.reset(3);
      let sum = 0;
      for (let t = 0; t < 20; t++) {
        const r = env.step(act(obs));
        sum += r.info?.tracking_error as number;
        obs = Float32Array.from(r.obs);
      }
      return sum / 20;
    };
    const planned = err((o) => ctl.act(o));
    const zero = err(() => [0, 0, 0]);
    ctl.dispose();
    env.dispose?.();
    expect(planned).toBeLessThan(0.5 * zero);
  }, 30_000);

  it('refuses an env whose step is not the one the model predicts (0.1 s commands for a 0.2 s model), and the oracle without the true payload', async () => {
    const fast = await quadTaskSpec({ controlPeriod: 0.1 }).make();
    expect(() => createAdaptiveController({ checkpoint: LATENT, env: fast })).toThrow(/predicts 0.2 s steps, the env steps 0.1 s/);
    fast.dispose?.();
    const env = await quadTaskSpec().make();
    expect(() => createAdaptiveController({ checkpoint: quadCheckpointPath('oracle'), env })).toThrow(/the oracle needs trueParams/);
    env.dispose?.();
  });
});
