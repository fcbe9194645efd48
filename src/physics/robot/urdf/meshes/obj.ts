/** Wavefront OBJ with MTL colours (Kd, d/Tr) and texture paths (map_Kd, recorded). */
import type { Rgba } from '../../model.js';
import { FloatBuf, IndexBuf, MeshParseError, type MeshPart, type TriMesh } from './types.js';

export interface ObjOptions {
  /** Reads a file named in the OBJ (mtllib) relative to the OBJ; undefined when missing. */
  readText?: (relPath: string) => string | undefined;
  /** Resolves a texture path relative to the MTL; undefined when missing. */
  resolveTexture?: (relPath: string) => string | undefined;
}

export interface MtlMaterial {
  color: Rgba;
  texture?: string;
}

export function parseMtl(text: string, resolveTexture?: (p: string) => string | undefined, warnings: string[] = []): Map<string, MtlMaterial> {
  const out = new Map<string, MtlMaterial>();
  let cur: MtlMaterial | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const sp = line.search(/\s/);
    const key = (sp < 0 ? line : line.slice(0, sp)).toLowerCase();
    const rest = sp < 0 ? '' : line.slice(sp + 1).trim();
    if (key === 'newmtl') {
      cur = { color: [0.8, 0.8, 0.8, 1] };
      out.set(rest, cur);
    } else if (!cur) continue;
    else if (key === 'kd') {
      const v = rest.split(/\s+/).map(Number);
      if (v.length >= 3 && v.slice(0, 3).every(Number.isFinite)) cur.color = [v[0], v[1], v[2], cur.color[3]];
    } else if (key === 'd') {
      const d = Number(rest.split(/\s+/).pop());
      if (Number.isFinite(d)) cur.color[3] = d;
    } else if (key === 'tr') {
      const t = Number(rest.split(/\s+/).pop());
      if (Number.isFinite(t)) cur.color[3] = 1 - t;
    } else if (key === 'map_kd') {
      // Options (-s 1 1 1, -bm 0.5 ...) come first; the file name is what follows the last option.
      const tokens = rest.split(/\s+/);
      let i = 0;
      while (i < tokens.length - 1 && tokens[i].startsWith('-')) {
        i++;
        while (i < tokens.length - 1 && /^[-+]?[\d.]/.test(tokens[i]) && !/[a-z]/i.test(tokens[i].replace(/e[-+]?\d+$/i, ''))) i++;
        if (i < tokens.length - 1 && /^(on|off)$/.test(tokens[i])) i++;
      }
      const file = tokens.slice(i).join(' ');
      const resolved = resolveTexture ? resolveTexture(file) : file;
      if (resolved === undefined) warnings.push(`MTL texture "${file}" not found`);
      cur.texture = resolved ?? file;
    }
  }
  return out;
}

export function parseObj(text: string, opts: ObjOptions = {}): TriMesh {
  const warnings: string[] = [];
  const pos = new FloatBuf();
  const idx = new IndexBuf();
  const parts: MeshPart[] = [];
  const materials = new Map<string, MtlMaterial>();
  let current: MeshPart = { start: 0, count: 0 };
  let nv = 0;
  const face: number[] = [];
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    let line = lines[li];
    while (line.endsWith('\\') && li + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++li];
    line = line.trim();
    if (!line || line.charCodeAt(0) === 35 /* # */) continue;
    const sp = line.search(/\s/);
    const key = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1).trim();
    switch (key) {
      case 'v': {
        const t = rest.split(/\s+/);
        const x = Number(t[0]), y = Number(t[1]), z = Number(t[2]);
        if (t.length < 3 || !Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z))
          throw new MeshParseError(`OBJ line ${li + 1}: bad vertex "${line}"`);
        pos.push3(x, y, z);
        nv++;
        break;
      }
      case 'f': {
        face.length = 0;
        for (const tok of rest.split(/\s+/)) {
          const s = tok.indexOf('/');
          const i = parseInt(s < 0 ? tok : tok.slice(0, s), 10);
          if (!Number.isFinite(i) || i === 0) throw new MeshParseError(`OBJ line ${li + 1}: bad face "${line}"`);
          const k = i > 0 ? i - 1 : nv + i;
          if (k < 0 || k >= nv) throw new MeshParseError(`OBJ line ${li + 1}: vertex index ${i} out of range`);
          face.push(k);
        }
        for (let j = 1; j + 1 < face.length; j++) idx.push3(face[0], face[j], face[j + 1]);
        break;
      }
      case 'usemtl': {
        if (idx.n > current.start) {
          current.count = idx.n - current.start;
          parts.push(current);
        }
        current = { start: idx.n, count: 0, name: rest };
        const m = materials.get(rest);
        if (m) {
          current.color = [...m.color] as Rgba;
          if (m.texture) current.texture = m.texture;
        } else if (rest) warnings.push(`OBJ material "${rest}" not found in its MTL`);
        break;
      }
      case 'mtllib': {
        if (!opts.readText) break;
        // Several names may follow; names with spaces are tried whole first.
        const candidates = [rest, ...rest.split(/\s+/)];
        let found = false;
        for (const c of new Set(candidates)) {
          const t = opts.readText(c);
          if (t !== undefined) {
            for (const [k, v] of parseMtl(t, opts.resolveTexture, warnings)) materials.set(k, v);
            found = true;
            if (c === rest) break;
          }
        }
        if (!found) warnings.push(`MTL file "${rest}" not found; default colours used`);
        break;
      }
      default:
        break; // vt, vn, o, g, s, l, p ...: not needed
    }
  }
  if (idx.n > current.start || parts.length === 0) {
    current.count = idx.n - current.start;
    parts.push(current);
  }
  return { format: 'obj', positions: pos.finish(), indices: idx.finish(), parts, warnings };
}
