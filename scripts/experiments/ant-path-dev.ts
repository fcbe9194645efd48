// One method on the path task on the development seeds (episodeSeed(101, e), apart from the
// protocol's), leg 3 crippled from step --at (0: from the start), with the preset's planner and
// an MPPI temperature: a quick look at a planner setting before the protocol is run with it.
// Metrics are counted from the break on, as in the protocol: progress (m), mean |y| (m), mean
// reward per step; an episode's end state is walking, standing still (under 5 cm in the last
// 2 s) or on its back. The oracle plans with MB's model until the break, as in the protocol.
// npx tsx scripts/experiments/ant-path-dev.ts --method mb|oracle|grbal|rebal [--at 0] [--temperature 1] [--episodes 8] [--first-episode 0] [--steps 400]
import { ANT_OBS_XY } from '../../src/physics/envs/ant.js';
import { antPathTaskSpec, cripple, torsoUpZ } from '../../src/meta/mbrl/ant.js';
import { BROKEN_LEG_PRESET } from '../../src/meta/mbrl/eval-broken-leg.js';
import { loadCheckpoint } from '../../src/meta/mbrl/checkpoint.js';
import { createAdaptiveController, type ControllerMethod } from '../../src/meta/mbrl/controller.js';
import { initBackend } from '../../src/meta/backend.js';
import { episodeSeed } from '../../src/meta/mbrl/eval.js';
import { meanCi } from '../../src/shared/paired.js';
import { flag, numArg } from '../lib/args.js';

const method = (flag('method') ?? 'mb') as ControllerMethod;
const at = numArg('at', 0);
const temperature = numArg('temperature', 1);
const episodes = numArg('episodes', 8);
const firstEpisode = numArg('first-episode', 0);
const steps = numArg('steps', 400);
await initBackend();
const spec = antPathTaskSpec();
const env = await spec.make({ episodic: false });
const I = ANT_OBS_XY;
const controller = (m: ControllerMethod) =>
  createAdaptiveController({ checkpoint: loadCheckpoint(`assets/checkpoints/Ant-v0/${m}.json`), env, method: m, planner: { ...BROKEN_LEG_PRESET.planner, temperature }, imaginedPenalty: spec.imaginedPenalty });
const ctl = controller(method);
const intact = method === 'oracle' && at > 0 ? controller('mb') : null;
const progress: number[] = [];
const lateral: number[] = [];
const reward: number[] = [];
const ends = { walking: 0, standingStill: 0, onBack: 0 };
for (let e = firstEpisode; e < firstEpisode + episodes; e++) {
  const seed = episodeSeed(101, e);
  let obs = Float32Array.from(env.reset({ seed }).obs);
  ctl.reset(seed);
  intact?.reset(seed);
  let xAt = obs[I.x];
  let rew = 0;
  let lat = 0;
  let xLate = 0;
  for (let t = 0; t < steps; t++) {
    if (t === at) {
      env.applyFault(cripple(3));
      xAt = obs[I.x];
    }
    const r = env.step((intact && t < at ? intact : ctl).act(obs));
    obs = Float32Array.from(r.obs);
    if (t >= at) {
      rew += r.reward;
      lat += Math.abs(obs[I.y]);
    }
    if (t === steps - 41) xLate = obs[I.x];
  }
  const end = torsoUpZ(obs) < 0 ? 'onBack' : Math.abs(obs[I.x] - xLate) < 0.05 ? 'standingStill' : 'walking';
  ends[end]++;
  progress.push(obs[I.x] - xAt);
  lateral.push(lat / (steps - at));
  reward.push(rew / (steps - at));
  console.log(`episode ${e}: progress ${progress.at(-1)!.toFixed(2)} m, mean |y| ${lateral.at(-1)!.toFixed(2)} m, mean reward ${reward.at(-1)!.toFixed(3)}, ${end}`);
}
const f = (m: { mean: number; ci95: [number, number] }) => `${m.mean.toFixed(2)} [${m.ci95[0].toFixed(2)}, ${m.ci95[1].toFixed(2)}]`;
console.log(JSON.stringify({ method, at, temperature, episodes, firstEpisode, steps, ...ends, progress: f(meanCi(progress)), lateralError: f(meanCi(lateral)), meanReward: f(meanCi(reward)), perEpisodeReward: reward.map((r) => +r.toFixed(3)) }));
ctl.dispose();
intact?.dispose();
env.dispose?.();
