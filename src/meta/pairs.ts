/**
 * Source/target pair files (src/shared/pair.ts, `assets/pairs/<name>.json`): read, check and
 * explain. Errors name the file, the field and what was expected, so a typo in a pair says where
 * it is.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import { envPairSchema, type Domain, type DomainSpec, type EnvPair } from '../shared/pair.js';
import { faultSchema } from '../shared/env-config.js';
import { ENV_SPECS } from '../physics/envs/registry.js';
import type { Fault } from '../physics/envs/types.js';
import { builtinTasks } from './rl/tasks.js';

// the contract's fault schema and the physics envs' Fault describe the same object
faultSchema satisfies z.ZodType<Fault>;

/** Env ids a pair may name: the physics envs and the built-in tasks. */
export function pairEnvIds(): string[] {
  return [...Object.keys(ENV_SPECS), ...Object.keys(builtinTasks)];
}

/** A zod issue path as a field name: target.config.faults[0].fault.factor. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(the whole file)';
}

/** Checks a parsed pair; `where` names it in errors (its file). */
export function parsePair(value: unknown, where: string): EnvPair {
  const r = envPairSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`pair ${where}: ${fieldName(issue.path)}: ${issue.message} (a pair is {"source": {"env", "config"}, "target": {"env", "config"}})`);
  }
  const ids = pairEnvIds();
  for (const d of ['source', 'target'] as const)
    if (!ids.includes(r.data[d].env)) throw new Error(`pair ${where}: ${d}.env: unknown env "${r.data[d].env}" (one of ${ids.join(', ')})`);
  return r.data;
}

/** Reads and checks a pair file. */
export function loadPair(file: string): EnvPair {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`pair ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)}); pairs ship in assets/pairs/`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`pair ${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parsePair(value, file);
}

/** One side of a pair. */
export function pairDomain(pair: EnvPair, domain: Domain): DomainSpec {
  return pair[domain];
}
