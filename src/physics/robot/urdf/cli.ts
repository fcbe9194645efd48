/**
 * `adaptlab inspect FILE.urdf [--package-path DIR]... [--json]`, ready to be wired into the CLI
 * (src/main). Node only. Returns the exit code; writes lines through `out` / `err`.
 */
import { UrdfError } from './errors.js';
import type { UrdfSummary } from './inspect.js';
import { inspectUrdf } from './node.js';

export interface InspectArgs {
  file: string;
  packagePath: string[];
  json: boolean;
}

/** An error as the one `--json` line reports it: `{ ok: false, error: { code, message, file, element, line } }`. */
export function errorLine(e: unknown): { ok: false; error: { code: string; message: string; file?: string; element?: string; line?: number } } {
  if (e instanceof UrdfError) {
    const error: { code: string; message: string; file?: string; element?: string; line?: number } = { code: e.code, message: e.message };
    if (e.file !== undefined) error.file = e.file;
    if (e.element !== undefined) error.element = e.element;
    if (e.line !== undefined) error.line = e.line;
    return { ok: false, error };
  }
  // Not a URDF problem (a bug, or the engine failing): still one line, never a stack dump.
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { ok: false, error: { code: 'internal', message: message.length > 500 ? message.slice(0, 500) + '...' : message } };
}

export function parseInspectArgs(args: string[]): InspectArgs | string {
  const packagePath: string[] = [];
  let file: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--package-path' || a === '-p') {
      const v = args[++i];
      if (v === undefined) return `${a} needs a folder`;
      packagePath.push(v);
    } else if (a.startsWith('--package-path=')) packagePath.push(a.slice('--package-path='.length));
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (file === undefined) file = a;
    else return `unexpected argument ${a}`;
  }
  if (file === undefined) return 'usage: adaptlab inspect FILE.urdf [--package-path DIR]... [--json]';
  return { file, packagePath, json };
}

export async function inspectCommand(
  args: string[],
  out: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  err: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<number> {
  const parsed = parseInspectArgs(args);
  if (typeof parsed === 'string') {
    err(parsed);
    return 2;
  }
  let summary: UrdfSummary;
  try {
    summary = await inspectUrdf(parsed.file, { packagePath: parsed.packagePath });
  } catch (e) {
    if (parsed.json) out(JSON.stringify(errorLine(e)));
    else if (e instanceof UrdfError) err(`error: ${e.message}`);
    else throw e;
    return 1;
  }
  if (parsed.json) out(JSON.stringify(summary));
  else {
    out(`${summary.name}: root ${summary.root}, ${summary.links} links, ${summary.joints} joints, ${summary.totalMass} kg`);
    out(`joints: ${Object.entries(summary.jointTypes).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t}`).join(', ') || 'none'}`);
    out(`meshes: ${summary.meshes.stl} stl, ${summary.meshes.obj} obj, ${summary.meshes.dae} dae`);
    for (const w of summary.warnings) out(`warning: ${w}`);
  }
  return 0;
}
