/**
 * The Runs view's training form, as pure functions of a trainer's fields ('trainers.list'): which
 * control each field gets, its prefilled value, and the config the form sends to 'job.start'.
 * Nothing here names an algorithm or an option: a new registry entry gets its form for free.
 * Ranges and choices are checked by the service (the trainer's schema), which names the option.
 */
import type { Params, TrainerField } from '../../../shared/contract';

/** A trainer config as 'job.start' takes it. */
export type TrainerConfig = NonNullable<Params<'job.start'>['config']>;
type ConfigValue = TrainerConfig[string];

/** What a form control holds: text and number inputs give strings or numbers, checkboxes booleans. */
export type FormValue = string | number | boolean;
export type FormValues = Record<string, FormValue>;

export type Control =
  | { kind: 'number'; min?: number; max?: number; step: number | 'any'; placeholder: string }
  | { kind: 'checkbox' }
  /** A select; `unset` adds a first choice that leaves the option to the trainer's own default. */
  | { kind: 'select'; choices: string[]; unset: boolean }
  /** A text input: comma-separated lists, strings, and kinds this form does not know. */
  | { kind: 'text'; placeholder: string };

/** A field without a default is optional: left empty, the trainer decides. */
export const isOptional = (f: TrainerField) => f.optional === true || f.defaultValue === undefined;

export function controlOf(f: TrainerField): Control {
  switch (f.type) {
    case 'number':
      return { kind: 'number', min: f.min, max: f.max, step: f.isInt ? 1 : 'any', placeholder: isOptional(f) ? 'default' : '' };
    case 'boolean':
      return isOptional(f) ? { kind: 'select', choices: ['true', 'false'], unset: true } : { kind: 'checkbox' };
    case 'enum':
      return { kind: 'select', choices: f.values ?? [], unset: isOptional(f) };
    case 'array':
      return { kind: 'text', placeholder: isOptional(f) ? 'default' : f.elementType === 'number' ? 'e.g. 64,64' : 'comma-separated' };
    default:
      return { kind: 'text', placeholder: isOptional(f) ? 'default' : '' };
  }
}

/** A default as the form shows it ('' where there is none). */
export function initialValue(f: TrainerField): FormValue {
  const d = f.defaultValue;
  if (d === undefined || d === null) return f.type === 'boolean' && !isOptional(f) ? false : '';
  if (Array.isArray(d)) return d.join(',');
  if (f.type === 'boolean' && isOptional(f)) return String(d);
  return typeof d === 'number' || typeof d === 'boolean' ? d : String(d);
}

export function initialValues(fields: TrainerField[]): FormValues {
  return Object.fromEntries(fields.map((f) => [f.key, initialValue(f)]));
}

/** Fields whose value differs from the default (the form marks them). */
export function changedKeys(fields: TrainerField[], values: FormValues): string[] {
  return fields.filter((f) => String(values[f.key] ?? '') !== String(initialValue(f))).map((f) => f.key);
}

const isNumeric = (s: string) => s !== '' && Number.isFinite(Number(s));
const tokens = (s: string) => s.split(/[\s,]+/).filter((t) => t !== '');

/**
 * The config to send: every field's value in its type; an empty optional field is left out.
 * A value that cannot be read as its type gives an error naming the option instead.
 */
export function toConfig(fields: TrainerField[], values: FormValues): { config: TrainerConfig } | { error: string } {
  const config: TrainerConfig = {};
  for (const f of fields) {
    const raw = values[f.key];
    const text = typeof raw === 'string' ? raw.trim() : raw === undefined ? '' : String(raw);
    if (f.type === 'boolean' && !isOptional(f)) {
      config[f.key] = raw === true || raw === 'true';
      continue;
    }
    if (text === '') {
      if (isOptional(f)) continue;
      if (f.type === 'number') return { error: `${f.key}: enter a number` };
    }
    switch (f.type) {
      case 'number':
        if (!isNumeric(text)) return { error: `${f.key}: "${text}" is not a number` };
        config[f.key] = Number(text);
        break;
      case 'boolean':
        config[f.key] = text === 'true';
        break;
      case 'array': {
        const items = tokens(text);
        if (f.elementType === 'number') {
          const bad = items.find((t) => !isNumeric(t));
          if (bad !== undefined) return { error: `${f.key}: "${bad}" is not a number (give a list like 64,64)` };
          config[f.key] = items.map(Number);
        } else config[f.key] = items;
        break;
      }
      case 'enum':
      case 'string':
        config[f.key] = text;
        break;
      default:
        config[f.key] = guess(text);
    }
  }
  return { config };
}

/** A value of a kind the fields do not describe: a boolean, a number, a list of numbers, or text. */
function guess(text: string): ConfigValue {
  if (text === 'true' || text === 'false') return text === 'true';
  if (isNumeric(text)) return Number(text);
  const items = tokens(text);
  if (text.includes(',') && items.length && items.every(isNumeric)) return items.map(Number);
  return text;
}
