/**
 * The command line's flag parser, strict and data-driven: every command declares its flags in a
 * table (name -> kind, allowed values, range), and anything else is refused with one actionable
 * line (a UsageError; the CLI prints it and exits 2). Pure TypeScript with no imports.
 *
 * The tables are plain data on purpose: a later move onto a CLI library (commander, cac) can generate
 * its options from them.
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
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

export interface ParseOptions {
  /** Most positional arguments accepted (default: any number). */
  maxPositional?: number;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const allowed = (s: FlagSpec): readonly string[] | undefined => (typeof s.values === 'function' ? s.values() : s.values);

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

function knownList(table: FlagTable): string {
  return Object.keys(table).map((k) => `--${k}`).join(', ');
}

/**
 * Parses `--flag`, `--key value`, `--key=value`; repeated keys collect (where the spec allows).
 * With a table, flags are checked: unknown flags, missing values, values outside an enum or range,
 * repeats of a single-valued flag and extra positional arguments throw a UsageError. Without one
 * (the old loose mode, kept for callers that parse a fragment), `booleans` lists the switches.
 */
export function parseArgs(argv: readonly string[], table: FlagTable | readonly string[] = [], opts: ParseOptions = {}): ParsedArgs {
  const strict = !Array.isArray(table);
  const specs: FlagTable = strict ? (table as FlagTable) : Object.fromEntries((table as readonly string[]).map((b) => [b, { kind: 'boolean' as const }]));
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    const spec = specs[name];
    if (strict && !spec) throw new UsageError(`unknown flag --${name} (known: ${knownList(specs) || 'none'})`);
    let value: string;
    if (eq > 0) value = a.slice(eq + 1);
    else if (spec?.kind === 'boolean') value = 'true';
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    else if (strict) throw new UsageError(`--${name} needs a value${spec.hint ? ` (${spec.hint})` : ''}`);
    else value = 'true';
    if (strict) {
      if (flags.has(name) && !spec.repeat) throw new UsageError(`--${name} given more than once`);
      checkFlagValue(name, spec, value);
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  if (opts.maxPositional !== undefined && positional.length > opts.maxPositional) {
    throw new UsageError(`unexpected argument "${positional[opts.maxPositional]}"`);
  }
  return { positional, flags };
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

/** One line of help per flag of a table. */
export function flagHelp(table: FlagTable): string[] {
  return Object.entries(table).map(([k, s]) => {
    const vals = allowed(s);
    const arg = s.kind === 'boolean' ? '' : ` ${vals ? vals.join('|') : s.hint ?? (s.kind === 'string' ? 'VALUE' : s.kind.toUpperCase())}`;
    return `  --${k}${arg}${s.help ? `  ${s.help}` : ''}`;
  });
}
