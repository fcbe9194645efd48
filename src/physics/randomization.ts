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
import { Rng } from './rng.js';
import { applyOp, termKeys, type Distribution, type DRTerm, type PhysParams } from '../shared/dr-terms.js';

// The term types and their pure helpers are shared with the renderer's DR panel.
export { applyOp, termKeys, termRange, termProblem, type Distribution, type DRTerm, type PhysParams } from '../shared/dr-terms.js';

/**
 * The DR stream of an env reset with `seed`: an env's first draw and row 0 of
 * `samplePopulation(nominal, terms, drStream(seed), n)` are the same numbers.
 */
export function drStream(seed: number): Rng {
  return new Rng(seed, 0x9e3779b9);
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

