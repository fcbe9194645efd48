/**
 * Run an env under a simple policy and summarise its physical sanity (the CLI's `simulate`).
 */
import { makeEnv } from './envs/registry.js';
import type { Env, EnvConfig, EnvId } from './envs/types.js';
import { Rng } from './rng.js';
import { ANT_ACTUATOR_ORDER } from './robots/ant.js';

/** The ant's scripted trot (found by a small sweep; see simulate.test.ts for its speed). */
export const ANT_GAIT = { freq: 3, amplitude: 1, anklePhase: Math.PI / 2, hipSign: [1, -1, 1, -1] };

export type SimPolicy = 'random' | 'zero' | 'gait';

export interface SimulateOptions {
  env: EnvId | Env;
  steps: number;
  seed?: number;
  policy?: SimPolicy;
  config?: EnvConfig;
  /** reset when an episode ends (default true) */
  resetOnDone?: boolean;
}

export interface SimulateSummary {
  env: string;
  steps: number;
  seed: number;
  policy: SimPolicy;
  episodes: number;
  finalX: number;
  meanForwardVelocity: number;
  minTorsoHeight: number;
  maxTorsoHeight: number;
  hasNaN: boolean;
  /** rad (or m for prismatic joints) */
  maxJointLimitViolation: number;
  /** m */
  maxJointSeparation: number;
  meanReward: number;
  wallSeconds: number;
  stepsPerSecond: number;
}

/**
 * Open-loop gaits. Ant: a trot — diagonal legs (1, 3) and (2, 4) swing their hips in antiphase
 * while the ankles lift the swinging pair. Hopper: a rhythmic thigh/leg/foot pattern. Quad: hover.
 */
export function gaitAction(env: Env, t: number, out: Float32Array): Float32Array {
  const time = t * env.dt;
  if (env.id === 'Ant-v0') {
    // trot: diagonal pairs (1, 3) and (2, 4) in antiphase; ankles lead the hips by 90 degrees
    const w = 2 * Math.PI * ANT_GAIT.freq;
    const hipSign = ANT_GAIT.hipSign;
    for (let k = 1; k <= 4; k++) {
      const ph = w * time + (k === 1 || k === 3 ? 0 : Math.PI);
      out[ANT_ACTUATOR_ORDER.indexOf(`hip_${k}`)] = ANT_GAIT.amplitude * hipSign[k - 1] * Math.sin(ph);
      // + is "foot down" for legs 1 and 4, "foot up" for legs 2 and 3
      out[ANT_ACTUATOR_ORDER.indexOf(`ankle_${k}`)] = ANT_GAIT.amplitude * (k === 1 || k === 4 ? 1 : -1) * Math.sin(ph + ANT_GAIT.anklePhase);
    }
  } else if (env.id === 'Hopper-v0') {
    const w = 2 * Math.PI * 1.5;
    out[0] = 0.5 * Math.sin(w * time);
    out[1] = 0.5 * Math.sin(w * time + 1);
    out[2] = 0.5 * Math.sin(w * time + 2);
  } else {
    out.fill((env as unknown as { hoverAction?: () => number }).hoverAction?.() ?? 0);
  }
  return out;
}

export async function simulate(opts: SimulateOptions): Promise<SimulateSummary> {
  const env = typeof opts.env === 'string' ? await makeEnv(opts.env, opts.config) : opts.env;
  const seed = opts.seed ?? 0;
  const policy = opts.policy ?? 'random';
  const rng = new Rng(seed, 0x51a7e);
  const act = new Float32Array(env.actionSize);
  const t0 = performance.now();
  env.reset({ seed });
  let d = env.diagnostics();
  let minH = d.torsoHeight, maxH = d.torsoHeight, maxLim = d.maxLimitViolation, maxSep = d.maxJointSeparation;
  let hasNaN = !d.finite;
  let sumV = 0, sumR = 0, episodes = 1, t = 0;
  let x = d.x;
  for (let i = 0; i < opts.steps; i++) {
    if (policy === 'random') rng.fillUniform(act, -1, 1);
    else if (policy === 'zero') act.fill(0);
    else gaitAction(env, t, act);
    const r = env.step(act);
    t++;
    sumV += r.info.x_velocity;
    sumR += r.reward;
    for (let k = 0; k < r.obs.length; k++) if (!Number.isFinite(r.obs[k])) hasNaN = true;
    d = env.diagnostics();
    if (!d.finite) hasNaN = true;
    minH = Math.min(minH, d.torsoHeight);
    maxH = Math.max(maxH, d.torsoHeight);
    maxLim = Math.max(maxLim, d.maxLimitViolation);
    maxSep = Math.max(maxSep, d.maxJointSeparation);
    x = d.x;
    if ((r.terminated || r.truncated) && opts.resetOnDone !== false && i < opts.steps - 1) {
      env.reset();
      episodes++;
      t = 0;
    }
  }
  const wall = (performance.now() - t0) / 1000;
  if (typeof opts.env === 'string') env.dispose();
  return {
    env: env.id,
    steps: opts.steps,
    seed,
    policy,
    episodes,
    finalX: x,
    meanForwardVelocity: sumV / Math.max(1, opts.steps),
    minTorsoHeight: minH,
    maxTorsoHeight: maxH,
    hasNaN,
    maxJointLimitViolation: maxLim,
    maxJointSeparation: maxSep,
    meanReward: sumR / Math.max(1, opts.steps),
    wallSeconds: wall,
    stepsPerSecond: opts.steps / wall,
  };
}
