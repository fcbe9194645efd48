/**
 * Binary framing of pose snapshots for message transports (WebSocket): a little-endian u32
 * header length, the JSON header (everything but the poses), zero padding to 4 bytes, then
 * the raw Float32Array. Avoids JSON-encoding thousands of floats per frame.
 */
import type { SimSnapshot } from './snapshot';

export function encodeSnapshot(s: SimSnapshot): ArrayBuffer {
  const { poses, ...header } = s;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerEnd = 4 + json.byteLength;
  const posesAt = Math.ceil(headerEnd / 4) * 4;
  const buf = new ArrayBuffer(posesAt + poses.byteLength);
  new DataView(buf).setUint32(0, json.byteLength, true);
  new Uint8Array(buf, 4, json.byteLength).set(json);
  new Float32Array(buf, posesAt, poses.length).set(poses);
  return buf;
}

export function decodeSnapshot(buf: ArrayBuffer): SimSnapshot {
  const length = new DataView(buf).getUint32(0, true);
  if (length + 4 > buf.byteLength) throw new Error('truncated snapshot frame');
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, length)));
  const posesAt = Math.ceil((4 + length) / 4) * 4;
  const poses = new Float32Array(buf.slice(posesAt));
  return { ...header, poses };
}
