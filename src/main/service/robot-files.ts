/**
 * Robot files on the host: opening a URDF from a path (Electron's dialog, the CLI), and files
 * uploaded from the browser shell (a folder picked or dropped: the URDF with its meshes) written
 * under a per-upload temp folder. Upload paths are untrusted: no absolute paths, drive letters,
 * `..`, empty or control-character segments; the resolved file must stay inside its folder; sizes
 * per file, per upload and the number of files are capped.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ROBOT_UPLOAD_MAX_FILE,
  ROBOT_UPLOAD_MAX_FILES,
  ROBOT_UPLOAD_MAX_TOTAL,
  type RecentRobot,
  type RobotError,
  type RobotInfo,
  type RobotJointInfo,
} from '../../shared/contract';
import {
  checkRegularFile, FileKindError, formatWarning, loadUrdfFileSync, prepareForPhysics, summarizeUrdf, UrdfError, URDF_MAX_FILE_BYTES,
  type UrdfErrorCode,
} from '../../physics/robot/urdf/node';
import { spawnWorker } from '../../physics/workers/spawn';

const MAX_UPLOADS = 16;
const MAX_RECENT = 10;

export class UploadError extends Error {
  override name = 'UploadError';
}

interface Upload {
  id: string;
  dir: string;
  sizes: Map<string, number>;
  bytes: number;
  created: number;
}

/** A relative upload path made safe, with '/' separators; throws UploadError. */
export function safeRelativePath(raw: string): string {
  const p = raw.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) throw new UploadError(`"${raw}": absolute paths are not allowed`);
  if (/[\u0000-\u001f\u007f]/.test(p)) throw new UploadError(`"${raw}": control characters in the name`);
  const segs = p.split('/').filter((s) => s !== '.');
  if (segs.length === 0 || segs.length > 32) throw new UploadError(`"${raw}": bad path depth`);
  for (const s of segs) {
    if (s === '' || s === '..') throw new UploadError(`"${raw}": empty or ".." path segments are not allowed`);
    if (s.length > 255) throw new UploadError(`"${raw}": a name is too long`);
  }
  return segs.join('/');
}

export class RobotFiles {
  readonly root: string;
  private readonly uploads = new Map<string, Upload>();
  private recentList: RecentRobot[] = [];

  constructor(root?: string, private readonly recentFile?: string) {
    this.root = root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'adaptlab-robots-'));
    fs.mkdirSync(this.root, { recursive: true });
    if (recentFile) {
      try {
        const r = JSON.parse(fs.readFileSync(recentFile, 'utf8')) as RecentRobot[];
        if (Array.isArray(r)) this.recentList = r.filter((x) => typeof x?.label === 'string' && typeof x?.path === 'string').slice(0, MAX_RECENT);
      } catch {
        // no recent list yet
      }
    }
  }

  /** Writes uploaded files (or chunks of them); starts a new upload without an id. */
  upload(uploadId: string | undefined, files: { path: string; base64: string; offset?: number }[]): { uploadId: string; files: number; bytes: number; urdfs: string[] } {
    let up: Upload | undefined;
    if (uploadId !== undefined) {
      up = this.uploads.get(uploadId);
      if (!up) throw new UploadError(`no upload "${uploadId}" (it expired, or the workbench restarted)`);
    } else {
      up = { id: randomUUID().slice(0, 12), dir: '', sizes: new Map(), bytes: 0, created: Date.now() };
      up.dir = path.join(this.root, up.id);
      fs.mkdirSync(up.dir);
      this.uploads.set(up.id, up);
      this.evict();
    }
    for (const f of files) {
      const rel = safeRelativePath(f.path);
      const abs = path.resolve(up.dir, rel);
      if (!abs.startsWith(up.dir + path.sep)) throw new UploadError(`"${f.path}": outside the upload folder`);
      const data = Buffer.from(f.base64, 'base64');
      const offset = f.offset ?? 0;
      const have = up.sizes.get(rel);
      if (offset > 0 && have !== offset) throw new UploadError(`"${f.path}": chunk at ${offset}, but ${have ?? 0} bytes received`);
      if (have === undefined && up.sizes.size >= ROBOT_UPLOAD_MAX_FILES) throw new UploadError(`more than ${ROBOT_UPLOAD_MAX_FILES} files in one upload`);
      if (offset + data.length > ROBOT_UPLOAD_MAX_FILE) throw new UploadError(`"${f.path}": larger than ${ROBOT_UPLOAD_MAX_FILE / 2 ** 20} MiB`);
      const total = up.bytes - (offset === 0 ? (have ?? 0) : 0) + data.length;
      if (total > ROBOT_UPLOAD_MAX_TOTAL) throw new UploadError(`the upload is larger than ${ROBOT_UPLOAD_MAX_TOTAL / 2 ** 20} MiB`);
      // A name may not be both a file and a folder of the same upload ("d", then "d/e").
      const segs = rel.split('/');
      for (let i = 1; i < segs.length; i++) {
        const parent = segs.slice(0, i).join('/');
        if (up.sizes.has(parent)) throw new UploadError(`"${f.path}": "${parent}" is a file in this upload, not a folder`);
      }
      if (have === undefined && [...up.sizes.keys()].some((k) => k.startsWith(rel + '/'))) throw new UploadError(`"${f.path}": a folder of that name is in this upload`);
      // No symlinks inside our own folder, but check each existing parent anyway.
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      const real = fs.realpathSync(path.dirname(abs));
      if (real !== fs.realpathSync(up.dir) && !real.startsWith(fs.realpathSync(up.dir) + path.sep)) throw new UploadError(`"${f.path}": outside the upload folder`);
      if (offset === 0) fs.writeFileSync(abs, data, { flag: 'w' });
      else fs.appendFileSync(abs, data);
      up.sizes.set(rel, offset + data.length);
      up.bytes = total;
    }
    const urdfs = [...up.sizes.keys()].filter((k) => /\.urdf$/i.test(k)).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
    return { uploadId: up.id, files: up.sizes.size, bytes: up.bytes, urdfs };
  }

  /** Absolute path of a file of an upload. */
  uploadedFile(uploadId: string, file: string): string {
    const up = this.uploads.get(uploadId);
    if (!up) throw new UploadError(`no upload "${uploadId}" (it expired, or the workbench restarted)`);
    const rel = safeRelativePath(file);
    if (!up.sizes.has(rel)) throw new UploadError(`"${file}" is not in upload ${uploadId}`);
    return path.resolve(up.dir, rel);
  }

  /** The upload's folder (a package search root: the URDF's folder and its parents are searched anyway). */
  uploadDir(uploadId: string): string {
    const up = this.uploads.get(uploadId);
    if (!up) throw new UploadError(`no upload "${uploadId}"`);
    return up.dir;
  }

  private evict(): void {
    while (this.uploads.size > MAX_UPLOADS) {
      const oldest = [...this.uploads.values()].sort((a, b) => a.created - b.created)[0];
      this.uploads.delete(oldest.id);
      fs.rmSync(oldest.dir, { recursive: true, force: true });
      this.recentList = this.recentList.filter((r) => r.upload?.uploadId !== oldest.id);
    }
  }

  remember(entry: Omit<RecentRobot, 'time'>): void {
    const same = (r: RecentRobot) => (entry.path ? r.path === entry.path : r.upload?.uploadId === entry.upload?.uploadId && r.upload?.file === entry.upload?.file);
    this.recentList = [{ ...entry, time: Date.now() }, ...this.recentList.filter((r) => !same(r))].slice(0, MAX_RECENT);
    if (this.recentFile) {
      try {
        fs.mkdirSync(path.dirname(this.recentFile), { recursive: true });
        // Only paths survive a restart; uploads live in a temp folder.
        fs.writeFileSync(this.recentFile, JSON.stringify(this.recentList.filter((r) => r.path)));
      } catch {
        // a read-only config folder is not worth failing an open for
      }
    }
  }

  recent(): RecentRobot[] {
    return this.recentList.map((r) => ({ ...r }));
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
    this.uploads.clear();
  }
}

export interface InspectRobotOptions {
  packagePath?: string[];
  fixedBase?: boolean;
  source?: string;
}

/** How long robot.open's quick parse may take (ms) before its worker is terminated. */
export const ROBOT_OPEN_TIMEOUT_MS = 10_000;
/** Heap cap of the reader's worker (MB): a file that needs more fails alone, not the server. */
const ROBOT_WORKER_HEAP_MB = 1024;
/** A computed name: bundlers must not turn the worker into an asset (see sim-session.ts). */
const ROBOT_WORKER = 'robot-worker';
/** Reader workers at once; further opens wait their turn (a burst of opens must not start a worker each). */
const MAX_READERS = 2;
let readers = 0;
const waitingReaders: (() => void)[] = [];

/** A reader slot; call the returned function to give it back (to the next in line, if any). */
async function readerSlot(): Promise<() => void> {
  if (readers < MAX_READERS) readers++;
  else await new Promise<void>((r) => waitingReaders.push(r)); // the slot is handed over, not re-counted
  let given = false;
  return () => {
    if (given) return;
    given = true;
    const next = waitingReaders.shift();
    if (next) next();
    else readers--;
  };
}

/** What robot-worker.ts receives and answers. */
export interface RobotWorkerRequest {
  file: string;
  opts: InspectRobotOptions;
}
export type RobotWorkerReply =
  | { ok: true; info: RobotInfo }
  | { ok: false; urdf: { code: UrdfErrorCode; detail: string; file?: string; element?: string; line?: number; column?: number } }
  | { ok: false; message: string };

/**
 * inspectRobotSync in a worker thread, so a user's file never blocks the caller's thread: the
 * file must be a regular file of at most `maxBytes` (checked here first: a FIFO, /dev/zero or a
 * directory fails at once), and the parse is stopped after `timeoutMs` (UrdfError 'timeout'
 * naming the file). Throws UrdfError as inspectRobotSync does.
 */
export async function inspectRobot(
  file: string,
  opts: InspectRobotOptions,
  limits: { timeoutMs?: number; maxBytes?: number } = {},
): Promise<RobotInfo> {
  const abs = path.resolve(file);
  const timeoutMs = limits.timeoutMs ?? ROBOT_OPEN_TIMEOUT_MS;
  try {
    checkRegularFile(await fs.promises.stat(abs), limits.maxBytes ?? URDF_MAX_FILE_BYTES);
  } catch (e) {
    if (e instanceof FileKindError) throw new UrdfError('io', `cannot open the URDF: ${e.message}`, { file: abs, cause: e });
    const code = (e as NodeJS.ErrnoException).code;
    throw new UrdfError('io', code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`, { file: abs, cause: e });
  }
  const request: RobotWorkerRequest = { file: abs, opts: { ...opts, ...(opts.packagePath ? { packagePath: [...opts.packagePath] } : {}) } };
  const release = await readerSlot();
  try {
    return await readInWorker(abs, request, timeoutMs);
  } finally {
    release();
  }
}

function readInWorker(abs: string, request: RobotWorkerRequest, timeoutMs: number): Promise<RobotInfo> {
  const worker = spawnWorker(new URL(`./${ROBOT_WORKER}.ts`, import.meta.url), request, {
    resourceLimits: { maxOldGenerationSizeMb: ROBOT_WORKER_HEAP_MB },
  });
  return new Promise<RobotInfo>((resolvePromise, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.removeAllListeners();
      worker.on('error', () => {}); // late errors of a terminated worker
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () => settle(() => reject(new UrdfError('timeout', `reading the robot took longer than ${timeoutMs / 1000} s; stopped`, { file: abs }))),
      timeoutMs,
    );
    worker.on('message', (m: RobotWorkerReply) =>
      settle(() => {
        if (m.ok) resolvePromise(m.info);
        else if ('urdf' in m) {
          const { code, detail, ...where } = m.urdf;
          reject(new UrdfError(code, detail, where));
        } else reject(new Error(`reading ${abs} failed: ${m.message}`));
      }),
    );
    worker.on('error', (e: Error & { code?: string }) =>
      settle(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new UrdfError('io', `reading the robot needs more than ${ROBOT_WORKER_HEAP_MB} MB of memory; stopped`, { file: abs, cause: e })
            : e,
        ),
      ),
    );
    worker.on('exit', (code) => settle(() => reject(new Error(`the robot reader for ${abs} stopped without an answer (exit code ${code})`))));
  });
}

/**
 * The robot as the UI lists it (tree, sliders, warnings), from a quick parse that checks the
 * meshes exist without reading them (the simulation worker reads them). Throws UrdfError.
 * Blocks its thread: on the server, call inspectRobot (a worker thread with a time limit).
 */
export function inspectRobotSync(file: string, opts: InspectRobotOptions): RobotInfo {
  const loaded = loadUrdfFileSync(file, { packagePath: opts.packagePath, loadMeshes: false });
  const summary = summarizeUrdf(loaded);
  const pm = prepareForPhysics(loaded.model, opts.fixedBase === undefined ? {} : { fixedBase: opts.fixedBase });
  const byName = new Map(loaded.model.joints.map((j) => [j.name, j]));
  const joints: RobotJointInfo[] = loaded.model.joints.map((j) => {
    const lim = j.type === 'continuous' || !j.limit ? (j.type === 'prismatic' ? [-1, 1] : [-Math.PI, Math.PI]) : [j.limit.lower, j.limit.upper];
    const info: RobotJointInfo = { name: j.name, type: j.type, parent: j.parent, child: j.child, lower: lim[0], upper: lim[1] };
    if (j.mimic && byName.has(j.mimic.joint)) info.mimic = { ...j.mimic };
    return info;
  });
  return {
    name: summary.name,
    root: summary.root,
    links: loaded.model.links.map((l) => ({ name: l.name, body: pm.linkToBody[l.name]?.body ?? l.name })),
    joints,
    totalMass: summary.totalMass,
    fixedBase: pm.fixedBase,
    meshes: summary.meshes,
    warnings: [...summary.warnings, ...pm.warnings.map(formatWarning)],
    source: opts.source ?? file,
  };
}

/** A UrdfError or UploadError as the UI shows it; undefined for anything else. */
export function robotError(e: unknown): RobotError | undefined {
  if (e instanceof UrdfError) {
    const out: RobotError = { code: e.code, message: e.message };
    if (e.file !== undefined) out.file = e.file;
    if (e.element !== undefined) out.element = e.element;
    if (e.line !== undefined) out.line = e.line;
    return out;
  }
  if (e instanceof UploadError) return { code: 'upload', message: e.message };
  return undefined;
}

/** Uploaded files are named as the user knows them, without the temp folder. */
export function hideUploadDir(error: RobotError, files: RobotFiles, uploadId: string): void {
  error.message = uploadRelative(error.message, files, uploadId);
  if (error.file !== undefined) error.file = uploadRelative(error.file, files, uploadId);
}

/** `text` with the upload's temp folder taken out of the paths in it. */
export function uploadRelative(text: string, files: RobotFiles, uploadId: string): string {
  let dir: string;
  try {
    dir = files.uploadDir(uploadId) + path.sep;
  } catch {
    return text;
  }
  return text.split(dir).join('');
}
