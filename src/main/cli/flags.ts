/**
 * The command line's flags as data: every command declares its flags in a table (name -> kind,
 * allowed values, range), ./program.ts builds commander options from the tables and checks each
 * value with checkFlagValue; handlers read the parsed flags with the helpers below. A bad value is
 * a UsageError naming the flag (the CLI prints one line and exits 2).
 */

export type FlagKind = 'boolean' | 'string' | 'int' | 'number';

export interface FlagSpec {
  kind: FlagKind;
  /** Allowed values (an enum); with `list`, allowed items of a comma-separated list. */
  values?: readonly string[] | (() => readonly string[]);
  /** The value is a comma-separated list (of `values` where given, of numbers for int/number). */
  list?: boolean;
  /** Inclusive range of an int/number (of each item, for a list). */
  min?: number;
  max?: number;
  /** May be given more than once (values collect). */
  repeat?: boolean;
  /** The value must match this; `hint` says what it looks like (e.g. "cripple:LEG"). */
  pattern?: RegExp;
  hint?: string;
  /** One line for --help. */
  help?: string;
  /** A switch that also takes --no-NAME (generated trainer options: defaults that are on). */
  negatable?: boolean;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const allowed = (s: FlagSpec): readonly string[] | undefined => (typeof s.values === 'function' ? s.values() : s.values);

function describeRange(s: FlagSpec): string {
  const what = s.kind === 'int' ? 'an integer' : 'a number';
  if (s.min !== undefined && s.max !== undefined) return `${what} in [${s.min}, ${s.max}]`;
  if (s.min !== undefined) return `${what} >= ${s.min}`;
  if (s.max !== undefined) return `${what} <= ${s.max}`;
  return what;
}

/** Checks one value of a flag against its spec; throws a UsageError naming the flag. */
export function checkFlagValue(name: string, s: FlagSpec, raw: string): void {
  if (s.kind === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new UsageError(`--${name} is a switch (no value), got "${raw}"`);
    return;
  }
  if (raw === '') throw new UsageError(`--${name} needs a value`);
  const items = s.list ? raw.split(',') : [raw];
  const values = allowed(s);
  for (const item of items) {
    if (values && !values.includes(item)) {
      const got = s.list && items.length > 1 ? `"${item}" in "${raw}"` : `"${raw}"`;
      throw new UsageError(`--${name} expects ${s.list ? 'a comma-separated list of ' : 'one of '}${values.join(', ')}; got ${got}`);
    }
    if (s.kind === 'int' || s.kind === 'number') {
      const n = item.trim() === '' ? NaN : Number(item);
      const ok = (s.kind === 'int' ? Number.isInteger(n) : Number.isFinite(n)) && !(s.min !== undefined && n < s.min) && !(s.max !== undefined && n > s.max);
      if (!ok) throw new UsageError(`--${name} expects ${s.list ? 'a comma-separated list of ' : ''}${describeRange(s)}, got "${raw}"`);
    }
  }
  if (s.pattern && !s.pattern.test(raw)) throw new UsageError(`--${name} expects ${s.hint ?? s.pattern.source}, got "${raw}"`);
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v?.[v.length - 1];
}

export function flagAll(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

export function intFlag(args: ParsedArgs, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = flag(args, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} expects an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

export function numFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = flag(args, name);
  return raw === undefined ? undefined : Number(raw);
}

export function boolFlag(args: ParsedArgs, name: string): boolean {
  const v = flag(args, name);
  return v !== undefined && v !== 'false';
}

/** The learning backends `--backend` names (src/meta/backend.ts), shared by the commands that train. */
export const BACKEND_FLAG: FlagSpec = {
  kind: 'string',
  values: ['auto', 'node-gpu', 'tfjs-node-gpu', 'gpu', 'node', 'tfjs-node', 'tensorflow', 'wasm', 'wasm-simd', 'cpu'],
  help: 'learning backend (default: ADAPTLAB_BACKEND, then auto)',
};
