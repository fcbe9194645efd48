/**
 * CLI flags generated from a trainer's config schema (src/meta/trainers): each field becomes
 * `--kebab-name` with its kind, range, choices, default and one-line doc, and parsed flags become
 * a config the schema validates. A new trainer gets its command line without a line here.
 */
import type { AnyConfigSchema } from '../../meta/trainers/entry';
import { configFields as fields } from '../../meta/trainers/config-fields';
import { UsageError, type FlagSpec, type FlagTable, type ParsedArgs } from './flags';

/** A config field's flag name: numEnvs -> num-envs. */
export const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const show = (v: unknown) => (Array.isArray(v) ? v.join(',') : String(v));

/** The flag table of a trainer's config schema. */
export function schemaFlagTable(schema: AnyConfigSchema): FlagTable {
  const out: Record<string, FlagSpec> = {};
  for (const f of fields(schema)) {
    const help = `${f.description ?? ''}${f.defaultValue !== undefined ? ` (default ${show(f.defaultValue)})` : ''}`.trim();
    let spec: FlagSpec;
    if (f.type === 'boolean') spec = { kind: 'boolean', negatable: true, help: `${help}; --no-${kebab(f.key)} to turn off` };
    else if (f.type === 'number') spec = { kind: f.isInt ? 'int' : 'number', min: f.min, max: f.max, help };
    else if (f.type === 'enum') spec = { kind: 'string', values: f.values, help };
    else if (f.type === 'array' && f.elementType === 'number') spec = { kind: f.isInt ? 'int' : 'number', list: true, min: f.min, max: f.max, hint: 'N,N,...', help };
    else spec = { kind: 'string', help };
    out[kebab(f.key)] = spec;
  }
  return out;
}

/** The config the given flags ask for (only fields given), checked by the schema; UsageError if not. */
export function configFromFlags(schema: AnyConfigSchema, args: ParsedArgs): Record<string, unknown> {
  const cfg: Record<string, unknown> = {};
  for (const f of fields(schema)) {
    const raw = args.flags.get(kebab(f.key))?.at(-1);
    if (raw === undefined) continue;
    if (f.type === 'boolean') cfg[f.key] = raw !== 'false';
    else if (f.type === 'number') cfg[f.key] = Number(raw);
    else if (f.type === 'array' && f.elementType === 'number') cfg[f.key] = raw.split(',').map(Number);
    else cfg[f.key] = raw;
  }
  const r = schema.safeParse(cfg);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new UsageError(`--${kebab(String(issue.path[0] ?? ''))}: ${issue.message}`);
  }
  return cfg;
}
