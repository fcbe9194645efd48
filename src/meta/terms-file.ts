/**
 * DR terms files (a JSON array of terms, shared/env-config.ts's schema): what `adapt-source --out`
 * writes and `train epopt --terms` / `adapt-source --prior` read. Errors name the flag, the file
 * and the field.
 */
import { readFileSync } from 'node:fs';
import { drTermsSchema } from '../shared/env-config.js';
import type { DRTerm } from '../shared/dr-terms.js';

export function loadTermsFile(file: string, flagName: string): DRTerm[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`--${flagName} ${file}: not a readable JSON file (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = drTermsSchema.safeParse(data);
  if (!r.success) throw new Error(`--${flagName} ${file}: not a JSON array of DR terms (${r.error.issues[0].path.join('.')}: ${r.error.issues[0].message})`);
  return r.data;
}
