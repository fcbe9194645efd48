/** STL, binary and ASCII. Vertices are not shared (facets stay flat when drawn). */
import { FloatBuf, MeshParseError, type TriMesh } from './types.js';

export function parseStl(bytes: Uint8Array): TriMesh {
  if (isBinaryStl(bytes)) return parseBinary(bytes);
  return parseAscii(new TextDecoder().decode(bytes));
}

function isBinaryStl(b: Uint8Array): boolean {
  if (b.length < 84) {
    // Too short for binary; ASCII if it starts like one.
    return false;
  }
  const n = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(80, true);
  if (84 + n * 50 === b.length) return true;
  // Headers of binary files exported by some tools start with "solid" too; decide on content.
  const head = new TextDecoder().decode(b.subarray(0, Math.min(b.length, 512))).trimStart();
  if (/^solid\b/i.test(head) && /facet|endsolid/i.test(head)) return false;
  if (/^solid\b/i.test(head) && b.length < 84 + 50) return false;
  return 84 + n * 50 <= b.length;
}

function parseBinary(b: Uint8Array): TriMesh {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint32(80, true);
  const warnings: string[] = [];
  if (84 + n * 50 !== b.length) warnings.push(`binary STL: ${b.length - 84 - n * 50} trailing bytes ignored`);
  const positions = new Float32Array(n * 9);
  let o = 84;
  for (let t = 0; t < n; t++) {
    o += 12; // normal
    for (let k = 0; k < 9; k++) positions[t * 9 + k] = dv.getFloat32(o + k * 4, true);
    o += 38;
  }
  return finish(positions, warnings);
}

function parseAscii(text: string): TriMesh {
  if (!/^\s*solid/i.test(text)) throw new MeshParseError('not an STL file (neither binary nor ASCII "solid")');
  const buf = new FloatBuf();
  const re = /vertex\s+(\S+)\s+(\S+)\s+(\S+)/gi;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = re.exec(text))) {
    const x = Number(m[1]), y = Number(m[2]), z = Number(m[3]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) throw new MeshParseError(`ASCII STL: bad vertex "${m[0]}"`);
    buf.push3(x, y, z);
    count++;
  }
  const warnings: string[] = [];
  if (count % 3 !== 0) {
    warnings.push(`ASCII STL: ${count % 3} dangling vertices ignored`);
    buf.n -= (count % 3) * 3;
  }
  return finish(buf.finish(), warnings);
}

function finish(positions: Float32Array, warnings: string[]): TriMesh {
  const nv = positions.length / 3;
  const indices = new Uint32Array(nv);
  for (let i = 0; i < nv; i++) indices[i] = i;
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i])) throw new MeshParseError('STL: non-finite vertex coordinate');
  }
  return { format: 'stl', positions, indices, parts: [{ start: 0, count: nv }], warnings };
}
