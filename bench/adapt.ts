/**
 * Adaptation benchmark: milliseconds per control step (adapt on the last M transitions + plan) of
 * the online GrBAL loop, on Ant-v0 with leg 3 crippled:
 *   npx tsx bench/adapt.ts [--env Ant-v0|Crawler-v0|QuadPayloadVel-v0] [--steps 40] [--quick]
 * Prints and writes bench/results/adapt.json (adapt-<env>.json for other envs than Ant-v0):
 *   {backend, env, envDtMs, demo: {msPerControlStep, ...}, paper: {msPerControlStep, ...}}
 *  - demo: the shipped configuration (DEMO_CONFIG: MLP 2x128, MPPI 128 candidates, horizon 8, M 16)
 *  - paper: Nagabandi et al.'s code (MLP 3x512, random shooting 500 candidates, horizon 10, M 16)
 *  - shipped: each shipped checkpoint of the env as evaluated (its own M, model, default planner;
 *    the quadrotor's latent model: inference of z + CEM)
 * msPerControlStep is the mean cost of `act()` (adapt + plan + diagnostics) after warm-up: in
 * process CPU time on the single-threaded backends (wasm, cpu; not inflated by other processes on
 * a shared machine), in wall time on native ones (`timing` says which); wallMsPerControlStep and
 * cpuMsPerControlStep are both reported. Timing does not depend on the weights, so the demo and
 * paper models are freshly initialized (normalization from a short random rollout).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../src/meta/backend.js';
import { Rng } from '../src/meta/rng.js';
import { tf } from '../src/meta/tf.js';
import { collect } from '../src/meta/mbrl/collect.js';
import { DEMO_CONFIG, PAPER_CONFIG } from '../src/meta/mbrl/configs.js';
import { loadCheckpoint, type MbCheckpoint } from '../src/meta/mbrl/checkpoint.js';
import { createAdaptiveController } from '../src/meta/mbrl/controller.js';
import { defaultCheckpointPath } from '../src/meta/mbrl/eval.js';
import { TransitionData } from '../src/meta/mbrl/data.js';
import { resolveTask } from '../src/meta/mbrl/envs.js';
import { MbLearner, makeCheckpoint, resolveTrainConfig } from '../src/meta/mbrl/train.js';
import { resetInto, type MbEnv, type MbTaskSpec } from '../src/meta/mbrl/types.js';
import '../src/meta/mbrl/ant.js';
import { QUAD_TASK_ID } from '../src/meta/mbrl/quad.js';

const argv = process.argv.slice(2);
const arg = (k: string, d: string): string => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : d;
};
const quick = argv.includes('--quick');
const steps = Number(arg('steps', quick ? '10' : '40'));
const envId = arg('env', 'Ant-v0');

/** A GrBAL checkpoint with a preset's sizes, freshly initialized (timing does not depend on the weights). */
function initCheckpoint(preset: typeof DEMO_CONFIG, spec: MbTaskSpec, env: MbEnv, data: TransitionData): MbCheckpoint {
  const cfg = resolveTrainConfig({ ...preset, method: 'grbal', env: spec, steps: 0, seed: 0 }, spec);
  const inputDims = Array.from({ length: env.observationSize }, (_, i) => i).filter((i) => !spec.excludeInputDims.includes(i));
  const L = new MbLearner(
    'grbal',
    { observationSize: env.observationSize, actionSize: env.actionSize, inputDims, hidden: cfg.hidden, activation: cfg.activation, recurrent: null },
    data,
    { M: cfg.M, K: cfg.K, innerLr: cfg.innerLr, innerSteps: 1, firstOrder: false, learnInnerLr: cfg.learnInnerLr },
    { outerLr: cfg.outerLr, metaBatch: cfg.metaBatch, batchSize: cfg.batchSize, contextDropout: 0 },
    new Rng(0),
  );
  const ck = makeCheckpoint(L, spec, cfg, 0, 0);
  L.dispose();
  return ck;
}

async function measure(backend: string, name: string, ck: MbCheckpoint, spec: MbTaskSpec, env: MbEnv) {
  const ctl = createAdaptiveController({ checkpoint: ck, env, seed: 0, imaginedPenalty: spec.imaginedPenalty, trueParams: env.params ? () => env.params!() : undefined });
  const M = ck.hyper.M;
  let obs = Float32Array.from(resetInto(env, spec.testFault, 1).obs);
  const warm = Math.min(M + 2, 20);
  let wall = 0;
  let cpu = 0;
  let adapt = 0;
  let plan = 0;
  for (let t = 0; t < warm + steps; t++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const a = ctl.act(obs);
    const w1 = performance.now();
    const c1 = process.cpuUsage(c0);
    const d = ctl.diagnostics()!;
    if (t >= warm) {
      wall += w1 - w0;
      cpu += (c1.user + c1.system) / 1000;
      adapt += d.timing.adaptMs;
      plan += d.timing.planMs;
    }
    const r = env.step(a);
    obs = Float32Array.from(r.obs);
    if (r.terminated || r.truncated) {
      obs = Float32Array.from(resetInto(env, spec.testFault, t).obs);
      ctl.reset();
    }
  }
  ctl.dispose();
  // Single-threaded backends: process CPU time is what one control step costs; wall time on a
  // shared machine also counts other processes. Native (multi-threaded) backends: wall time.
  const singleThreaded = backend === 'wasm' || backend === 'wasm-simd' || backend === 'cpu';
  const res = {
    msPerControlStep: singleThreaded ? cpu / steps : wall / steps,
    timing: singleThreaded ? 'process-cpu' : 'wall',
    wallMsPerControlStep: wall / steps,
    cpuMsPerControlStep: cpu / steps,
    adaptMs: adapt / steps,
    planMs: plan / steps,
    config: { method: ck.method, hidden: ck.spec.hidden, recurrent: ck.spec.recurrent, M, planner: ck.planner },
  };
  console.log(name, JSON.stringify(res));
  return res;
}

async function main() {
  const info = await initBackend();
  const spec = resolveTask(envId);
  const env = await spec.make();
  const data = new TransitionData(env.observationSize, env.actionSize);
  collect({ env, data, tasks: spec.trainFaults, steps: 300, episodeSteps: spec.episodeSteps ?? 100, rng: new Rng(0) });
  const demo = await measure(info.name, 'demo', initCheckpoint(DEMO_CONFIG, spec, env, data), spec, env);
  const paper = await measure(info.name, 'paper', initCheckpoint(PAPER_CONFIG, spec, env, data), spec, env);
  // the shipped checkpoints as evaluated (their own window, model and default planner)
  const shipped: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const m of spec.id === QUAD_TASK_ID ? ['latent', 'mb', 'mbhist', 'oracle'] : ['grbal', 'rebal', 'mb']) {
    const file = defaultCheckpointPath(spec.id, m as 'mb');
    if (fs.existsSync(file)) shipped[m] = await measure(info.name, `shipped ${m}`, loadCheckpoint(file), spec, env);
  }
  const out = {
    backend: info.name,
    env: spec.id,
    envDtMs: env.dt * 1000,
    steps,
    cpus: os.cpus().length,
    loadavg: os.loadavg(),
    demo,
    paper,
    shipped,
    demoRealTime: demo.msPerControlStep < env.dt * 1000,
    tensorsLeft: tf.memory().numTensors,
    date: new Date().toISOString(),
  };
  env.dispose?.();
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, spec.id === 'Ant-v0' ? 'adapt.json' : `adapt-${spec.id}.json`), JSON.stringify(out, null, 2) + '\n');
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
