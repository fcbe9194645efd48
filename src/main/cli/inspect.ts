/** `adaptlab inspect FILE.urdf [--package-path DIR]... [--json]`: what the file says, one line. */
import { inspectCommand } from '../../physics/robot/urdf/cli';
import { boolFlag, flagAll, UsageError, type ParsedArgs } from './args';

export const INSPECT_USAGE = 'adaptlab inspect FILE.urdf [--package-path DIR]... [--json]';

export async function inspect(args: ParsedArgs): Promise<number> {
  const [file, ...extra] = args.positional;
  if (!file) throw new UsageError('which URDF file?');
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const unknown = [...args.flags.keys()].filter((k) => k !== 'package-path' && k !== 'json');
  if (unknown.length) throw new UsageError(`unknown option --${unknown[0]}`);
  const argv = [file, ...flagAll(args, 'package-path').flatMap((p) => ['--package-path', p]), ...(boolFlag(args, 'json') ? ['--json'] : [])];
  return inspectCommand(argv);
}
