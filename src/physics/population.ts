/**
 * Populations of physical parameters: `samplePopulation(nominal, terms, rng, n)` draws n parameter
 * sets at once (MuJoCo Playground's vmapped `domain_randomize`), for the population view and for
 * training alike, so the view shows exactly the distribution trained on.
 *
 * Row i is what an env with these terms applies at its first reset when its DR stream is in the
 * state `rng` is in after rows 0..i-1: startup terms, then reset and interval terms, each from the
 * NOMINAL value (randomize()'s semantics, same order of random numbers). The batch work (which
 * keys each term touches) is done once, not per row; rows land in one Float64Array.
 */
import type { Rng } from './rng.js';
import { applyOp, sample, termKeys, type DRTerm, type PhysParams } from './randomization.js';

export interface Population {
  n: number;
  /** the parameter keys the terms touch, in first-touched order */
  keys: string[];
  /** n rows of keys.length values, row-major */
  values: Float64Array;
}

/** Terms applied at an env's first reset, in that order (randomize() runs startup, then the rest). */
const PHASES: DRTerm['mode'][][] = [['startup'], ['reset', 'interval']];

export function samplePopulation(nominal: PhysParams, terms: readonly DRTerm[], rng: Rng, n: number): Population {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`population size must be a whole number >= 0, got ${n}`);
  const keys: string[] = [];
  const column = new Map<string, number>();
  const plan = PHASES.map((modes) =>
    terms
      .filter((t) => modes.includes(t.mode))
      .map((t) => {
        const tk = termKeys(t, nominal);
        if (tk.length === 0) throw new Error(`DR term targets nothing: ${t.target}${t.select ? ' ' + t.select.join(',') : ''}`);
        const cols = tk.map((k) => {
          if (!column.has(k)) column.set(k, keys.push(k) - 1);
          return column.get(k)!;
        });
        return { term: t, cols };
      }),
  );
  const k = keys.length;
  const nominalRow = Float64Array.from(keys, (key) => nominal[key]);
  const values = new Float64Array(n * k);
  const touched = new Uint8Array(k);
  for (let i = 0; i < n; i++) {
    const row = values.subarray(i * k, (i + 1) * k);
    row.set(nominalRow);
    for (const phase of plan) {
      // each phase starts from nominal, as a fresh randomize() call does
      touched.fill(0);
      for (const { term, cols } of phase) {
        const shared = term.shared ? sample(term.distribution, rng) : NaN;
        for (const c of cols) {
          const v = term.shared ? shared : sample(term.distribution, rng);
          row[c] = applyOp(term.operation, touched[c] ? row[c] : nominalRow[c], v);
          touched[c] = 1;
        }
      }
    }
  }
  return { n, keys, values };
}

/** Row i as params (only the sampled keys): pass it as reset's `options.params`. */
export function populationRow(pop: Population, i: number): PhysParams {
  if (!(i >= 0 && i < pop.n)) throw new Error(`no row ${i} in a population of ${pop.n}`);
  const k = pop.keys.length;
  const out: PhysParams = {};
  pop.keys.forEach((key, c) => (out[key] = pop.values[i * k + c]));
  return out;
}
