/**
 * The algorithms doing their job on a real (small) task, Crawler-v0, seeded:
 *  - GrBAL: after one adaptation step on 16 transitions of the held-out crippled leg 3, the
 *    meta-trained model predicts the next 16 better than before adapting, and better than a
 *    non-meta-trained model (MB) adapted the same way;
 *  - ReBAL: reading recent transitions lowers the prediction error on fresh episodes of the task
 *    distribution;
 *  - MPC (random shooting, CEM, MPPI) with a learned model walks farther than random actions;
 *  - training and evaluation are deterministic by seed; the controller's diagnostics and switch.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { Rng } from '../rng.js';
import { tf } from '../tf.js';
import { CrawlerEnv, crawlerTaskSpec } from './crawler.js';
import { collect } from './collect.js';
import { TransitionData } from './data.js';
import { MbLearner, MbTrainer, makeCheckpoint, resolveTrainConfig } from './train.js';
import { runTrainingJob } from '../jobs/train.js';
import { createAdaptiveController } from './controller.js';
import { evalAdapt } from './eval.js';
import { adaptationHeadroom } from './headroom.js';
import { decodeParams, type MbCheckpoint } from './checkpoint.js';
import { disposeParams } from '../params.js';
import type { MbMethod, MetaHyper } from './algos.js';
import { DynamicsModel, type DynamicsSpec } from './model.js';
import type { PlannerKind } from './planner.js';

const spec = crawlerTaskSpec();
const env = new CrawlerEnv();
const train = new TransitionData(11, 8);
const test = new TransitionData(11, 8);
const fresh = new TransitionData(11, 8);
const learners: Partial<Record<MbMethod, MbLearner>> = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mbrl-'));

function learn(method: MbMethod, steps: number, dspec: DynamicsSpec, hyper: MetaHyper): MbLearner {
  const L = new MbLearner(method, dspec, train, hyper, { outerLr: 3e-3, metaBatch: 10, batchSize: 128, contextDropout: 0.2 }, new Rng(5));
  const starts = train.segmentStarts(hyper.M + hyper.K);
  for (let g = 0; g < steps; g++) L.step(train, starts);
  return L;
}

beforeAll(async () => {
  await initBackend();
  collect({ env, data: train, tasks: spec.trainFaults, steps: 3000, episodeSteps: 100, rng: new Rng(1) });
  collect({ env, data: test, tasks: [spec.testFault], steps: 600, episodeSteps: 100, rng: new Rng(2) });
  collect({ env, data: fresh, tasks: spec.trainFaults, steps: 600, episodeSteps: 100, rng: new Rng(3) });
  const dspec: DynamicsSpec = { observationSize: 11, actionSize: 8, inputDims: [2, 3, 4, 5, 6, 7, 8, 9, 10], hidden: [64, 64], activation: 'relu', recurrent: null };
  const hyper: MetaHyper = { M: 16, K: 16, innerLr: 1, innerSteps: 1, firstOrder: false, learnInnerLr: true };
  learners.grbal = learn('grbal', 250, dspec, hyper);
  learners.mb = learn('mb', 250, dspec, { ...hyper, learnInnerLr: false });
  learners.rebal = learn('rebal', 150, { ...dspec, recurrent: { cell: 'gru', hidden: 16 } }, { ...hyper, M: 8, K: 8 });
}, 300_000);

afterAll(() => {
  Object.values(learners).forEach((l) => l?.dispose());
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('adaptation on the held-out crippled leg', () => {
  it('GrBAL: one gradient step lowers the prediction error, and beats MB adapted the same way', () => {
    const g = learners.grbal!;
    const lr = g.adaptLr();
    const starts = test.segmentStarts(32);
    const eg = g.evaluate(test, starts, 40, new Rng(9), lr, 1);
    const em = learners.mb!.evaluate(test, starts, 40, new Rng(9), lr, 1);
    console.log(`leg 3 crippled, normalized MSE: GrBAL ${eg.before.toFixed(3)} -> ${eg.after.toFixed(3)}; MB ${em.before.toFixed(3)} -> ${em.after.toFixed(3)} (lr ${lr.toFixed(3)})`);
    expect(eg.after).toBeLessThan(eg.before * 0.97);
    expect(eg.after).toBeLessThan(em.after);
  });

  it('ReBAL: the recurrent context lowers the error on fresh episodes of the task distribution', () => {
    const r = learners.rebal!;
    const e = r.evaluate(fresh, fresh.segmentStarts(16), 40, new Rng(9));
    console.log(`ReBAL fresh episodes: ${e.before.toFixed(3)} -> ${e.after.toFixed(3)}`);
    expect(e.after).toBeLessThan(e.before);
  });
});

describe('adaptation headroom', () => {
  it('on the held-out leg, GrBAL\'s own step and the output-layer refit both lower the error of the unadapted model', async () => {
    const h = await adaptationHeadroom({ spec, checkpoint: checkpointOf('grbal', { kind: 'rs', candidates: 8, horizon: 2 }), faults: [spec.testFault], steps: 1200, segments: 60, seed: 4 });
    console.log(`crawler leg 3 headroom: ${JSON.stringify(h.error)}`);
    expect(h.error.own).toBeLessThan(h.error.none);
    expect(h.error.ridge).toBeLessThan(h.error.none);
  });
});

function checkpointOf(method: MbMethod, planner: { kind: PlannerKind; candidates: number; horizon: number }): MbCheckpoint {
  const L = learners[method]!;
  const c = resolveTrainConfig({ method, env: spec, steps: train.count, seed: 1, planner }, spec);
  return makeCheckpoint(L, spec, c, train.count, 0);
}

function walk(ck: MbCheckpoint | null, steps: number, seed: number, fault: number | null = null, method?: 'mbde'): { x: number; errs: number[][] } {
  const e = new CrawlerEnv();
  let obs = Float32Array.from(e.reset({ seed }).obs);
  if (fault !== null) e.applyFault({ kind: 'cripple', leg: fault });
  const ctl = ck ? createAdaptiveController({ checkpoint: ck, env: e, seed, method }) : null;
  const rng = new Rng(seed);
  let x = 0;
  const errs: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const a = ctl ? ctl.act(obs) : Float32Array.from({ length: 8 }, () => rng.range(-1, 1));
    const d = ctl?.diagnostics();
    if (d && d.predictionError.adapted !== null) errs.push([d.predictionError.unadapted!, d.predictionError.adapted]);
    const r = e.step(a);
    obs = Float32Array.from(r.obs);
    x = r.info!.x_position!;
  }
  ctl?.dispose();
  return { x, errs };
}

describe('MPC with the learned model', () => {
  for (const kind of ['rs', 'cem', 'mppi'] as PlannerKind[]) {
    it(`${kind} walks farther than random actions on the intact crawler`, () => {
      const ck = checkpointOf('mb', { kind, candidates: 64, horizon: 6 });
      const mpc = walk(ck, 40, 11).x;
      const rnd = walk(null, 40, 11).x;
      console.log(`${kind}: MPC ${mpc.toFixed(2)} vs random ${rnd.toFixed(2)}`);
      expect(mpc).toBeGreaterThan(rnd + 0.3);
    });
  }

  it('the controller reports diagnostics, a ghost path, and adaptation can be switched off', () => {
    const ck = checkpointOf('grbal', { kind: 'mppi', candidates: 32, horizon: 5 });
    const e = new CrawlerEnv();
    let obs = Float32Array.from(e.reset({ seed: 2 }).obs);
    e.applyFault({ kind: 'cripple', leg: 3 });
    const ctl = createAdaptiveController({ checkpoint: ck, env: e, seed: 2 });
    for (let t = 0; t < 6; t++) obs = Float32Array.from(e.step(ctl.act(obs)).obs);
    const d = ctl.diagnostics()!;
    expect(d.step).toBe(6);
    expect(d.window).toBe(5);
    expect(d.plan.positions![2]).toBe(0); // planar: z is 0
    expect(d.adaptation).toBe(true);
    expect(d.predictionError.adapted).toBeTypeOf('number');
    // the forward-velocity error of the same predictions, in m/s (crawler dt 0.05 s)
    expect(d.velocityError.adapted).toBeGreaterThanOrEqual(0);
    expect(d.velocityError.unadapted).toBeGreaterThanOrEqual(0);
    expect(d.plan.observations.length).toBe(6 * 11);
    expect(d.plan.positions!.length).toBe(6 * 3);
    expect(d.plan.positions![0]).toBeCloseTo(obs.length ? d.plan.observations[0] : 0, 6);
    expect(d.timing.totalMs).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    for (let t = 0; t < 10; t++) obs = Float32Array.from(e.step(ctl.act(obs)).obs);
    expect(tf.memory().numTensors).toBe(before);
    ctl.setAdaptation(false);
    ctl.act(obs);
    const off = ctl.diagnostics()!;
    expect(off.adaptation).toBe(false);
    expect(off.windowError.adapted).toBe(off.windowError.unadapted);
    expect(off.velocityError.adapted).toBe(off.velocityError.unadapted);
    ctl.dispose();
  });

  it('ReBAL and MB + dynamic evaluation run in the controller (context / online fine-tuning change the model in use)', () => {
    for (const [method, mode] of [['rebal', undefined], ['mb', 'mbde']] as const) {
      const ck = checkpointOf(method, { kind: 'rs', candidates: 16, horizon: 3 });
      const e = new CrawlerEnv();
      let obs = Float32Array.from(e.reset({ seed: 4 }).obs);
      e.applyFault({ kind: 'cripple', leg: 3 });
      const ctl = createAdaptiveController({ checkpoint: ck, env: e, seed: 4, method: mode });
      for (let t = 0; t < 10; t++) obs = Float32Array.from(e.step(ctl.act(obs)).obs);
      const d = ctl.diagnostics()!;
      expect(d.method).toBe(mode ?? method);
      expect(d.windowError.adapted).not.toBe(d.windowError.unadapted);
      ctl.dispose();
    }
  });
});

describe('determinism by seed', () => {
  /** A model-based run through the one driver, as `adaptlab train` makes it. */
  const trainRun = async (algo: MbMethod, dir: string, config: Record<string, unknown>, seed = 7) => {
    await runTrainingJob({ algo, env: 'Crawler-v0', seed, totalSteps: 0, runDir: path.join(tmp, dir), config });
    return { dir: path.join(tmp, dir), model: path.join(tmp, dir, 'model.json') };
  };

  it('a run twice with one seed gives the same data, params and metrics; evalAdapt has the issue shape', async () => {
    const grbal = { steps: 400, hidden: [16], gradSteps: 6, iterations: 1, episodeSteps: 50, past: 4, future: 4, metaBatch: 3, innerLr: 0.5, learnInnerLr: true, planner: 'cem:16:3' };
    const a = await trainRun('grbal', 'a', grbal);
    const b = await trainRun('grbal', 'b', grbal);
    const read = (f: string) => fs.readFileSync(f, 'utf8');
    expect(JSON.parse(read(a.model)).params).toEqual(JSON.parse(read(b.model)).params);
    expect(read(path.join(a.dir, 'data.json'))).toBe(read(path.join(b.dir, 'data.json')));
    const strip = (s: string) => s.split('\n').filter(Boolean).map((l) => { const o = JSON.parse(l); delete o.wallTime; delete o.fps; return o; });
    expect(strip(read(path.join(a.dir, 'metrics.jsonl')))).toEqual(strip(read(path.join(b.dir, 'metrics.jsonl'))));
    const mb = await trainRun('mb', 'mb', { steps: 200, hidden: [16], gradSteps: 5, iterations: 0, episodeSteps: 50, planner: 'rs:16:3' });
    const ev = () => evalAdapt({ env: 'Crawler-v0', fault: { leg: 3 }, at: 5, methods: ['grbal', 'mb', 'mbde'], episodes: 2, seed: 3, steps: 15, checkpoints: { grbal: a.model, mb: mb.model } });
    const r1 = await ev();
    const r2 = await ev();
    expect(r1).toEqual(r2);
    expect(Object.keys(r1.methods)).toEqual(['grbal', 'mb', 'mbde']);
    for (const m of Object.values(r1.methods)) {
      expect(Object.keys(m)).toEqual(['forwardDistance', 'predictionError']);
      expect(Object.keys(m.forwardDistance)).toEqual(['mean', 'std']);
      expect(Object.keys(m.predictionError)).toEqual(['before', 'after']);
      expect(Number.isFinite(m.forwardDistance.mean) && Number.isFinite(m.predictionError.after)).toBe(true);
    }
    expect(r1.methods.mb.predictionError.before).toBe(r1.methods.mb.predictionError.after);
    expect(tf.memory().numTensors).toBeLessThan(500);
  });

  it('a run stopped after its first phase and resumed ends with the same model, data and metrics', async () => {
    const cfg = { steps: 300, hidden: [16], gradSteps: 30, iterations: 1, episodeSteps: 50, past: 4, future: 4, metaBatch: 3, planner: 'rs:8:2' };
    const whole = await trainRun('grbal', 'whole', cfg);
    const split = path.join(tmp, 'split');
    const ctl = new AbortController();
    // cancel once the first phase's model is checkpointed (30 gradient steps): the driver stops there
    await runTrainingJob({ algo: 'grbal', env: 'Crawler-v0', seed: 7, totalSteps: 0, runDir: split, config: cfg }, (p) => p.step >= 30 && ctl.abort(), ctl.signal);
    await runTrainingJob({ algo: 'grbal', env: 'Crawler-v0', seed: 7, totalSteps: 0, runDir: split, config: cfg, resume: true });
    const read = (d: string, f: string) => fs.readFileSync(path.join(d, f), 'utf8');
    expect(JSON.parse(read(split, 'model.json')).params).toEqual(JSON.parse(read(whole.dir, 'model.json')).params);
    expect(read(split, 'data.json')).toBe(read(whole.dir, 'data.json'));
    const rows = (d: string) => read(d, 'metrics.jsonl').split('\n').filter(Boolean).map((l) => { const o = JSON.parse(l); delete o.wallTime; delete o.fps; return o; });
    expect(rows(split)).toEqual(rows(whole.dir));
  });
});

describe('warm start (initFrom)', () => {
  it('ReBAL and GrBAL started from an MB checkpoint predict exactly what it does before training', async () => {
    const base = { env: 'Crawler-v0', seed: 9, hidden: [16], episodeSteps: 50, M: 4, K: 4, metaBatch: 3, planner: { kind: 'rs' as const, candidates: 8, horizon: 2 } };
    await runTrainingJob({ algo: 'mb', env: 'Crawler-v0', seed: 9, totalSteps: 0, runDir: path.join(tmp, 'ws-mb'), config: { steps: 300, hidden: [16], gradSteps: 20, iterations: 0, episodeSteps: 50, past: 4, future: 4, metaBatch: 3, planner: 'rs:8:2' } });
    const mbModel = path.join(tmp, 'ws-mb', 'model.json');
    const data = path.join(tmp, 'ws-mb', 'data.json');
    const ctx = TransitionData.fromJSON(JSON.parse(fs.readFileSync(data, 'utf8')));
    const rows = { obs: ctx.obs.subarray(0, 10 * 11), act: ctx.act.subarray(0, 10 * 8) };
    // the unadapted model of a checkpoint (ReBAL: no context) on the same rows
    const predict = (ck: MbCheckpoint) => {
      const model = new DynamicsModel(ck.spec, ck.stats);
      const params = decodeParams(ck.params);
      const y = tf.tidy(() => Array.from(model.predictNext(params, tf.tensor2d(rows.obs, [10, 11]), tf.tensor2d(rows.act, [10, 8])).dataSync()));
      disposeParams(params);
      model.dispose();
      return y;
    };
    const ref = predict(JSON.parse(fs.readFileSync(mbModel, 'utf8')) as MbCheckpoint);
    // the model a warm-started trainer has after its (empty) collection phase, before any gradient step
    const warm = async (method: MbMethod, extra: object = {}) => {
      const t = await MbTrainer.create({ ...base, method, steps: 0, initialData: data, initFrom: mbModel, iterations: 0, recurrent: { cell: 'gru', hidden: 8 }, ...extra });
      try {
        t.iterate();
        return t.artifacts()['model.json'] as MbCheckpoint;
      } finally {
        t.dispose();
      }
    };
    for (const method of ['rebal', 'grbal'] as const) expect(predict(await warm(method))).toEqual(ref);
    await expect(warm('mb', { hidden: [8] })).rejects.toThrow(/dyn\.l0\.W has shape \[17,16\], a mb model needs \[17,8\]/);
  });
});
