/**
 * A trainer's config schema as plain data: each field's kind, range, choices, default and one-line
 * doc. The CLI turns it into flags (src/main/cli/trainer-flags.ts) and the Runs view into a form,
 * so a new trainer gets both without a line elsewhere.
 */
import type { z } from 'zod';
import type { AnyConfigSchema } from './entry.js';
import type { TrainerField } from '../../shared/contract.js';

/** A field as plain data: the contract's TrainerField, what crosses to the renderer as is. */
export type ConfigField = TrainerField;

/** What a schema field is, looking through its default wrapper. */
function fieldOf(key: string, field: z.ZodType): ConfigField {
  // zod v4 keeps the definition on `def`; a default or an optional wraps the real type.
  const f = field as unknown as { def: { type: string; innerType?: unknown; defaultValue?: unknown }; description?: string };
  const wrapped = f.def.type === 'default' || f.def.type === 'optional';
  const inner = (wrapped ? f.def.innerType : field) as {
    def: { type: string; element?: { def: { type: string }; isInt?: boolean; minValue?: number; maxValue?: number }; entries?: Record<string, string> };
    isInt?: boolean;
    minValue?: number | null;
    maxValue?: number | null;
  };
  const num = inner.def.type === 'array' ? inner.def.element : inner;
  const finite = (x: number | null | undefined) => (x !== null && x !== undefined && Number.isFinite(x) && Math.abs(x) < 2 ** 53 ? x : undefined);
  const out: ConfigField = { key, type: inner.def.type };
  if (num?.isInt) out.isInt = true;
  if (finite(num?.minValue) !== undefined) out.min = finite(num?.minValue);
  if (finite(num?.maxValue) !== undefined) out.max = finite(num?.maxValue);
  if (inner.def.entries) out.values = Object.values(inner.def.entries);
  if (inner.def.element) out.elementType = inner.def.element.def.type;
  if (f.description) out.description = f.description;
  if (f.def.type === 'default') out.defaultValue = f.def.defaultValue;
  if (f.def.type === 'optional') out.optional = true;
  return out;
}

/** Every field of a trainer's config schema, in declaration order. */
export function configFields(schema: AnyConfigSchema): ConfigField[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([k, v]) => fieldOf(k, v));
}
