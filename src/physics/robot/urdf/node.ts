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

export const nodeFs: UrdfFileSystem = {
  readFile: (p) => nfs.readFileSync(p),
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
    xml = nfs.readFileSync(abs, 'utf8');
  } catch (e) {
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
