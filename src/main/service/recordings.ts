/**
 * Saves recorded videos that the renderer uploads in base64 chunks: each upload writes to a
 * hidden .part file in the recordings folder, checks order and size as it goes, and is renamed
 * to its final (never overwriting) name when complete. Also lists saved recordings.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { MAX_RECORDING_BYTES, RECORDING_CHUNK_BYTES, type RecordingInfo } from '../../shared/contract';

interface Upload {
  id: string;
  name: string;
  folder: string;
  part: string;
  file: FileHandle;
  expected: number;
  received: number;
  nextIndex: number;
  touched: number;
}

/** Uploads idle for this long are dropped (a closed tab, a crashed renderer). */
const STALE_MS = 10 * 60 * 1000;
const MAX_OPEN_UPLOADS = 8;

export class RecordingStore {
  readonly folder: string;
  private readonly uploads = new Map<string, Upload>();

  constructor(runsRoot: string, private readonly maxBytes = MAX_RECORDING_BYTES) {
    this.folder = join(resolve(runsRoot), 'recordings');
  }

  /** Starts an upload into `folder` (default: the recordings folder; a run's videos folder must be in an existing run). */
  async begin(name: string, bytes: number, folder = this.folder): Promise<{ recordingId: string; folder: string }> {
    await this.dropStale();
    if (bytes > this.maxBytes) throw new Error(`recording of ${bytes} bytes is over the limit of ${this.maxBytes} bytes`);
    if (this.uploads.size >= MAX_OPEN_UPLOADS) throw new Error(`too many recordings being saved at once (${this.uploads.size})`);
    if (basename(name) !== name) throw new Error(`"${name}" is not a plain file name`);
    if (folder !== this.folder && !existsSync(dirname(folder))) throw new Error(`no run folder ${dirname(folder)}`);
    await mkdir(folder, { recursive: true });
    const id = randomUUID();
    const part = join(folder, `.${id}.part`);
    const file = await open(part, 'wx');
    this.uploads.set(id, { id, name, folder, part, file, expected: bytes, received: 0, nextIndex: 0, touched: Date.now() });
    return { recordingId: id, folder };
  }

  async chunk(recordingId: string, index: number, base64: string): Promise<{ received: number }> {
    const u = this.upload(recordingId);
    if (index !== u.nextIndex) {
      await this.abort(recordingId);
      throw new Error(`recording chunk ${index} arrived out of order (expected ${u.nextIndex}); upload aborted`);
    }
    const data = Buffer.from(base64, 'base64');
    if (data.byteLength === 0 || data.byteLength > RECORDING_CHUNK_BYTES) {
      await this.abort(recordingId);
      throw new Error(`recording chunk ${index} has ${data.byteLength} bytes (1..${RECORDING_CHUNK_BYTES} allowed); upload aborted`);
    }
    if (u.received + data.byteLength > u.expected) {
      await this.abort(recordingId);
      throw new Error(`recording is larger than the ${u.expected} bytes announced; upload aborted`);
    }
    await u.file.write(data, 0, data.byteLength, u.received);
    u.received += data.byteLength;
    u.nextIndex++;
    u.touched = Date.now();
    return { received: u.received };
  }

  async finish(recordingId: string, thumbnailPng?: string): Promise<RecordingInfo> {
    const u = this.upload(recordingId);
    if (u.received !== u.expected) {
      await this.abort(recordingId);
      throw new Error(`recording incomplete: ${u.received} of ${u.expected} bytes; upload aborted`);
    }
    this.uploads.delete(recordingId);
    await u.file.sync();
    await u.file.close();
    const path = freeName(u.folder, u.name);
    await rename(u.part, path);
    let thumbnail: string | null = null;
    if (thumbnailPng) {
      const png = Buffer.from(thumbnailPng, 'base64');
      if (png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
        thumbnail = `${path}.png`;
        await writeFile(thumbnail, png);
      }
    }
    const st = await stat(path);
    return { name: basename(path), path, bytes: st.size, thumbnail, createdAt: st.mtimeMs };
  }

  async abort(recordingId: string): Promise<{ aborted: boolean }> {
    const u = this.uploads.get(recordingId);
    if (!u) return { aborted: false };
    this.uploads.delete(recordingId);
    await u.file.close().catch(() => {});
    await rm(u.part, { force: true });
    return { aborted: true };
  }

  async list(): Promise<RecordingInfo[]> {
    if (!existsSync(this.folder)) return [];
    const out: RecordingInfo[] = [];
    for (const name of await readdir(this.folder)) {
      const ext = extname(name).toLowerCase();
      if (name.startsWith('.') || (ext !== '.mp4' && ext !== '.webm')) continue;
      const path = join(this.folder, name);
      const st = await stat(path).catch(() => null);
      if (!st?.isFile()) continue;
      const thumb = `${path}.png`;
      out.push({ name, path, bytes: st.size, thumbnail: existsSync(thumb) ? thumb : null, createdAt: st.mtimeMs });
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The PNG thumbnail of a saved recording, base64, or null when it has none. */
  async thumbnail(name: string): Promise<string | null> {
    if (basename(name) !== name || name.startsWith('.')) throw new Error(`"${name}" is not a plain file name`);
    const png = join(this.folder, `${name}.png`);
    if (!existsSync(png)) return null;
    return (await readFile(png)).toString('base64');
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.uploads.keys()].map((id) => this.abort(id)));
  }

  private upload(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u) throw new Error(`no recording upload "${id}" (finished, aborted, or never begun)`);
    return u;
  }

  private async dropStale(): Promise<void> {
    const now = Date.now();
    for (const u of [...this.uploads.values()]) if (now - u.touched > STALE_MS) await this.abort(u.id);
  }
}

/** name.mp4, else name-2.mp4, name-3.mp4...: never overwrite a recording. */
function freeName(folder: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 1; ; i++) {
    const p = join(folder, i === 1 ? name : `${stem}-${i}${ext}`);
    if (!existsSync(p)) return p;
  }
}
