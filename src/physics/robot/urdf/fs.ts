/**
 * The little file-system interface the importer needs. Synchronous on purpose: the parser's
 * resolver is synchronous, and both Node (fs.*Sync, in a worker or the main-side service) and
 * an in-memory map of dropped files (browser shell) can serve it.
 */
import { dirname, normalizePath } from './pathutil.js';

export interface UrdfFileSystem {
  readFile(path: string): Uint8Array;
  /** File or directory exists. */
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Entry names (not paths); [] when not a directory. */
  readdir(path: string): string[];
  /** Modification time in ms, for caches; undefined when unknown (then content size is used). */
  mtimeMs?(path: string): number | undefined;
}

/** A file system over in-memory files (e.g. a folder dropped into the browser shell). */
export function memoryFs(files: Record<string, Uint8Array | string> | Map<string, Uint8Array | string>): UrdfFileSystem {
  const enc = new TextEncoder();
  const map = new Map<string, Uint8Array>();
  const dirs = new Map<string, Set<string>>();
  const entries = files instanceof Map ? [...files.entries()] : Object.entries(files);
  for (const [p0, data] of entries) {
    const p = normalizePath(p0);
    map.set(p, typeof data === 'string' ? enc.encode(data) : data);
    let child = p;
    let dir = dirname(p);
    while (dir !== child) {
      let set = dirs.get(dir);
      if (!set) dirs.set(dir, (set = new Set()));
      set.add(child.slice(dir.length).replace(/^\//, ''));
      child = dir;
      dir = dirname(dir);
    }
  }
  return {
    readFile(path) {
      const d = map.get(normalizePath(path));
      if (!d) throw new Error(`ENOENT: ${path}`);
      return d;
    },
    exists: (path) => map.has(normalizePath(path)) || dirs.has(normalizePath(path)),
    isDirectory: (path) => dirs.has(normalizePath(path)),
    readdir: (path) => [...(dirs.get(normalizePath(path)) ?? [])],
  };
}
