/**
 * Experiment (src/meta/mbrl/README.md, "Adapting barely changes the forward-velocity prediction"):
 * on random-action data with leg 3 crippled, the forward-velocity error (m/s) of the next K
 * transitions after adaptation steps on the past M, with the step's loss weighted w times on the
 * torso's x, y position and velocity dimensions (w = 1 is the plain step).
 *   npx tsx scripts/experiments/ant-weighted-adapt.ts assets/checkpoints/Ant-v0/grbal.json assets/checkpoints/Ant-v0/mb.json
 * Prints one JSON line per checkpoint: {"w<w>-lr<lr>x<steps>": error}.
 */
import { initBackend } from '../../src/meta/backend.js';
import { tf, type Scalar } from '../../src/meta/tf.js';
import { Rng } from '../../src/meta/rng.js';
import { collect } from '../../src/meta/mbrl/collect.js';
import { TransitionData } from '../../src/meta/mbrl/data.js';
import { loadCheckpoint, decodeParams } from '../../src/meta/mbrl/checkpoint.js';
import { DynamicsModel } from '../../src/meta/mbrl/model.js';
import { netParams } from '../../src/meta/mbrl/algos.js';
import { sgdStep, valueAndGrads, type Params } from '../../src/meta/params.js';
import { resolveTask } from '../../src/meta/mbrl/envs.js';
import '../../src/meta/mbrl/ant.js';
await initBackend();
const spec = resolveTask('Ant-v0');
const env = await spec.make();
const data = new TransitionData(env.observationSize, env.actionSize, 4096);
const rng = new Rng(0);
collect({ env, data, tasks: [spec.testFault], steps: 3000, episodeSteps: 500, rng: rng.fork() });
const O = env.observationSize, dt = env.dt;
for (const file of process.argv.slice(2)) {
  const ck = loadCheckpoint(file);
  const model = new DynamicsModel(ck.spec, ck.stats);
  const p = decodeParams(ck.params);
  const { M, K } = ck.hyper;
  const starts = data.segmentStarts(M + K);
  const r2 = new Rng(1);
  const picks = Array.from({ length: 120 }, () => starts[r2.int(starts.length)]);
  const out: Record<string, number> = {};
  const rows = (a: number, len: number) => Int32Array.from({ length: len }, (_, t) => a + t);
  for (const wx of [1, 5, 20]) for (const lr of [ck.method === 'mb' ? 0.01 : ck.adaptLr, 0.03, 0.1]) for (const steps of [1, 3]) {
    const w = new Float32Array(O).fill(1); for (const i of [0, 1, 15, 16]) w[i] = wx;
    const wt = tf.tensor1d(w);
    let s = 0, n = 0;
    for (const st of picks) {
      const past = model.batch(data.gather(rows(st, M)), [M]);
      const fr = data.gather(rows(st + M, K));
      const fut = model.batch(fr, [K]);
      const pred = tf.tidy(() => {
        // adaptParams' step, with the loss weighted per dimension
        let q: Params = netParams(p);
        for (let k = 0; k < steps; k++) {
          const { grads } = valueAndGrads((r) => tf.mean(tf.mul(tf.square(tf.sub(model.predictNorm(r, past.obs, past.act), past.target)), wt)) as Scalar, q);
          q = sgdStep(q, grads, lr);
        }
        return model.predictNext(q, fut.obs, fut.act).dataSync();
      });
      for (let t = 0; t < K; t++) { s += Math.abs(pred[t * O] - fr.next[t * O]) / dt; n++; }
      tf.dispose([past.obs, past.act, past.target, fut.obs, fut.act, fut.target]);
    }
    wt.dispose();
    out[`w${wx}-lr${lr.toFixed(3)}x${steps}`] = +(s / n).toFixed(4);
  }
  console.log(file, ck.method, JSON.stringify(out));
}
