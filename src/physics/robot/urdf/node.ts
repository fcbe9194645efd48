/**
 * Node entry points of the URDF importer: a node:fs file system, loadUrdfFile, inspectUrdf,
 * and the ROS_PACKAGE_PATH variable. Import from here only on the Node side.
 */
import * as nfs from 'node:fs';
import * as npath from 'node:path';
import { UrdfError } from './errors.js';
import type { UrdfFileSystem } from './fs.js';
import { summarizeUrdf, type UrdfSummary } from './inspect.js';
import { loadUrdf, type LoadedUrdf, type LoadUrdfOptions } from './load.js';

/** Everything browser-safe too, so Node code needs one import. */
export * from './index.js';

/** Largest URDF file read (bytes). */
export const URDF_MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Largest mesh or texture file read (bytes). */
export const MESH_MAX_FILE_BYTES = 256 * 1024 * 1024;

/** A file that is not a regular file, or too large: the message says which and why. */
export class FileKindError extends Error {
  override name = 'FileKindError';
  constructor(message: string, readonly code: 'not-regular' | 'too-large') {
    super(message);
  }
}

function kindOf(st: nfs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MiB`;
}

/** Throws FileKindError unless `st` is a regular file of at most `maxBytes`. */
export function checkRegularFile(st: nfs.Stats, maxBytes: number): void {
  if (!st.isFile()) throw new FileKindError(`it is ${kindOf(st)}, not a regular file`, 'not-regular');
  if (st.size > maxBytes) throw new FileKindError(`the file is ${mib(st.size)}; at most ${mib(maxBytes)} is read`, 'too-large');
}

/**
 * Reads a regular file of at most `maxBytes`, and nothing else: a FIFO, a device such as
 * /dev/zero, a directory or a socket is refused before it is read (stat first, then the file is
 * opened non-blocking and checked again by fstat, so one swapped in between cannot block or
 * stream without end). Reads no more than the size fstat reported. Throws FileKindError, or the
 * file system's own error (ENOENT, EACCES, ...).
 */
export function readRegularFileSync(path: string, maxBytes: number): Buffer {
  checkRegularFile(nfs.statSync(path), maxBytes);
  const fd = nfs.openSync(path, nfs.constants.O_RDONLY | (nfs.constants.O_NONBLOCK ?? 0));
  try {
    const st = nfs.fstatSync(fd);
    checkRegularFile(st, maxBytes);
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = nfs.readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break; // truncated meanwhile
      off += n;
    }
    return off === st.size ? buf : buf.subarray(0, off);
  } finally {
    nfs.closeSync(fd);
  }
}

export const nodeFs: UrdfFileSystem = {
  readFile: (p) => readRegularFileSync(p, MESH_MAX_FILE_BYTES),
  exists: (p) => nfs.existsSync(p),
  isDirectory: (p) => {
    try {
      return nfs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  readdir: (p) => {
    try {
      return nfs.readdirSync(p);
    } catch {
      return [];
    }
  },
  mtimeMs: (p) => {
    try {
      const s = nfs.statSync(p);
      return s.mtimeMs + s.size * 1e-9; // size too, in case two writes share a timestamp
    } catch {
      return undefined;
    }
  },
};

/** The ROS_PACKAGE_PATH entries of an environment. */
export function rosPackagePath(env: Record<string, string | undefined> = process.env): string[] {
  return (env.ROS_PACKAGE_PATH ?? '').split(npath.delimiter).filter((s) => s.length > 0);
}

export interface LoadUrdfFileOptions extends LoadUrdfOptions {
  /** Also search ROS_PACKAGE_PATH, after `packagePath` (default true). */
  useRosPackagePath?: boolean;
}

/** Read a URDF file, resolve and load its meshes. Throws UrdfError. */
export async function loadUrdfFile(path: string, opts: LoadUrdfFileOptions = {}): Promise<LoadedUrdf> {
  return loadUrdfFileSync(path, opts);
}

export function loadUrdfFileSync(path: string, opts: LoadUrdfFileOptions = {}): LoadedUrdf {
  const abs = npath.resolve(path);
  let xml: string;
  try {
    xml = readRegularFileSync(abs, URDF_MAX_FILE_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof FileKindError) throw new UrdfError('io', `cannot open the URDF: ${e.message}`, { file: abs, cause: e });
    const code = (e as NodeJS.ErrnoException).code;
    throw new UrdfError('io', code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`, { file: abs, cause: e });
  }
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);
  const packagePath = [
    ...(opts.packagePath ?? []).map((p) => npath.resolve(p)),
    ...((opts.useRosPackagePath ?? true) ? rosPackagePath() : []),
  ];
  return loadUrdf(xml, abs, nodeFs, { ...opts, packagePath });
}

export interface InspectOptions {
  packagePath?: string[];
  useRosPackagePath?: boolean;
  /** Parse the meshes too, so broken mesh files show up (default true). */
  loadMeshes?: boolean;
  colladaUpAxis?: 'honour' | 'ignore';
  /** 'error' (default) or 'warn': summarize a robot whose meshes are not all there. */
  missingMeshes?: 'error' | 'warn';
}

/** The `adaptlab inspect` summary: counts and mass as written in the file, before merging. */
export async function inspectUrdf(path: string, opts: InspectOptions = {}): Promise<UrdfSummary> {
  return summarizeUrdf(loadUrdfFileSync(path, opts));
}
