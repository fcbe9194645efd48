/**
 * Mesh and texture URI resolution: package://, file://, absolute and relative paths.
 *
 * package://PKG/rest (and Gazebo's model://PKG/rest) is looked up, in order, in
 *  1. the package search path (ROS_PACKAGE_PATH semantics: each entry is a package or a folder
 *     whose sub-folders, a few levels deep, are packages; a package is a folder with a
 *     package.xml — its <name> counts, and so does the folder name);
 *  2. the URDF's own folder and its parents (a folder named PKG, a folder whose package.xml says
 *     PKG, or a sub-folder PKG of one of them);
 *  3. as a fallback with a warning, `rest` relative to the URDF's folder and its parents (a
 *     description repo downloaded under another name).
 * The first candidate where the file exists wins. Relative paths are resolved against the URDF's
 * folder, then (with a warning) against its parents. A file whose name differs only in case is
 * accepted with a warning (CAD exports made on Windows).
 */
import type { UrdfWarning } from './errors.js';
import type { UrdfFileSystem } from './fs.js';
import type { UrdfResolveKind, UrdfResolver } from './parse.js';
import { ancestors, basename, dirname, isAbsolutePath, joinPath, normalizePath } from './pathutil.js';

export interface UrdfResolverOptions {
  fs: UrdfFileSystem;
  /** The URDF file; its folder anchors relative paths and is searched for packages. */
  urdfPath?: string;
  /** Package search roots, searched first (settings, ROS_PACKAGE_PATH, --package-path). */
  packagePath?: string[];
  /** How deep to look for packages below each search root (default 4). */
  maxDepth?: number;
  /** How many parents of the URDF folder to search (default 6). */
  maxParents?: number;
}

export interface UrdfPathResolver extends UrdfResolver {
  /** Notes gathered while resolving (fallbacks, case mismatches, unsupported schemes). */
  readonly warnings: UrdfWarning[];
  /** Where package PKG was found (first match in the search path), or undefined. */
  findPackage(pkg: string): string[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', '__pycache__', 'build', 'install', 'log']);

export function createUrdfResolver(opts: UrdfResolverOptions): UrdfPathResolver {
  const { fs } = opts;
  const maxDepth = opts.maxDepth ?? 4;
  const urdfDir = opts.urdfPath !== undefined ? dirname(opts.urdfPath) : undefined;
  const urdfAncestors = urdfDir !== undefined ? ancestors(urdfDir, (opts.maxParents ?? 6) + 1) : [];
  const warnings: UrdfWarning[] = [];
  const warned = new Set<string>();
  const warn = (message: string, code: UrdfWarning['code'] = 'package-fallback') => {
    if (warned.has(message)) return;
    warned.add(message);
    warnings.push({ code, message, file: opts.urdfPath });
  };

  let index: Map<string, string[]> | undefined;
  const packageXmlName = (dir: string): string | undefined => {
    const px = joinPath(dir, 'package.xml');
    if (!fs.exists(px) || fs.isDirectory(px)) return undefined;
    try {
      const text = new TextDecoder().decode(fs.readFile(px));
      const m = /<name>\s*([^<\s]+)\s*<\/name>/.exec(text);
      return m ? m[1] : basename(dir);
    } catch {
      return basename(dir);
    }
  };
  const buildIndex = (): Map<string, string[]> => {
    const idx = new Map<string, string[]>();
    const add = (name: string, dir: string) => {
      const l = idx.get(name);
      if (!l) idx.set(name, [dir]);
      else if (!l.includes(dir)) l.push(dir);
    };
    const visit = (dir: string, depth: number) => {
      const pxName = packageXmlName(dir);
      if (pxName !== undefined) add(pxName, dir);
      add(basename(dir), dir);
      // ROS stops at a package; we go on (meshes packages nested in repos are common) but not deep.
      if (depth >= maxDepth) return;
      for (const e of safeReaddir(fs, dir)) {
        if (e.startsWith('.') || SKIP_DIRS.has(e)) continue;
        const sub = joinPath(dir, e);
        if (fs.isDirectory(sub)) visit(sub, depth + 1);
      }
    };
    for (const root of opts.packagePath ?? []) {
      if (root && fs.isDirectory(root)) visit(normalizePath(root), 0);
    }
    return idx;
  };

  const findPackage = (pkg: string): string[] => {
    index ??= buildIndex();
    const out = [...(index.get(pkg) ?? [])];
    for (const a of urdfAncestors) {
      if (basename(a) === pkg || packageXmlName(a) === pkg) out.push(a);
      const sub = joinPath(a, pkg);
      if (fs.isDirectory(sub)) out.push(sub);
    }
    return [...new Set(out)];
  };

  const existing = (p: string): string | undefined => {
    if (fs.exists(p) && !fs.isDirectory(p)) return p;
    // Case-insensitive match of the last component.
    const dir = dirname(p);
    const want = basename(p).toLowerCase();
    const hit = safeReaddir(fs, dir).find((e) => e.toLowerCase() === want);
    if (hit && !fs.isDirectory(joinPath(dir, hit))) {
      warn(`"${p}" not found; using "${joinPath(dir, hit)}" (file name differs in case)`, 'mesh');
      return joinPath(dir, hit);
    }
    return undefined;
  };

  const resolve = ((uri: string, _kind: UrdfResolveKind): string | null => {
    const u = uri.trim();
    // model:// (Gazebo) has the same shape and is looked up the same way.
    const pm = /^(?:package|model):\/\/([^/]+)\/?(.*)$/.exec(u);
    if (pm) {
      const pkg = pm[1];
      const rest = safeDecode(pm[2]);
      for (const dir of findPackage(pkg)) {
        const hit = existing(joinPath(dir, rest));
        if (hit) return hit;
      }
      for (const a of urdfAncestors) {
        const hit = existing(joinPath(a, rest));
        if (hit) {
          warn(`package "${pkg}" not found in the package path; "${uri}" resolved to "${hit}" next to the URDF`);
          return hit;
        }
      }
      return null;
    }
    const fm = /^file:\/\/(?:localhost)?(.*)$/i.exec(u);
    if (fm) {
      let p = safeDecode(fm[1]);
      if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1); // file:///C:/x
      if (!isAbsolutePath(p) && urdfDir !== undefined) p = joinPath(urdfDir, p);
      return existing(normalizePath(p)) ?? null;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
      warn(`URI scheme not supported: "${uri}"`, 'mesh');
      return null;
    }
    if (isAbsolutePath(u)) return existing(normalizePath(u)) ?? null;
    const direct = existing(joinPath(urdfDir ?? '.', u));
    if (direct) return direct;
    // Files written for a tool that resolved against its working directory (often the package
    // root, one level above urdf/): try the URDF folder's parents, with a warning.
    for (const a of urdfAncestors.slice(1)) {
      const hit = existing(joinPath(a, u));
      if (hit) {
        warn(`"${uri}" is not next to the URDF; resolved to "${hit}" in a parent folder`);
        return hit;
      }
    }
    return null;
  }) as UrdfPathResolver;
  Object.defineProperty(resolve, 'warnings', { value: warnings });
  Object.defineProperty(resolve, 'findPackage', { value: findPackage });
  return resolve;
}

function safeReaddir(fs: UrdfFileSystem, dir: string): string[] {
  try {
    return fs.readdir(dir);
  } catch {
    return [];
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
