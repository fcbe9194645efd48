/**
 * Data collection over the task distribution: each episode draws a task (intact, one training leg
 * crippled, or a payload) from the seeded rng, puts the env in it at the episode's start, and acts either
 * uniformly at random or with an MPC controller plus Gaussian exploration noise.
 */
import type { Rng } from '../rng.js';
import type { AdaptiveController } from './controller.js';
import { TransitionData } from './data.js';
import { resetInto, type MbEnv, type MbFault } from './types.js';

export interface CollectOptions {
  env: MbEnv;
  data: TransitionData;
  /** Tasks to draw from (null = intact). */
  tasks: (MbFault | null)[];
  /** Env steps to collect. */
  steps: number;
  episodeSteps: number;
  rng: Rng;
  /** MPC controller; random actions when absent. */
  controller?: (AdaptiveController & { overrideLastAction(a: ArrayLike<number>): void }) | null;
  /** Gaussian exploration noise std added to the controller's actions. */
  actionNoise?: number;
  /** Called every `every` steps with the count so far; return true to stop early. */
  tick?: (done: number) => boolean | void;
}

export interface CollectStats {
  steps: number;
  episodes: number;
  /** Mean per-episode forward distance (x at end - x at start) and return. */
  meanForward: number;
  meanReturn: number;
}

export function collect(o: CollectOptions): CollectStats {
  const { env, data, rng } = o;
  const A = env.actionSize;
  let done = 0;
  let episodes = 0;
  let fwd = 0;
  let ret = 0;
  while (done < o.steps) {
    const taskIdx = rng.int(o.tasks.length);
    const fault = o.tasks[taskIdx];
    const seed = rng.nextU32();
    const r0 = resetInto(env, fault, seed);
    o.controller?.reset();
    let obs = Float32Array.from(r0.obs);
    const x0 = r0.info?.x_position ?? obs[0];
    let x = x0;
    const ep = data.nextEpisodeId();
    let epRet = 0;
    for (let t = 0; t < o.episodeSteps && done < o.steps; t++) {
      let a: Float32Array;
      if (o.controller) {
        a = o.controller.act(obs);
        if (o.actionNoise) {
          for (let j = 0; j < A; j++) a[j] = Math.max(-1, Math.min(1, a[j] + o.actionNoise * rng.normal()));
          o.controller.overrideLastAction(a);
        }
      } else {
        a = new Float32Array(A);
        for (let j = 0; j < A; j++) a[j] = rng.range(-1, 1);
      }
      const r = env.step(a);
      const next = Float32Array.from(r.obs);
      data.add(obs, a, next, ep, taskIdx);
      done++;
      epRet += r.reward;
      x = r.info?.x_position ?? next[0];
      obs = next;
      if (o.tick && done % 100 === 0 && o.tick(done)) return { steps: done, episodes: episodes + 1, meanForward: (fwd + x - x0) / (episodes + 1), meanReturn: (ret + epRet) / (episodes + 1) };
      if (r.terminated || r.truncated) break;
    }
    episodes++;
    fwd += x - x0;
    ret += epRet;
  }
  return { steps: done, episodes, meanForward: fwd / Math.max(1, episodes), meanReturn: ret / Math.max(1, episodes) };
}
