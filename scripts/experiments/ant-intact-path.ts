// The INTACT ant on the path task under MB's model and the protocol's MPPI (200 x 20), on seeds apart
// from the protocol's (episodeSeed(101, e)): how often it ends on its back, how often it stands
// still, progress, lateral error and the task's mean reward per step over the first 150 steps (the
// mid-episode condition's intact stretch), for an upright threshold of the imagined tilt cost.
// It chose PATH_UPRIGHT_MIN (src/meta/mbrl/ant.ts) on the intact ant, before any faulted run.
// --hip-cost W adds W per radian of predicted hip angle within 0.07 rad (4 degrees) of the hips'
// 30-degree limits (a probe of the freeze: the ant stands with its hips pressed on their limits).
// --temperature T sets MPPI's temperature (the preset's planner has 1).
// npx tsx scripts/experiments/ant-intact-path.ts [--up-min 0.9] [--hip-cost 0] [--temperature 1] [--episodes 8] [--first-episode 0] [--steps 150] [--checkpoint assets/checkpoints/Ant-v0/mb.json]
import { ANT_OBS_XY } from '../../src/physics/envs/ant.js';
import { antPathTaskSpec, torsoUpZ, uprightPenalty } from '../../src/meta/mbrl/ant.js';
import { BROKEN_LEG_PRESET } from '../../src/meta/mbrl/eval-broken-leg.js';
import { loadCheckpoint } from '../../src/meta/mbrl/checkpoint.js';
import { createAdaptiveController } from '../../src/meta/mbrl/controller.js';
import { initBackend } from '../../src/meta/backend.js';
import { episodeSeed } from '../../src/meta/mbrl/eval.js';
import { meanCi } from '../../src/shared/paired.js';
import { flag, numArg } from '../lib/args.js';

const checkpoint = flag('checkpoint') ?? 'assets/checkpoints/Ant-v0/mb.json';
const hipCost = numArg('hip-cost', 0);
const HIP_LIMIT = Math.PI / 6;
const upMin = numArg('up-min', 0.9);
const episodes = numArg('episodes', 8);
const firstEpisode = numArg('first-episode', 0);
const temperature = numArg('temperature', 1);
const steps = numArg('steps', 150);
await initBackend();
const spec = antPathTaskSpec();
const env = await spec.make({ episodic: false });
const I = ANT_OBS_XY;
const upright = uprightPenalty(upMin);
const penalty = (next: Float32Array, n: number, out: Float32Array) => {
  upright(next, n, out);
  if (!hipCost) return;
  const O = next.length / n;
  for (let i = 0; i < n; i++) for (let h = 0; h < 8; h += 2) out[i] -= hipCost * Math.max(0, Math.abs(next[i * O + I.joints + h]) - (HIP_LIMIT - 0.07));
};
const ctl = createAdaptiveController({ checkpoint: loadCheckpoint(checkpoint), env, method: 'mb', planner: { ...BROKEN_LEG_PRESET.planner, temperature }, imaginedPenalty: penalty });
let onBack = 0;
let still = 0;
const progress: number[] = [];
const lateral: number[] = [];
const reward: number[] = [];
for (let e = firstEpisode; e < firstEpisode + episodes; e++) {
  const seed = episodeSeed(101, e);
  let obs = Float32Array.from(env.reset({ seed }).obs);
  ctl.reset(seed);
  const x0 = obs[I.x];
  let lat = 0;
  let rew = 0;
  let xLate = 0;
  for (let t = 0; t < steps; t++) {
    const r = env.step(ctl.act(obs));
    obs = Float32Array.from(r.obs);
    lat += Math.abs(obs[I.y]);
    rew += r.reward;
    if (t === steps - 41) xLate = obs[I.x];
  }
  const back = torsoUpZ(obs) < 0;
  // standing still: upright and moved under 5 cm in x over the last 2 s
  const stands = !back && Math.abs(obs[I.x] - xLate) < 0.05;
  onBack += back ? 1 : 0;
  still += stands ? 1 : 0;
  progress.push(obs[I.x] - x0);
  lateral.push(lat / steps);
  reward.push(rew / steps);
  console.log(`episode ${e}: progress ${(obs[I.x] - x0).toFixed(2)} m, mean |y| ${(lat / steps).toFixed(2)} m, ${back ? 'on its back' : stands ? 'standing still' : 'walking'}`);
}
const f = (m: { mean: number; ci95: [number, number] }) => `${m.mean.toFixed(2)} [${m.ci95[0].toFixed(2)}, ${m.ci95[1].toFixed(2)}]`;
console.log(JSON.stringify({ checkpoint, upMin, hipCost, temperature, episodes, firstEpisode, steps, onBack, standingStill: still, progress: f(meanCi(progress)), lateralError: f(meanCi(lateral)), meanReward: f(meanCi(reward)) }));
ctl.dispose();
env.dispose?.();
