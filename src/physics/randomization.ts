/**
 * Declarative domain randomization, as a pure function of (nominal params, rng).
 *
 * A term names a target family (`mass`, `friction`, `damping`, `armature`, `strength`, `gravity`,
 * `payload_mass`, `cable_length`, ...), optionally which elements (`select`: body or joint names),
 * a distribution, an operation applied to the NOMINAL value (add | scale | abs) and a mode:
 *   startup  — sampled once per env (first reset), kept for its life
 *   reset    — resampled at every reset
 *   interval — resampled every `intervalSteps` env steps during an episode (and at reset)
 * Params are keyed `family.element` (e.g. `mass.torso`, `damping.hip_1`) or just `family`
 * (e.g. `gravity`). Sampling always starts from the nominal value, so nothing compounds.
 */
import type { Rng } from './rng.js';

/** Physical parameters by key, e.g. `mass.torso`, `friction.torso`, `damping.hip_1`, `gravity`. */
export type PhysParams = Record<string, number>;

export type Distribution =
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'loguniform'; low: number; high: number }
  | { kind: 'normal'; mean: number; std: number; low?: number; high?: number };

export interface DRTerm {
  target: string;
  select?: string[];
  distribution: Distribution;
  operation: 'add' | 'scale' | 'abs';
  mode: 'startup' | 'reset' | 'interval';
  intervalSteps?: number;
  /** one sample shared by every selected element (default false: independent samples) */
  shared?: boolean;
}

export function sample(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case 'uniform':
      return rng.range(d.low, d.high);
    case 'loguniform':
      return Math.exp(rng.range(Math.log(d.low), Math.log(d.high)));
    case 'normal': {
      const v = rng.normal(d.mean, d.std);
      return Math.min(d.high ?? Infinity, Math.max(d.low ?? -Infinity, v));
    }
  }
}

/** Keys of `params` a term applies to. */
export function termKeys(term: DRTerm, params: PhysParams): string[] {
  const keys = Object.keys(params).filter((k) => k === term.target || k.startsWith(term.target + '.'));
  if (!term.select) return keys;
  return keys.filter((k) => term.select!.some((s) => k === `${term.target}.${s}` || k === s));
}

export function applyOp(op: DRTerm['operation'], nominal: number, v: number): number {
  return op === 'add' ? nominal + v : op === 'scale' ? nominal * v : v;
}

/**
 * Sample the terms whose mode is in `modes`; returns a NEW params object computed from the
 * nominal values for the keys those terms touch, and `current` for every other key.
 */
export function randomize(nominal: PhysParams, current: PhysParams, terms: DRTerm[], modes: DRTerm['mode'][], rng: Rng): PhysParams {
  const out: PhysParams = { ...current };
  const touched = new Set<string>();
  for (const t of terms) {
    if (!modes.includes(t.mode)) continue;
    const keys = termKeys(t, nominal);
    if (keys.length === 0) throw new Error(`DR term targets nothing: ${t.target}${t.select ? ' ' + t.select.join(',') : ''}`);
    const shared = t.shared ? sample(t.distribution, rng) : NaN;
    for (const k of keys) {
      const v = t.shared ? shared : sample(t.distribution, rng);
      // several terms on one key: later terms apply to the first result (but never to a previous episode's)
      const base = touched.has(k) ? out[k] : nominal[k];
      out[k] = applyOp(t.operation, base, v);
      touched.add(k);
    }
  }
  return out;
}

/** The [min, max] a term can produce for a key, for UIs and tests. */
export function termRange(term: DRTerm, nominal: number): [number, number] {
  const d = term.distribution;
  const lo = d.kind === 'normal' ? d.low ?? d.mean - 4 * d.std : d.low;
  const hi = d.kind === 'normal' ? d.high ?? d.mean + 4 * d.std : d.high;
  const a = applyOp(term.operation, nominal, lo), b = applyOp(term.operation, nominal, hi);
  return [Math.min(a, b), Math.max(a, b)];
}
