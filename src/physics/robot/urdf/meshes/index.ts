/** Mesh loading front door: format dispatch, a per-file cache, drawing and hull outputs. */
import type { GeometrySpec } from '../../../../shared/scene.js';
import type { Vec3 } from '../../model.js';
import type { UrdfFileSystem } from '../fs.js';
import { basename, dirname, extname, joinPath } from '../pathutil.js';
import { parseDae } from './dae.js';
import { parseObj } from './obj.js';
import { parseStl } from './stl.js';
import { MeshParseError, type MeshPart, type TriMesh } from './types.js';

export { parseDae } from './dae.js';
export { parseObj, parseMtl } from './obj.js';
export { parseStl } from './stl.js';
export { MeshParseError, type MeshPart, type TriMesh } from './types.js';
export type { DaeOptions } from './dae.js';

export type MeshFormat = TriMesh['format'];

/** The mesh format from a file name, any case of extension; undefined when unsupported. */
export function meshFormatOf(path: string): MeshFormat | undefined {
  const e = extname(path);
  return e === 'stl' || e === 'obj' || e === 'dae' ? e : undefined;
}

/**
 * Parse mesh bytes. `path` picks the format (by extension, then by content) and anchors
 * MTL and texture files, read through `fs` when given.
 */
export interface MeshOptions {
  /** Collada <up_axis>: 'honour' (default, the spec) or 'ignore' (RViz's behaviour). */
  colladaUpAxis?: 'honour' | 'ignore';
}

export function parseMesh(bytes: Uint8Array, path: string, fs?: UrdfFileSystem, opts: MeshOptions = {}): TriMesh {
  let fmt = meshFormatOf(path) ?? sniff(bytes);
  if (!fmt) throw new MeshParseError(`unsupported mesh format ".${extname(path)}" (STL, OBJ and DAE are supported)`);
  const dir = dirname(path);
  const findRel = (rel: string): string | undefined => {
    if (!fs) return undefined;
    const p = joinPath(dir, rel.replace(/\\/g, '/'));
    if (fs.exists(p)) return p;
    // Exporters often write absolute paths from the author's machine: try the bare name too.
    const q = joinPath(dir, basename(rel.replace(/\\/g, '/')));
    if (fs.exists(q)) return q;
    const lower = basename(p).toLowerCase();
    const hit = safeReaddir(fs, dirname(p)).find((e) => e.toLowerCase() === lower);
    return hit ? joinPath(dirname(p), hit) : undefined;
  };
  if (fmt === 'stl' && sniff(bytes) === 'obj') fmt = 'obj'; // mislabelled files exist
  switch (fmt) {
    case 'stl':
      return parseStl(bytes);
    case 'obj':
      return parseObj(new TextDecoder().decode(bytes), {
        readText: (rel) => {
          const p = findRel(rel);
          return p && fs ? new TextDecoder().decode(fs.readFile(p)) : undefined;
        },
        resolveTexture: findRel,
      });
    case 'dae':
      return parseDae(new TextDecoder().decode(bytes), { resolveTexture: findRel, upAxis: opts.colladaUpAxis });
  }
}

function sniff(bytes: Uint8Array): MeshFormat | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<COLLADA/.test(head)) return 'dae';
  if (/^solid\b/i.test(head) && /facet/i.test(head)) return 'stl';
  if (/^(#.*\n\s*)*(v|o|g|mtllib)\s/m.test(head) && /^v\s+[-\d.]/m.test(head)) return 'obj';
  if (bytes.length >= 84) {
    const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
    if (84 + n * 50 === bytes.length) return 'stl';
  }
  return undefined;
}

function safeReaddir(fs: UrdfFileSystem, dir: string): string[] {
  try {
    return fs.readdir(dir);
  } catch {
    return [];
  }
}

/** Loaded meshes keyed by path, invalidated by modification time and size. */
export class MeshCache {
  private readonly entries = new Map<string, { stamp: string; mesh: TriMesh }>();

  constructor(private readonly maxEntries = 512) {}

  load(path: string, fs: UrdfFileSystem, opts: MeshOptions = {}): TriMesh {
    const mtime = fs.mtimeMs?.(path);
    const bytes = mtime === undefined ? fs.readFile(path) : undefined;
    const stamp = mtime !== undefined ? `m${mtime}` : `s${bytes!.length}:${quickHash(bytes!)}`;
    const key = `${opts.colladaUpAxis ?? 'honour'}|${path}`;
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.mesh;
    const mesh = parseMesh(bytes ?? fs.readFile(path), path, fs, opts);
    this.entries.delete(key);
    this.entries.set(key, { stamp, mesh });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return mesh;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

function quickHash(b: Uint8Array): number {
  let h = 2166136261;
  const step = Math.max(1, Math.floor(b.length / 4096));
  for (let i = 0; i < b.length; i += step) h = Math.imul(h ^ b[i], 16777619);
  return h >>> 0;
}

/** A process-wide default cache. */
export const meshCache = new MeshCache();

/**
 * The mesh, scaled, as SceneSpec mesh geometry for drawing. Negative scales (mirrored parts)
 * flip the winding so faces stay outward.
 */
export function meshToGeometrySpec(mesh: TriMesh, scale: Vec3 = [1, 1, 1], label?: string): Extract<GeometrySpec, { kind: 'mesh' }> {
  const positions = new Array<number>(mesh.positions.length);
  for (let i = 0; i < mesh.positions.length; i += 3) {
    positions[i] = mesh.positions[i] * scale[0];
    positions[i + 1] = mesh.positions[i + 1] * scale[1];
    positions[i + 2] = mesh.positions[i + 2] * scale[2];
  }
  const flip = scale[0] * scale[1] * scale[2] < 0;
  const indices = new Array<number>(mesh.indices.length);
  for (let i = 0; i < mesh.indices.length; i += 3) {
    indices[i] = mesh.indices[i];
    indices[i + 1] = mesh.indices[flip ? i + 2 : i + 1];
    indices[i + 2] = mesh.indices[flip ? i + 1 : i + 2];
  }
  const g: Extract<GeometrySpec, { kind: 'mesh' }> = { kind: 'mesh', positions, indices };
  if (label !== undefined) g.label = label;
  return g;
}

/**
 * The scaled points of the mesh, deduplicated (to `epsilon` metres), for a physics convex hull
 * (Rapier's ColliderDesc.convexHull). Only vertices used by triangles count. Memoized per mesh
 * and scale; treat the result as read-only.
 */
export function hullPoints(mesh: TriMesh, scale: Vec3 = [1, 1, 1], epsilon = 1e-6): Float32Array {
  // Computed once per mesh and scale: meshes come from the per-file cache, so this is per file too.
  const key = `${scale[0]},${scale[1]},${scale[2]},${epsilon}`;
  let perMesh = hullCache.get(mesh);
  if (!perMesh) hullCache.set(mesh, (perMesh = new Map()));
  const hit = perMesh.get(key);
  if (hit) return hit;
  const pts = computeHullPoints(mesh, scale, epsilon);
  perMesh.set(key, pts);
  return pts;
}

const hullCache = new WeakMap<TriMesh, Map<string, Float32Array>>();

function computeHullPoints(mesh: TriMesh, scale: Vec3, epsilon: number): Float32Array {
  const nv = mesh.positions.length / 3;
  const used = new Uint8Array(nv);
  for (let i = 0; i < mesh.indices.length; i++) used[mesh.indices[i]] = 1;
  const inv = 1 / epsilon;
  // Open-addressing hash set on the quantized coordinates (a Map of strings is 10x slower).
  let size = 16;
  while (size < nv * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const qx = new Float64Array(nv), qy = new Float64Array(nv), qz = new Float64Array(nv);
  const out = new Float32Array(nv * 3);
  let n = 0;
  for (let v = 0; v < nv; v++) {
    if (!used[v]) continue;
    const x = mesh.positions[v * 3] * scale[0];
    const y = mesh.positions[v * 3 + 1] * scale[1];
    const z = mesh.positions[v * 3 + 2] * scale[2];
    const a = Math.round(x * inv), b = Math.round(y * inv), c = Math.round(z * inv);
    let h = (Math.imul(a | 0, 73856093) ^ Math.imul(b | 0, 19349663) ^ Math.imul(c | 0, 83492791)) & mask;
    let dup = false;
    for (;;) {
      const s = slots[h];
      if (s < 0) break;
      if (qx[s] === a && qy[s] === b && qz[s] === c) {
        dup = true;
        break;
      }
      h = (h + 1) & mask;
    }
    if (dup) continue;
    slots[h] = n;
    qx[n] = a;
    qy[n] = b;
    qz[n] = c;
    out[n * 3] = x;
    out[n * 3 + 1] = y;
    out[n * 3 + 2] = z;
    n++;
  }
  return out.slice(0, n * 3);
}

/** Axis-aligned bounds of the (unscaled) mesh: [min, max]. */
export function meshBounds(mesh: TriMesh): [Vec3, Vec3] {
  const min: Vec3 = [Infinity, Infinity, Infinity];
  const max: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < mesh.positions.length; i += 3)
    for (let k = 0; k < 3; k++) {
      const v = mesh.positions[i + k];
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  return [min, max];
}

/**
 * One SceneSpec mesh per material part (multi-colour Collada/OBJ files), scaled. Parts without a
 * colour of their own have no `color`: use the URDF visual's material, or a default.
 */
export function meshPartsToGeometrySpecs(
  mesh: TriMesh,
  scale: Vec3 = [1, 1, 1],
): { geometry: Extract<GeometrySpec, { kind: 'mesh' }>; color?: MeshPart['color']; texture?: string; name?: string }[] {
  if (mesh.parts.length <= 1) {
    const p = mesh.parts[0];
    return [{ geometry: meshToGeometrySpec(mesh, scale), ...(p?.color ? { color: p.color } : {}), ...(p?.texture ? { texture: p.texture } : {}) }];
  }
  return mesh.parts
    .filter((p) => p.count > 0)
    .map((p) => {
      // Compact the vertices this part uses.
      const remap = new Map<number, number>();
      const positions: number[] = [];
      const indices: number[] = [];
      for (let i = p.start; i < p.start + p.count; i++) {
        const v = mesh.indices[i];
        let n = remap.get(v);
        if (n === undefined) {
          n = positions.length / 3;
          remap.set(v, n);
          positions.push(mesh.positions[v * 3], mesh.positions[v * 3 + 1], mesh.positions[v * 3 + 2]);
        }
        indices.push(n);
      }
      const sub: TriMesh = { format: mesh.format, positions: Float32Array.from(positions), indices: Uint32Array.from(indices), parts: [], warnings: [] };
      const out: { geometry: Extract<GeometrySpec, { kind: 'mesh' }>; color?: MeshPart['color']; texture?: string; name?: string } = {
        geometry: meshToGeometrySpec(sub, scale, p.name),
      };
      if (p.color) out.color = p.color;
      if (p.texture) out.texture = p.texture;
      if (p.name) out.name = p.name;
      return out;
    });
}
