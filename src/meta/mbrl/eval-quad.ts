/**
 * Payload tracking on QuadPayloadVel-v0 (issue 21): each method flies the same seeded episodes
 * with a payload set at reset (and optionally swapped mid-flight); the metric is the payload's
 * mean tracking error over the episode (m), a crashed episode's remaining steps counted at the
 * crash bound (4 m) so that crashing never looks better than flying badly. Methods: the latent
 * model (z inferred online), MB without history, MB with a history window, the oracle given the
 * true payload, all under the same CEM planner, and the per-axis PID on the same velocity interface.
 */
import { backendInfo, initBackend } from '../backend.js';
import { quadPid } from '../../physics/controllers/quad-pid.js';
import { meanCi, pairedDiff, type MeanCi, type PairedDiff } from '../../shared/paired.js';
import { loadCheckpoint } from './checkpoint.js';
import { createAdaptiveController } from './controller.js';
import { episodeSeed } from './eval.js';
import { resolveTask } from './envs.js';
import type { PlannerConfig } from './planner.js';
import type { LatentInference } from './context.js';
import { QUAD_TASK_ID, QUAD_TEST_PAYLOADS, quadCheckpointPath, quadTaskSpec } from './quad.js';
import type { QuadReference } from '../../physics/envs/quadPayload.js';

export const QUAD_METHODS = ['latent', 'mb', 'mbhist', 'oracle', 'pid'] as const;
export type QuadMethod = (typeof QUAD_METHODS)[number];
/** A crashed episode's remaining steps count at this error (m): QuadPayload-v0's crash bound. */
export const CRASH_ERROR = 4;

export interface Payload {
  payload_mass: number;
  cable_length: number;
}

export interface QuadEvalOptions {
  reference?: QuadReference;
  /** The payload set at each reset; keys left out stay nominal. */
  payload: Partial<Payload>;
  /** Swap to this payload at control step `swapAt` (setParams mid-flight). */
  swap?: { at: number; payload: Payload };
  methods: readonly QuadMethod[];
  episodes: number;
  seed: number;
  /** Where QuadPayloadVel-v0/<method>.json are (default assets/checkpoints). */
  checkpointDir?: string;
  /** A checkpoint file per method, instead of the directory's. */
  checkpoints?: Partial<Record<QuadMethod, string>>;
  planner?: Partial<PlannerConfig>;
  /** The latent model's online inference (steps a control step, step size, draws); default LATENT_INFERENCE. */
  latentInference?: Partial<LatentInference>;
  onEpisode?: (r: { method: QuadMethod; episode: number; trackingError: number; crashed: boolean }) => void;
}

export interface QuadEpisode {
  seed: number;
  trackingError: number;
  crashed: boolean;
  steps: number;
  msPerStep: number;
  /** The latent model's q(z) mean and its read-out at the episode's end (latent only). */
  z: number[] | null;
  readout: Record<string, number> | null;
}

export interface QuadMethodResult {
  trackingError: MeanCi;
  crashes: number;
  msPerStep: number;
}


/** Per-episode results of each method on the same seeded episodes, and the payload flown (nominal where not given). */
export async function evalQuadEpisodes(o: QuadEvalOptions): Promise<{ payload: Payload | null; episodes: Record<string, QuadEpisode[]> }> {
  if (!backendInfo()) await initBackend();
  const spec = o.reference ? quadTaskSpec({ reference: o.reference }) : resolveTask(QUAD_TASK_ID);
  const env = await spec.make();
  const out: Record<string, QuadEpisode[]> = {};
  let flown: Payload | null = null;
  try {
    for (const method of o.methods) {
      const ctl =
        method === 'pid'
          ? null
          : createAdaptiveController({ checkpoint: loadCheckpoint(o.checkpoints?.[method] ?? quadCheckpointPath(method, o.checkpointDir)), env, planner: o.planner, latentInference: o.latentInference, trueParams: () => env.params!() });
      const pid = quadPid(env.dt, 2);
      const eps: QuadEpisode[] = [];
      for (let e = 0; e < o.episodes; e++) {
        const seed = episodeSeed(o.seed, e);
        let obs = Float32Array.from(env.reset({ seed, options: { params: { ...o.payload } } }).obs);
        const p = env.params!();
        flown = { payload_mass: p.payload_mass, cable_length: p.cable_length };
        ctl?.reset(seed);
        pid.reset();
        const steps = env.maxEpisodeSteps;
        let sum = 0;
        let t = 0;
        let crashed = false;
        const t0 = performance.now();
        const a = new Float32Array(env.actionSize);
        for (; t < steps; t++) {
          if (o.swap && t === o.swap.at) env.applyFault({ kind: 'setParams', params: { ...o.swap.payload } });
          const act = ctl ? ctl.act(obs) : pid.act(obs, a);
          const r = env.step(act);
          sum += r.info?.tracking_error as number;
          obs = Float32Array.from(r.obs);
          if (r.terminated) {
            crashed = true;
            t++;
            break;
          }
          if (r.truncated) {
            t++;
            break;
          }
        }
        const ms = (performance.now() - t0) / Math.max(1, t);
        if (crashed) sum += (steps - t) * CRASH_ERROR;
        const lat = ctl?.diagnostics()?.latent ?? null;
        const rec: QuadEpisode = { seed, trackingError: sum / steps, crashed, steps: t, msPerStep: ms, z: lat?.mean ?? null, readout: lat?.params ?? null };
        eps.push(rec);
        o.onEpisode?.({ method, episode: e, trackingError: rec.trackingError, crashed });
      }
      ctl?.dispose();
      out[method] = eps;
    }
  } finally {
    env.dispose?.();
  }
  return { payload: flown, episodes: out };
}

export function summarize(eps: QuadEpisode[]): QuadMethodResult {
  return { trackingError: meanCi(eps.map((e) => e.trackingError)), crashes: eps.filter((e) => e.crashed).length, msPerStep: eps.reduce((s, e) => s + e.msPerStep, 0) / Math.max(1, eps.length) };
}

/** The quadrotor method a model-based trainer's model stands for ('params' is the oracle). */
export function quadMethodOf(algo: string): Exclude<QuadMethod, 'pid'> | null {
  if (algo === 'params') return 'oracle';
  return algo === 'latent' || algo === 'mb' || algo === 'mbhist' ? algo : null;
}

/** Paired differences of every method against `baseline` on the payload tracking error (positive = lower error). */
export function pairedAgainst(per: Record<string, QuadEpisode[]>, baseline: string): Record<string, PairedDiff> {
  const out: Record<string, PairedDiff> = {};
  const b = per[baseline];
  if (!b) return out;
  for (const [m, eps] of Object.entries(per))
    if (m !== baseline)
      out[m] = pairedDiff(
        'trackingError',
        b.map((e) => e.trackingError),
        eps.map((e) => e.trackingError),
        true,
      );
  return out;
}

/**
 * The README's protocol (`eval-adapt --preset quad-payload`): the figure-8 with each held-out
 * payload (a cable length between the trained ones and one beyond them), `episodes` each, pooled
 * into one paired comparison per method against MB (and against PID), plus the latent model's
 * read-out of z per payload (does it move with the true cable length?).
 */
export const QUAD_PRESET = { reference: 'figure8' as QuadReference, payloads: QUAD_TEST_PAYLOADS, episodesPerPayload: 20, seed: 0 };

export async function evalQuadPreset(o: { checkpointDir?: string; episodes?: number; seed?: number; methods?: readonly QuadMethod[]; onEpisode?: QuadEvalOptions['onEpisode'] }) {
  const methods = o.methods ?? QUAD_METHODS;
  const pooled: Record<string, QuadEpisode[]> = {};
  const byPayload: Record<string, { payload: Payload; methods: Record<string, QuadMethodResult>; latent: { z: number[]; readout: Record<string, number> | null } | null }> = {};
  // each payload its own episode seeds: 1000 apart
  for (const [i, [name, f]] of Object.entries(QUAD_PRESET.payloads).entries()) {
    const payload: Payload = f.params;
    const { episodes: per } = await evalQuadEpisodes({ reference: QUAD_PRESET.reference, payload, methods, episodes: o.episodes ?? QUAD_PRESET.episodesPerPayload, seed: (o.seed ?? QUAD_PRESET.seed) + 1000 * i, checkpointDir: o.checkpointDir, onEpisode: o.onEpisode });
    for (const [m, eps] of Object.entries(per)) pooled[m] = [...(pooled[m] ?? []), ...eps];
    const lat = per.latent;
    byPayload[name] = {
      payload,
      methods: Object.fromEntries(Object.entries(per).map(([m, eps]) => [m, summarize(eps)])),
      latent: lat ? { z: meanOf(lat.map((e) => e.z!)), readout: lat[0].readout ? Object.fromEntries(Object.keys(lat[0].readout).map((k) => [k, lat.reduce((s, e) => s + e.readout![k], 0) / lat.length])) : null } : null,
    };
  }
  return {
    preset: 'quad-payload',
    env: QUAD_TASK_ID,
    reference: QUAD_PRESET.reference,
    metric: `payload tracking error (m), mean over the episode's control steps, a crash's remaining steps at ${CRASH_ERROR} m`,
    methods: Object.fromEntries(Object.entries(pooled).map(([m, eps]) => [m, summarize(eps)])),
    paired: pairedAgainst(pooled, 'mb'),
    pairedVsPid: pairedAgainst(pooled, 'pid'),
    byPayload,
  };
}

function meanOf(rows: number[][]): number[] {
  return rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
}
