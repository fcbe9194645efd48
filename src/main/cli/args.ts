/** The command line's flag helpers (./flags.ts) and the folder check the commands share. */
import { resolve } from 'node:path';
import { writableDirProblem } from '../../meta/runs';
import { UsageError } from './flags';

export {
  boolFlag,
  checkFlagValue,
  flag,
  flagAll,
  intFlag,
  numFlag,
  UsageError,
  type FlagKind,
  type FlagSpec,
  type FlagTable,
  type ParsedArgs,
} from './flags';

/** Makes sure `dir` is a folder we can write into, creating it; a UsageError naming the flag if not. */
export function ensureWritableDir(dir: string, flagName: string): string {
  const problem = writableDirProblem(dir);
  if (problem) throw new UsageError(`--${flagName} ${dir}: ${problem}`);
  return resolve(dir);
}
