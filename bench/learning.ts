/**
 * Learning-core benchmark:
 *   npx tsx bench/learning.ts [--backends wasm,cpu] [--quick] [--env ID --env-module SPEC]
 * (--env Hopper-v0 --env-module <module exporting createVecEnv(id, numEnvs, config)> switches the
 * PPO measurement; default is Hopper-v0 through src/meta/rl/physics-vec-env.ts.)
 * Prints and writes bench/results/learning.json: one object per backend that loads,
 *   {backend, forwardGflops, trainGflops, ppoEnvStepsPerSec, details}
 *  - forwardGflops: MLP 45->512->512->27 (ReLU) forward at batch 1000
 *  - trainGflops: one Adam training step (forward + backward + update) at batch 500, counted as
 *    3x the forward FLOPs
 *  - ppoEnvStepsPerSec: PPO (collection + update, default config, 16 envs) on Hopper-v0
 *  - details: matMul with transpose flags vs explicit transposes; gradient of the same MLP with
 *    our ops (explicit transposes on wasm) vs tfjs built-ins (gradMsOurs, gradMsTfjsBuiltin).
 * Timings are the best of several repetitions. On the single-threaded backends (wasm, cpu) they
 * are measured in process CPU time, which other processes on a shared machine do not inflate;
 * on the native backends (multi-threaded) in wall time. `details.timing` says which.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf, type Scalar } from '../src/meta/tf.js';
import { initBackend } from '../src/meta/backend.js';
import { initMlp, mlp, mlpFlops } from '../src/meta/nn.js';
import { valueAndGrads, disposeParams, type Params } from '../src/meta/params.js';
import { Adam } from '../src/meta/adam.js';
import { Rng } from '../src/meta/rng.js';
import { PPO } from '../src/meta/rl/ppo.js';
import { createEnv } from '../src/meta/jobs/train.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const backendsArg = args.find((a) => a.startsWith('--backends='))?.slice('--backends='.length) ?? (args.includes('--backends') ? args[args.indexOf('--backends') + 1] : undefined);
const argValue = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
// PPO is measured on Hopper-v0 (the physics env) unless told otherwise.
const ppoEnvId = argValue('env') ?? 'Hopper-v0';
const ppoEnvModule = argValue('env-module') ?? (ppoEnvId === 'Hopper-v0' || ppoEnvId === 'Ant-v0' || ppoEnvId === 'QuadPayload-v0' ? new URL('../src/meta/rl/physics-vec-env.ts', import.meta.url).href : undefined);
const candidates = backendsArg ? backendsArg.split(',') : ['node-gpu', 'node', 'wasm', 'cpu'];

let useCpuTime = false;
/** Milliseconds now: process CPU time (single-threaded backends) or wall time. */
function now(): number {
  if (!useCpuTime) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best-of-n milliseconds of f (after one warm-up call). */
function bestMs(f: () => void, reps: number): number {
  f();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t = now();
    f();
    best = Math.min(best, now() - t);
  }
  return best;
}

const SIZES = [45, 512, 512, 27];

async function benchBackend(name: string) {
  useCpuTime = name !== 'tfjs-node' && name !== 'tfjs-node-gpu';
  const rng = new Rng(0);
  const spec = { sizes: SIZES, activation: 'relu' as const };
  let params: Params = initMlp(rng, spec);
  const slow = name === 'cpu';
  const reps = quick || slow ? 3 : 10;

  // forward, batch 1000
  const x1 = tf.randomNormal([1000, 45], 0, 1, 'float32', 1);
  const fwdMs = bestMs(() => tf.tidy(() => void mlp(params, x1, spec).dataSync()), reps);
  const forwardGflops = mlpFlops(SIZES, 1000) / (fwdMs * 1e6);

  // one Adam training step, batch 500
  const x2 = tf.randomNormal([500, 45], 0, 1, 'float32', 2);
  const y2 = tf.randomNormal([500, 27], 0, 1, 'float32', 3);
  const adam = new Adam({ lr: 1e-4 });
  const loss = (p: Params) => tf.mean(tf.square(tf.sub(mlp(p, x2, spec), y2))) as Scalar;
  const trainMs = bestMs(() => {
    const { value, grads } = tf.tidy(() => valueAndGrads(loss, params));
    params = adam.apply(params, grads);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  }, reps);
  const trainGflops = (3 * mlpFlops(SIZES, 500)) / (trainMs * 1e6);

  // The same step with tfjs's own matMul gradient (transpose flags), for comparison.
  const lossBuiltin = (p: Params) => {
    let h: tf.Tensor = x2;
    for (let i = 0; i < 3; i++) {
      h = tf.add(tf.matMul(h, p[`l${i}.W`]), p[`l${i}.b`]);
      if (i < 2) h = tf.relu(h);
    }
    return tf.mean(tf.square(tf.sub(h, y2))) as Scalar;
  };
  const gradBuiltinMs = bestMs(() => tf.tidy(() => void valueAndGrads(lossBuiltin, params).grads['l0.W'].dataSync()), slow ? 2 : reps);
  const gradOursMs = bestMs(() => tf.tidy(() => void valueAndGrads(loss, params).grads['l0.W'].dataSync()), slow ? 2 : reps);

  // matMul [1000,512]x[512,512]: plain vs transpose flags
  const a = tf.randomNormal([1000, 512], 0, 1, 'float32', 4);
  const b = tf.randomNormal([512, 512], 0, 1, 'float32', 5);
  const aT = tf.transpose(a);
  const bT = tf.transpose(b);
  const mmPlain = bestMs(() => tf.tidy(() => void tf.matMul(a, b).dataSync()), slow ? 2 : reps);
  const mmTA = bestMs(() => tf.tidy(() => void tf.matMul(aT, b, true, false).dataSync()), slow ? 1 : Math.min(reps, 3));
  const mmTB = bestMs(() => tf.tidy(() => void tf.matMul(a, bT, false, true).dataSync()), slow ? 1 : Math.min(reps, 3));
  const mmExplicit = bestMs(() => tf.tidy(() => void tf.matMul(a, tf.transpose(bT)).dataSync()), slow ? 2 : reps);
  tf.dispose([x1, x2, y2, a, b, aT, bT]);
  disposeParams(params);
  adam.dispose();

  // PPO: collection + update on the small task, default config.
  const env = await createEnv({ algo: 'ppo', env: ppoEnvId, envModule: ppoEnvModule, totalSteps: 0, seed: 0 }, 16, {});
  const ppo = new PPO(env, { seed: 0, numSteps: quick || slow ? 64 : 256 });
  ppo.iterate(); // warm-up
  const iters = quick || slow ? 1 : 3;
  let best = Infinity;
  for (let i = 0; i < iters; i++) {
    const t = now();
    ppo.iterate();
    best = Math.min(best, now() - t);
  }
  const ppoEnvStepsPerSec = ppo.stepsPerIteration / (best / 1000);
  ppo.dispose();
  env.close?.();

  const mmFlops = 2 * 1000 * 512 * 512;
  return {
    forwardGflops: round(forwardGflops),
    trainGflops: round(trainGflops),
    ppoEnvStepsPerSec: Math.round(ppoEnvStepsPerSec),
    details: {
      timing: useCpuTime ? 'process-cpu-time' : 'wall',
      ppoTask: ppoEnvId,
      ppoConfig: { numEnvs: 16, numSteps: quick || slow ? 64 : 256, epochs: 10, minibatches: 8, hidden: [64, 64] },
      forwardMs: round(fwdMs),
      trainStepMs: round(trainMs),
      trainToForwardRatio: round(trainGflops / forwardGflops),
      gradMsOurs: round(gradOursMs),
      gradMsTfjsBuiltin: round(gradBuiltinMs),
      denseBackwardSpeedup: round(gradBuiltinMs / gradOursMs),
      matMulGflops: { plain: round(mmFlops / (mmPlain * 1e6)), transposeA: round(mmFlops / (mmTA * 1e6)), transposeB: round(mmFlops / (mmTB * 1e6)), explicitTransposeThenPlain: round(mmFlops / (mmExplicit * 1e6)) },
      matMulTransposeSlowdown: round(Math.max(mmTA, mmTB) / mmPlain),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const results: Record<string, unknown>[] = [];
const seen = new Set<string>();
for (const c of candidates) {
  let info;
  try {
    info = await initBackend(c);
  } catch (e) {
    console.log(`[bench] ${c}: not available (${(e as Error).message.split('\n')[0].slice(0, 160)})`);
    continue;
  }
  if (seen.has(info.name)) continue;
  seen.add(info.name);
  console.log(`[bench] ${info.name} ...`);
  const r = { backend: info.name, ...(await benchBackend(info.name)) };
  console.log(JSON.stringify(r));
  results.push(r);
}

/**
 * Physics throughput of a vector of 8 envs under random actions, stepped in this thread and split
 * over 2 worker threads (same trajectories either way), in wall time: env steps per second.
 */
async function benchVecEnv(id: string, seconds: number): Promise<Record<string, number>> {
  const { createVecEnv } = await import('../src/meta/rl/physics-vec-env.js');
  const out: Record<string, number> = {};
  for (const workers of [1, 2]) {
    const env = await createVecEnv(id, 8, undefined, { workers });
    env.reset(1);
    const rng = new Rng(1);
    const a = new Float32Array(env.numEnvs * env.actionSize);
    const step = () => {
      for (let i = 0; i < a.length; i++) a[i] = rng.range(-1, 1);
      env.step(a);
    };
    for (let i = 0; i < 50; i++) step();
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < seconds * 1000) {
      step();
      n += env.numEnvs;
    }
    out[`workers${workers}`] = Math.round(n / ((performance.now() - t0) / 1000));
    env.close?.();
  }
  out.speedup = Math.round((100 * out.workers2) / out.workers1) / 100;
  return out;
}

const vecEnv: Record<string, unknown> = {};
for (const id of ['Hopper-v0', 'Ant-v0']) {
  vecEnv[id] = await benchVecEnv(id, quick ? 2 : 6);
  console.log(`[bench] ${id} env steps/s (8 envs): ${JSON.stringify(vecEnv[id])}`);
}
results.push({ vecEnvStepsPerSec: vecEnv, note: '8 envs, random actions, wall time; workers1 = stepped in one thread, workers2 = split over two worker threads' });

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'learning.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
console.log(`[bench] wrote ${out} (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
