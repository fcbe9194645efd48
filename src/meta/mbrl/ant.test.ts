/**
 * The shipped Ant-v0 checkpoints on the Rapier ant: they load, adapt and plan (ghost path = torso
 * x, y, z), and MPC with the shipped MB model walks farther than random actions on the intact ant.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { antPathTaskSpec, antTaskSpec, antUprightPenalty } from './ant.js';
import { createAdaptiveController } from './controller.js';
import { defaultCheckpointPath } from './eval.js';
import type { MbEnv } from './types.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/checkpoints/Ant-v0');
const ck = (m: string) => path.join(dir, `${m}.json`);
const spec = antTaskSpec();
let env: MbEnv;

beforeAll(async () => {
  await initBackend();
  env = await spec.make({ episodic: false });
});

describe('upright cost in imagination', () => {
  it('is zero upright and within 45 degrees of tilt, and grows as the torso rolls onto its back', () => {
    const O = 29;
    // torso rolled about x by each angle; quaternions left unnormalized, as a model predicts them
    const angles = [0, 30, 44, 60, 90, 135, 180];
    const obs = new Float32Array(angles.length * O);
    angles.forEach((deg, i) => {
      const h = (deg * Math.PI) / 360;
      obs.set([1.3 * Math.cos(h), 1.3 * Math.sin(h), 0, 0], i * O + 3);
    });
    const out = new Float32Array(angles.length);
    antUprightPenalty(obs, angles.length, out);
    expect(Array.from(out.slice(0, 3))).toEqual([0, 0, 0]);
    for (let i = 3; i < angles.length; i++) expect(out[i]).toBeLessThan(out[i - 1]);
    expect(out[angles.length - 1]).toBeCloseTo(-10 * (0.7 + 1), 4);
    expect(spec.imaginedPenalty).toBe(antUprightPenalty);
    // the path task costs tilt from 25 degrees on (0.9 up): 30 degrees costs there, not on Ant-v0
    const path = new Float32Array(angles.length);
    antPathTaskSpec().imaginedPenalty!(obs, angles.length, path);
    expect(path[0]).toBe(0);
    expect(path[1]).toBeLessThan(0);
    expect(path[angles.length - 1]).toBeCloseTo(-10 * (0.9 + 1), 4);
  });
});

describe('default checkpoints', () => {
  it("the path tasks plan with Ant-v0's (the same robot and dynamics), other tasks with their own", () => {
    for (const env of ['Ant-v0', 'AntPath-v0', 'AntPathHeading-v0']) expect(defaultCheckpointPath(env, 'grbal', '/ck')).toBe(path.join('/ck', 'Ant-v0', 'grbal.json'));
    expect(defaultCheckpointPath('Crawler-v0', 'mbde', '/ck')).toBe(path.join('/ck', 'Crawler-v0', 'mb.json'));
  });
});

describe.skipIf(!fs.existsSync(ck('mb')))('shipped Ant-v0 checkpoints', () => {
  it("refuses a method the controller does not run (evaluation's 'oracle' is MB's controller)", () => {
    expect(() => createAdaptiveController({ checkpoint: ck('oracle'), env, method: 'oracle' as never })).toThrow(/unknown method 'oracle'/);
  });

  it('GrBAL, ReBAL and MB load, adapt and plan on the crippled ant', () => {
    for (const m of ['grbal', 'rebal', 'mb']) {
      const ctl = createAdaptiveController({ checkpoint: ck(m), env, planner: { kind: 'rs', candidates: 32, horizon: 4 } });
      let obs = Float32Array.from(env.reset({ seed: 3 }).obs);
      env.applyFault(spec.testFault);
      for (let t = 0; t < 4; t++) obs = Float32Array.from(env.step(ctl.act(obs)).obs);
      const d = ctl.diagnostics()!;
      expect(d.window).toBe(3);
      expect(Array.from(d.plan.positions!.slice(0, 3))).toEqual(Array.from(d.plan.observations.slice(0, 3)));
      expect(Number.isFinite(d.predictionError.adapted!)).toBe(true);
      ctl.dispose();
    }
  });

  it('MPC with the shipped MB model walks farther than random actions (intact, 4 paired seeds of 10 s)', () => {
    const walk = (seed: number, mpc: boolean) => {
      const ctl = mpc ? createAdaptiveController({ checkpoint: ck('mb'), env, seed }) : null;
      const rng = new Rng(seed);
      const r0 = env.reset({ seed });
      let obs = Float32Array.from(r0.obs);
      const x0 = r0.info!.x_position!;
      let x = x0;
      for (let t = 0; t < 200; t++) {
        const r = env.step(ctl ? ctl.act(obs) : Float32Array.from({ length: 8 }, () => rng.range(-1, 1)));
        obs = Float32Array.from(r.obs);
        x = r.info!.x_position!;
      }
      ctl?.dispose();
      return x - x0;
    };
    // 4 paired seeds: single 10 s walks vary a lot (random actions alone drift 0.3 m/s on average here)
    const seeds = [1, 2, 3, 4];
    const mpc = seeds.reduce((a, s) => a + walk(s, true), 0);
    const rnd = seeds.reduce((a, s) => a + walk(s, false), 0);
    console.log(`Ant-v0 intact, 4 x 200 steps: MPC (shipped MB, RS 500x10) ${mpc.toFixed(2)} m vs random ${rnd.toFixed(2)} m`);
    expect(mpc).toBeGreaterThan(rnd);
  }, 300_000);
});
