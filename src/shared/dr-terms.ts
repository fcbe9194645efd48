/**
 * Domain-randomization terms as plain data, shared by the physics that samples them and the
 * renderer that edits them (the DR panel shows each term's range with the same `termRange` the
 * tests check samples against). Sampling itself lives in src/physics/randomization.ts.
 */

/** Physical parameters by key, e.g. `mass.torso`, `friction.torso`, `damping.hip_1`, `gravity`. */
export type PhysParams = Record<string, number>;

export type Distribution =
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'loguniform'; low: number; high: number }
  | { kind: 'normal'; mean: number; std: number; low?: number; high?: number };

export type DROperation = 'add' | 'scale' | 'abs';
export type DRMode = 'startup' | 'reset' | 'interval';

export interface DRTerm {
  target: string;
  select?: string[];
  distribution: Distribution;
  operation: DROperation;
  mode: DRMode;
  intervalSteps?: number;
  /** one sample shared by every selected element (default false: independent samples) */
  shared?: boolean;
}

export const DR_OPERATIONS: readonly DROperation[] = ['add', 'scale', 'abs'];
export const DR_MODES: readonly DRMode[] = ['startup', 'reset', 'interval'];
export const DR_DISTRIBUTIONS: readonly Distribution['kind'][] = ['uniform', 'loguniform', 'normal'];

/** Units of each parameter family, for legends and panels ('' = dimensionless). */
export const PARAM_UNITS: Record<string, string> = {
  mass: 'kg',
  friction: '',
  damping: 'N·m·s/rad',
  armature: 'kg·m²',
  strength: '×',
  gravity: 'm/s²',
  payload_mass: 'kg',
  cable_length: 'm',
};

export function paramUnit(key: string): string {
  return PARAM_UNITS[key.split('.')[0]] ?? '';
}

/** Keys of `params` a term applies to. */
export function termKeys(term: DRTerm, params: PhysParams): string[] {
  const keys = Object.keys(params).filter((k) => k === term.target || k.startsWith(term.target + '.'));
  if (!term.select) return keys;
  return keys.filter((k) => term.select!.some((s) => k === `${term.target}.${s}` || k === s));
}

export function applyOp(op: DROperation, nominal: number, v: number): number {
  return op === 'add' ? nominal + v : op === 'scale' ? nominal * v : v;
}

/** The [low, high] a distribution draws within (a normal without bounds: mean ± 4 std). */
export function distributionBounds(d: Distribution): [number, number] {
  return d.kind === 'normal' ? [d.low ?? d.mean - 4 * d.std, d.high ?? d.mean + 4 * d.std] : [d.low, d.high];
}

/** The [min, max] a term can produce for a key, for UIs and tests. */
export function termRange(term: DRTerm, nominal: number): [number, number] {
  const [lo, hi] = distributionBounds(term.distribution);
  const a = applyOp(term.operation, nominal, lo), b = applyOp(term.operation, nominal, hi);
  return [Math.min(a, b), Math.max(a, b)];
}

/** Why a term cannot be sampled (bad bounds, nothing targeted), or null when it can. */
export function termProblem(term: DRTerm, params: PhysParams): string | null {
  const d = term.distribution;
  const name = term.target + (term.select?.length ? `[${term.select.join(',')}]` : '');
  if (termKeys(term, params).length === 0) return `${name} targets no parameter`;
  if (d.kind === 'normal') {
    if (!(d.std >= 0)) return `${name}: std must be >= 0`;
    if (d.low !== undefined && d.high !== undefined && d.low > d.high) return `${name}: low > high`;
  } else {
    if (!(d.low <= d.high)) return `${name}: low > high`;
    if (d.kind === 'loguniform' && !(d.low > 0)) return `${name}: a log-uniform needs low > 0`;
  }
  if (term.mode === 'interval' && !(term.intervalSteps && term.intervalSteps >= 1)) return `${name}: interval mode needs intervalSteps >= 1`;
  return null;
}
