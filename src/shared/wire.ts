/**
 * Binary framing of pose snapshots for message transports (WebSocket): a little-endian u32
 * header length, the JSON header (everything but the typed arrays), zero padding to 4 bytes, then
 * the raw Float32Array of poses, then each typed array found in the overlays' data (an overlay's
 * data itself, or a field of it; e.g. a population's per-robot arrays), each padded to 4 bytes.
 * The header names them in `$bin` and leaves `{"$bin": i}` where each was. Avoids JSON-encoding
 * thousands of floats per frame.
 */
import type { SimSnapshot } from './snapshot';

type Typed = Float32Array | Float64Array | Uint8Array | Int32Array | Uint32Array;
const TYPES = { f32: Float32Array, f64: Float64Array, u8: Uint8Array, i32: Int32Array, u32: Uint32Array } as const;
type TypeName = keyof typeof TYPES;

const pad4 = (n: number) => Math.ceil(n / 4) * 4;

function typeName(v: unknown): TypeName | null {
  for (const [name, ctor] of Object.entries(TYPES)) if (v instanceof ctor) return name as TypeName;
  return null;
}

/** The overlays with their typed arrays (one level into objects) replaced by placeholders. */
function extract(overlays: Record<string, unknown>, out: Typed[], bin: [TypeName, number][]): Record<string, unknown> {
  const take = (v: unknown): unknown => {
    const t = typeName(v);
    if (!t) return v;
    out.push(v as Typed);
    bin.push([t, (v as Typed).length]);
    return { $bin: out.length - 1 };
  };
  const plain: Record<string, unknown> = {};
  for (const [kind, data] of Object.entries(overlays)) {
    if (typeName(data)) plain[kind] = take(data);
    else if (data && typeof data === 'object' && !Array.isArray(data)) plain[kind] = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, take(v)]));
    else plain[kind] = data;
  }
  return plain;
}

export function encodeSnapshot(s: SimSnapshot): ArrayBuffer {
  const { poses, overlays, ...rest } = s;
  const extra: Typed[] = [];
  const bin: [TypeName, number][] = [];
  const header = overlays ? { ...rest, overlays: extract(overlays, extra, bin), ...(bin.length ? { $bin: bin } : {}) } : rest;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const posesAt = pad4(4 + json.byteLength);
  let size = posesAt + poses.byteLength;
  for (const a of extra) size += pad4(a.byteLength);
  const buf = new ArrayBuffer(size);
  new DataView(buf).setUint32(0, json.byteLength, true);
  new Uint8Array(buf, 4, json.byteLength).set(json);
  new Float32Array(buf, posesAt, poses.length).set(poses);
  let at = posesAt + poses.byteLength;
  for (const a of extra) {
    new Uint8Array(buf, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    at += pad4(a.byteLength);
  }
  return buf;
}

export function decodeSnapshot(buf: ArrayBuffer): SimSnapshot {
  const length = new DataView(buf).getUint32(0, true);
  if (length + 4 > buf.byteLength) throw new Error('truncated snapshot frame');
  const { $bin, ...header } = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, length)));
  const posesAt = pad4(4 + length);
  const bin: [TypeName, number][] = Array.isArray($bin) ? $bin : [];
  const bytes = bin.map(([t, n]) => n * TYPES[t].BYTES_PER_ELEMENT);
  const posesEnd = buf.byteLength - bytes.reduce((sum, b) => sum + pad4(b), 0);
  if (posesEnd < posesAt) throw new Error('truncated snapshot frame');
  const poses = new Float32Array(buf.slice(posesAt, posesEnd));
  if (!bin.length) return { ...header, poses };
  const arrays: Typed[] = [];
  let at = posesEnd;
  bin.forEach(([t], i) => {
    arrays.push(new TYPES[t](buf.slice(at, at + bytes[i])));
    at += pad4(bytes[i]);
  });
  const put = (v: unknown): unknown => (v && typeof v === 'object' && '$bin' in v ? arrays[(v as { $bin: number }).$bin] : v);
  const overlays: Record<string, unknown> = {};
  for (const [kind, data] of Object.entries(header.overlays ?? {})) {
    overlays[kind] = data && typeof data === 'object' && !Array.isArray(data) && !('$bin' in data) ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, put(v)])) : put(data);
  }
  return { ...header, poses, overlays };
}
