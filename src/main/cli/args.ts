/**
 * The command line's argv parser: strict, driven by each command's flag table (see
 * src/shared/cli-flags.ts, which model-based meta-RL's CLI shares), plus helpers the CLI uses.
 */
import { resolve } from 'node:path';
import { writableDirProblem } from '../../meta/runs';
import { UsageError } from '../../shared/cli-flags';

export {
  boolFlag,
  checkFlagValue,
  flag,
  flagAll,
  flagHelp,
  intFlag,
  numFlag,
  parseArgs,
  UsageError,
  type FlagKind,
  type FlagSpec,
  type FlagTable,
  type ParsedArgs,
  type ParseOptions,
} from '../../shared/cli-flags';

/** Makes sure `dir` is a folder we can write into, creating it; a UsageError naming the flag if not. */
export function ensureWritableDir(dir: string, flagName: string): string {
  const problem = writableDirProblem(dir);
  if (problem) throw new UsageError(`--${flagName} ${dir}: ${problem}`);
  return resolve(dir);
}
