/** `--policy FILE|gait|random|zero`: a learned policy file or a scripted reference (eval, sweep). */
import { existsSync } from 'node:fs';
import { UsageError } from './flags';

export async function loadPolicyArg(file: string) {
  const { loadPolicy } = await import('../../meta/policy');
  const { REFERENCE_POLICIES } = await import('../../meta/eval-policy');
  if ((REFERENCE_POLICIES as readonly string[]).includes(file)) return file as (typeof REFERENCE_POLICIES)[number];
  if (!existsSync(file)) throw new UsageError(`--policy ${file}: no such file (or one of the scripted references: ${REFERENCE_POLICIES.join(', ')})`);
  return loadPolicy(file);
}
