/**
 * Run an env under a simple policy and summarise its physical sanity (the CLI's `simulate`).
 */
import { makeEnv } from './envs/registry.js';
import type { Env, EnvConfig, EnvId } from './envs/types.js';
import { Rng } from './rng.js';
import { ANT_ACTUATOR_ORDER } from './robots/ant.js';

export type SimPolicy = 'random' | 'zero' | 'gait';

/**
 * The ant's scripted gait: hip_k = A sin(w t + phi_k), ankle_k = A s_k sin(w t + phi_k + psi), with
 * s_k = +1 for legs 1, 4 and -1 for legs 2, 3 (so + is "foot down" for every leg). Picked from a
 * sweep in MuJoCo 2.2.2 on Gym's ant.xml (bench/ref/mjdriver.c, 'gait'), where it walks forward;
 * it is deliberately not point-symmetric (a symmetric gait cannot move an exactly simulated ant).
 */
export const ANT_GAIT = { freq: 2, amplitude: 1, anklePhase: Math.PI / 2, hipPhase: [0, Math.PI, Math.PI / 2, Math.PI / 2] };

export interface SimulateOptions {
  env: EnvId | Env;
  steps: number;
  seed?: number;
  policy?: SimPolicy;
  /** Acts instead of `policy` (e.g. a learned policy the CLI loaded); `name` is reported as the policy. */
  controller?: { name: string; act(obs: Float32Array): Float32Array };
  config?: EnvConfig;
  /** reset when an episode ends (default true) */
  resetOnDone?: boolean;
}

export interface SimulateSummary {
  env: string;
  steps: number;
  seed: number;
  policy: string;
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
    const w = 2 * Math.PI * ANT_GAIT.freq;
    for (let k = 1; k <= 4; k++) {
      const ph = w * time + ANT_GAIT.hipPhase[k - 1];
      out[ANT_ACTUATOR_ORDER.indexOf(`hip_${k}`)] = ANT_GAIT.amplitude * Math.sin(ph);
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
  let obs = env.reset({ seed }).obs;
  let d = env.diagnostics();
  let minH = d.torsoHeight, maxH = d.torsoHeight, maxLim = d.maxLimitViolation, maxSep = d.maxJointSeparation;
  let hasNaN = !d.finite;
  let sumV = 0, sumR = 0, episodes = 1, t = 0;
  let x = d.x;
  for (let i = 0; i < opts.steps; i++) {
    if (opts.controller) act.set(opts.controller.act(obs));
    else if (policy === 'random') rng.fillUniform(act, -1, 1);
    else if (policy === 'zero') act.fill(0);
    else gaitAction(env, t, act);
    const r = env.step(act);
    obs = r.obs;
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
      obs = env.reset().obs;
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
    policy: opts.controller?.name ?? policy,
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
