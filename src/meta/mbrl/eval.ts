/**
 * evalAdapt: the showcase's evaluation. For each method and each of `episodes` seeds (paired: the
 * same env and planner seeds for every method), run the adapt-plan-act loop for `steps` env steps
 * (no early termination) with a leg crippled from the start (or from step `at`), and report
 *  - forwardDistance: torso x at the end minus at the start (mean, std over episodes);
 *  - predictionError: the model's one-step prediction error (normalized MSE) on the same
 *    transitions after the fault, before adaptation (the unadapted model) and after (the model
 *    the controller planned with), each transition scored before it is adapted on.
 * The oracle plans with MB's (intact) model until the fault and with its own from the fault on.
 * Per episode also, counted from the fault on (t >= at): `progress` (torso x gained, m), the mean
 * env reward per step, and the mean lateral error |y| (m) where the observation has the torso's y:
 * the path-following task's metrics (ant.ts antPathTaskSpec).
 */
import path from 'node:path';
import { backendInfo, initBackend } from '../backend.js';
import { loadCheckpoint, type MbCheckpoint } from './checkpoint.js';
import { createAdaptiveController, type ControllerMethod } from './controller.js';
import { resolveTask } from './envs.js';
import type { PlannerConfig } from './planner.js';
import { isCripple, type MbFault, type MbTaskSpec } from './types.js';

export type EvalMethod = ControllerMethod | 'oracle';

export interface EvalAdaptOptions {
  env: string | MbTaskSpec;
  /** The fault: `{leg: 3}` is read as `{kind: 'cripple', leg: 3}`; default the task's test fault. */
  fault?: { leg: number } | MbFault;
  /** Env step at which the fault fires (default 0: from the start). */
  at?: number;
  methods: EvalMethod[];
  episodes: number;
  seed: number;
  /** Env steps per episode (default 1000). */
  steps?: number;
  /** Checkpoint per method (object or path); default `${checkpointDir}/${env}/${method}.json` ('mbde' reads 'mb'). */
  checkpoints?: Partial<Record<EvalMethod, string | MbCheckpoint>>;
  /** Default: `assets/checkpoints` under the current directory. */
  checkpointDir?: string;
  planner?: Partial<PlannerConfig>;
  /** false: run every method with adaptation switched off (the ablation "meta-trained, not adapted"). */
  adapt?: boolean;
  /** Called after each episode. */
  onEpisode?: (r: { method: EvalMethod; episode: number; forwardDistance: number; steps: number; afterFault: AfterFault }) => void;
  signal?: AbortSignal;
}

/** An episode from the fault on: torso x gained (m), mean env reward per step, mean |torso y| (m; null when the obs has no y). */
export interface AfterFault {
  progress: number;
  meanReward: number;
  lateralError: number | null;
}

export interface MethodResult {
  forwardDistance: { mean: number; std: number };
  predictionError: { before: number; after: number };
}

export interface EvalAdaptResult {
  methods: Record<string, MethodResult>;
}

export interface EvalAdaptDetailed extends EvalAdaptResult {
  perEpisode: Record<
    string,
    {
      seed: number;
      forwardDistance: number;
      afterFault: AfterFault;
      steps: number;
      errorBefore: number;
      errorAfter: number;
      /** Forward-velocity error (m/s) of the same predictions; null when the obs has no x. */
      velocityErrorBefore: number | null;
      velocityErrorAfter: number | null;
      msPerStep: number;
    }[]
  >;
}

/** `root/<task>/<method>.json`, the task being the one whose checkpoints envId plans with (AntPath-v0: Ant-v0's). */
export function defaultCheckpointPath(envId: string, method: EvalMethod, root = path.resolve('assets/checkpoints')): string {
  const file = method === 'mbde' ? 'mb' : method;
  return path.join(root, resolveTask(envId).checkpointEnv ?? envId, `${file}.json`);
}

function meanStd(xs: number[]): { mean: number; std: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n);
  return { mean, std: Math.sqrt(v) };
}

/** Episode seeds shared by all methods (paired comparison). */
export function episodeSeed(seed: number, e: number): number {
  return (Math.imul(seed >>> 0, 1000003) + e * 7919 + 17) >>> 0;
}

export async function evalAdaptDetailed(o: EvalAdaptOptions): Promise<EvalAdaptDetailed> {
  if (!backendInfo()) await initBackend();
  const spec = resolveTask(o.env);
  // {leg} takes the task's cripple style (Ant-v0: actuators zeroed AND the lower segment shrunk)
  const style = isCripple(spec.testFault) ? spec.testFault : { kind: 'cripple' as const };
  const fault: MbFault = o.fault ? ('kind' in o.fault ? (o.fault as MbFault) : { ...style, kind: 'cripple', leg: (o.fault as { leg: number }).leg }) : spec.testFault;
  if (!isCripple(fault) && !('kind' in fault)) throw new Error('fault must be {leg} or a fault object');
  const at = o.at ?? 0;
  const steps = o.steps ?? 1000;
  // fixed-length episodes: forward distance over `steps` steps, as in the Adaptation view
  const env = await spec.make({ episodic: false });
  const yIndex = spec.positionIndices?.[1] ?? null;
  const out: EvalAdaptDetailed = { methods: {}, perEpisode: {} };
  try {
    for (const method of o.methods) {
      const src = o.checkpoints?.[method] ?? (method === 'mbde' ? o.checkpoints?.mb : undefined) ?? defaultCheckpointPath(spec.id, method, o.checkpointDir);
      const ck = loadCheckpoint(src);
      const ctlMethod: ControllerMethod = method === 'oracle' ? 'mb' : method;
      const make = (checkpoint: MbCheckpoint, m: ControllerMethod) => createAdaptiveController({ checkpoint, env, method: m, planner: o.planner, adapt: o.adapt ?? true, imaginedPenalty: spec.imaginedPenalty });
      const ctl = make(ck, ctlMethod);
      // The oracle knows the dynamics at every step: until the fault fires the ant is intact, and
      // the intact ant's best model is MB's; at the fault it switches to its own (leg-3) model.
      const intact = method === 'oracle' && at > 0 ? make(loadCheckpoint(o.checkpoints?.mb ?? defaultCheckpointPath(spec.id, 'mb', o.checkpointDir)), 'mb') : null;
      const eps: EvalAdaptDetailed['perEpisode'][string] = [];
      for (let e = 0; e < o.episodes; e++) {
        if (o.signal?.aborted) break;
        const seed = episodeSeed(o.seed, e);
        const r0 = env.reset({ seed });
        ctl.reset(seed);
        intact?.reset(seed);
        let obs = Float32Array.from(r0.obs);
        const x0 = r0.info?.x_position ?? 0;
        let x = x0;
        let eb = 0;
        let ea = 0;
        let ne = 0;
        let vb = 0;
        let va = 0;
        let nv = 0;
        let lat = 0;
        let rew = 0;
        let xAt = x0;
        let t = 0;
        const tStart = performance.now();
        for (; t < steps; t++) {
          if (t === at) {
            env.applyFault(fault);
            xAt = x;
          }
          const c = intact && t < at ? intact : ctl;
          const a = c.act(obs);
          const d = c.diagnostics();
          // errors on transitions that happened under the fault (the first one after it fires is t = at + 1)
          if (t > at && d && d.predictionError.adapted !== null && d.predictionError.unadapted !== null) {
            ea += d.predictionError.adapted;
            eb += d.predictionError.unadapted;
            ne++;
            if (d.velocityError.adapted !== null && d.velocityError.unadapted !== null) {
              va += d.velocityError.adapted;
              vb += d.velocityError.unadapted;
              nv++;
            }
          }
          const r = env.step(a);
          obs = Float32Array.from(r.obs);
          x = r.info?.x_position ?? x;
          if (t >= at) {
            rew += r.reward;
            if (yIndex !== null) lat += Math.abs(obs[yIndex]);
          }
          if (r.terminated || r.truncated) {
            t++;
            break;
          }
        }
        const rec = {
          seed,
          forwardDistance: x - x0,
          afterFault: { progress: x - xAt, meanReward: rew / Math.max(1, t - at), lateralError: yIndex !== null ? lat / Math.max(1, t - at) : null },
          steps: t,
          errorBefore: eb / Math.max(1, ne),
          errorAfter: ea / Math.max(1, ne),
          velocityErrorBefore: nv ? vb / nv : null,
          velocityErrorAfter: nv ? va / nv : null,
          msPerStep: (performance.now() - tStart) / Math.max(1, t),
        };
        eps.push(rec);
        o.onEpisode?.({ method, episode: e, forwardDistance: rec.forwardDistance, steps: t, afterFault: rec.afterFault });
      }
      ctl.dispose();
      intact?.dispose();
      out.perEpisode[method] = eps;
      out.methods[method] = {
        forwardDistance: meanStd(eps.map((r) => r.forwardDistance)),
        predictionError: { before: meanStd(eps.map((r) => r.errorBefore)).mean, after: meanStd(eps.map((r) => r.errorAfter)).mean },
      };
    }
  } finally {
    env.dispose?.();
  }
  return out;
}

/** The JSON: `{methods: {grbal: {forwardDistance: {mean, std}, predictionError: {before, after}}, ...}}`. */
export async function evalAdapt(o: EvalAdaptOptions): Promise<EvalAdaptResult> {
  const d = await evalAdaptDetailed(o);
  return { methods: d.methods };
}
