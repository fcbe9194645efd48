/**
 * A run is a folder under a runs root:
 *   config.json          what was asked for (algo, env, seed, hyperparameters, backend, ...)
 *   status.json          {state, step, totalSteps, updatedAt, ...} (rewritten atomically)
 *   metrics.jsonl        one JSON object a line: {step, wallTime, ...values}; append-only
 *   events.jsonl         one JSON object a line: {step, wallTime, type, message, ...data}
 *   checkpoints/ckpt-<step>.json + checkpoints/latest.json
 * Checkpoints and status are written to a temporary file and renamed (atomic on one file system).
 * Float32Arrays inside checkpoint payloads are stored as base64, so round trips are bit-exact.
 * While a run trains, status.json names the process (pid, hostname): a run left "running" by a
 * process that no longer exists (kill -9, a crash, a power cut) reads as "interrupted".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base64ToF32, f32ToBase64 } from './f32.js';

export interface MetricRow {
  step: number;
  /** Seconds since the Unix epoch. */
  wallTime: number;
  [key: string]: number | string | null;
}

export interface RunEvent {
  step: number;
  wallTime: number;
  type: string;
  message?: string;
  [key: string]: unknown;
}

export type RunState = 'created' | 'running' | 'done' | 'cancelled' | 'failed';

export interface RunStatus {
  state: RunState;
  step: number;
  totalSteps: number;
  updatedAt: string;
  error?: string;
  backend?: string;
  /** The training process, while state is 'running'. */
  pid?: number;
  hostname?: string;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What a status.json really means: a 'running' status whose process is gone (same host, pid not
 * alive) is 'interrupted' (resumable from its last checkpoint). A run on another host, or one
 * written before pids were recorded, is taken at its word.
 */
export function effectiveState(s: Pick<RunStatus, 'state' | 'pid' | 'hostname'> | null): RunState | 'interrupted' {
  if (!s) return 'created';
  if (s.state === 'running' && typeof s.pid === 'number' && (!s.hostname || s.hostname === os.hostname()) && !processAlive(s.pid)) return 'interrupted';
  return s.state;
}

/**
 * Creates a folder and its missing parents one level at a time. (Node's
 * `mkdirSync(dir, {recursive: true})` never returns for some paths, e.g. /proc/x on Linux.)
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let cur = path.resolve(dir);
  while (!fs.existsSync(cur)) {
    missing.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const m of missing) {
    try {
      fs.mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // made by someone else meanwhile
    }
  }
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
}

/**
 * Why `dir` cannot hold run folders (null if it can): creates it if missing, then creates and
 * removes a probe folder inside it.
 */
export function writableDirProblem(dir: string): string | null {
  try {
    makeDirs(dir);
    fs.rmdirSync(fs.mkdtempSync(path.join(dir, '.adaptlab-probe-')));
    return null;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return err.code ? `cannot create or write the folder (${err.code})` : err.message;
  }
}

export interface CheckpointRef {
  step: number;
  file: string;
}

/** JSON with Float32Array/Float64Array encoded losslessly as {__f32: base64} / {__f64: base64}. */
export function encodeJson(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (v instanceof Float32Array) return { __f32: f32ToBase64(v) };
      if (v instanceof Float64Array) return { __f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
      if (typeof v === 'number' && !Number.isFinite(v)) return { __num: String(v) };
      return v;
    },
    space,
  );
}

export function decodeJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (typeof v.__f32 === 'string') return base64ToF32(v.__f32);
      if (typeof v.__f64 === 'string') {
        const b = Buffer.from(v.__f64, 'base64');
        const out = new Float64Array(b.byteLength / 8);
        new Uint8Array(out.buffer).set(b);
        return out;
      }
      if (typeof v.__num === 'string') return Number(v.__num);
    }
    return v;
  }) as T;
}

/** Writes a file atomically: temp file in the same folder, fsync, rename. */
export function writeFileAtomic(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

function readJsonl<T>(file: string): T[] {
  if (!fs.existsSync(file)) return [];
  const out: T[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(decodeJson<T>(line));
    } catch {
      // a torn last line after a crash: ignore it
    }
  }
  return out;
}

/** Keeps the rows of a JSONL file with step <= `step` (and drops torn lines); atomic rewrite. */
function truncateJsonl(file: string, step: number): number {
  if (!fs.existsSync(file)) return 0;
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const keep = lines.filter((l) => {
    try {
      return (JSON.parse(l) as { step: number }).step <= step;
    } catch {
      return false;
    }
  });
  if (keep.length !== lines.length) writeFileAtomic(file, keep.map((l) => l + '\n').join(''));
  return lines.length - keep.length;
}

/** A run id like 2026-11-22T01-02-03-ppo-PointReach-v0-s1 (file-system safe). */
export function makeRunId(parts: string[], now = new Date()): string {
  const ts = now.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
  return [ts, ...parts].join('-').replace(/[^A-Za-z0-9._-]+/g, '_');
}

export class Run {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates a new run folder `root/id` (id defaults to a timestamped one) and writes config.json. */
  static create(root: string, config: object, id?: string): Run {
    makeDirs(root);
    let name = id ?? makeRunId([]);
    let dir = path.join(root, name);
    for (let k = 1; fs.existsSync(dir); k++) {
      if (id) throw new Error(`run ${dir} already exists`);
      dir = path.join(root, `${name}-${k}`);
    }
    fs.mkdirSync(dir);
    fs.mkdirSync(path.join(dir, 'checkpoints'));
    const run = new Run(dir);
    writeFileAtomic(path.join(dir, 'config.json'), encodeJson(config, 2) + '\n');
    return run;
  }

  /** Opens an existing run folder. */
  static open(dir: string): Run {
    if (!fs.existsSync(path.join(dir, 'config.json'))) throw new Error(`not a run folder (no config.json): ${dir}`);
    fs.mkdirSync(path.join(dir, 'checkpoints'), { recursive: true });
    return new Run(dir);
  }

  /** Lists run folders under a root (those with a config.json), oldest first. */
  static list(root: string): string[] {
    if (!fs.existsSync(root)) return [];
    return fs
      .readdirSync(root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, 'config.json')))
      .map((d) => path.join(root, d.name))
      .sort();
  }

  get id(): string {
    return path.basename(this.dir);
  }

  config<T = Record<string, unknown>>(): T {
    return decodeJson<T>(fs.readFileSync(path.join(this.dir, 'config.json'), 'utf8'));
  }

  /** Rewrites config.json with some keys changed (e.g. totalSteps when a resume extends a run). */
  updateConfig(patch: Record<string, unknown>): void {
    writeFileAtomic(path.join(this.dir, 'config.json'), encodeJson({ ...this.config<Record<string, unknown>>(), ...patch }, 2) + '\n');
  }

  appendMetrics(step: number, values: Record<string, number | string | null>, wallTime = Date.now() / 1000): MetricRow {
    const row: MetricRow = { step, wallTime, ...values };
    fs.appendFileSync(path.join(this.dir, 'metrics.jsonl'), encodeJson(row) + '\n');
    return row;
  }

  metrics(): MetricRow[] {
    return readJsonl<MetricRow>(path.join(this.dir, 'metrics.jsonl'));
  }

  appendEvent(step: number, type: string, message?: string, data: Record<string, unknown> = {}): RunEvent {
    const ev: RunEvent = { step, wallTime: Date.now() / 1000, type, ...(message !== undefined ? { message } : {}), ...data };
    fs.appendFileSync(path.join(this.dir, 'events.jsonl'), encodeJson(ev) + '\n');
    return ev;
  }

  events(): RunEvent[] {
    return readJsonl<RunEvent>(path.join(this.dir, 'events.jsonl'));
  }

  /**
   * Drops metric rows with step > `step` (rows written after the checkpoint a resume starts from),
   * so the resumed run continues one curve. Rewrites the file atomically.
   */
  truncateMetricsAfter(step: number): number {
    return truncateJsonl(path.join(this.dir, 'metrics.jsonl'), step);
  }

  /** Drops events with step > `step` (what happened after the checkpoint a resume starts from). */
  truncateEventsAfter(step: number): number {
    return truncateJsonl(path.join(this.dir, 'events.jsonl'), step);
  }

  /** Writes status.json; a 'running' status names this process (pid, hostname). */
  setStatus(s: Omit<RunStatus, 'updatedAt' | 'pid' | 'hostname'>): void {
    const owner = s.state === 'running' ? { pid: process.pid, hostname: os.hostname() } : {};
    writeFileAtomic(path.join(this.dir, 'status.json'), JSON.stringify({ ...s, ...owner, updatedAt: new Date().toISOString() }, null, 2) + '\n');
  }

  status(): RunStatus | null {
    const f = path.join(this.dir, 'status.json');
    return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as RunStatus) : null;
  }

  /** Saves a checkpoint atomically; keeps the newest `keep` checkpoints. Returns its path. */
  saveCheckpoint(step: number, payload: unknown, keep = 3): string {
    const cdir = path.join(this.dir, 'checkpoints');
    const name = `ckpt-${String(step).padStart(12, '0')}.json`;
    const file = path.join(cdir, name);
    writeFileAtomic(file, encodeJson({ format: 'adaptlab-checkpoint-1', step, payload }));
    writeFileAtomic(path.join(cdir, 'latest.json'), JSON.stringify({ step, file: name } satisfies CheckpointRef) + '\n');
    const all = this.checkpoints();
    for (const c of all.slice(0, Math.max(0, all.length - keep))) fs.rmSync(path.join(cdir, c.file), { force: true });
    return file;
  }

  /** Checkpoints on disk, oldest first. */
  checkpoints(): CheckpointRef[] {
    const cdir = path.join(this.dir, 'checkpoints');
    if (!fs.existsSync(cdir)) return [];
    return fs
      .readdirSync(cdir)
      .filter((f) => /^ckpt-\d+\.json$/.test(f))
      .sort()
      .map((f) => ({ step: Number(f.slice(5, -5)), file: f }));
  }

  latestCheckpoint(): CheckpointRef | null {
    const f = path.join(this.dir, 'checkpoints', 'latest.json');
    if (fs.existsSync(f)) {
      const ref = JSON.parse(fs.readFileSync(f, 'utf8')) as CheckpointRef;
      if (fs.existsSync(path.join(this.dir, 'checkpoints', ref.file))) return ref;
    }
    const all = this.checkpoints();
    return all.length ? all[all.length - 1] : null;
  }

  loadCheckpoint<T = unknown>(ref: CheckpointRef | null = this.latestCheckpoint()): { step: number; payload: T } {
    if (!ref) throw new Error(`no checkpoint in ${this.dir}`);
    const data = decodeJson<{ format: string; step: number; payload: T }>(
      fs.readFileSync(path.join(this.dir, 'checkpoints', ref.file), 'utf8'),
    );
    if (data.format !== 'adaptlab-checkpoint-1') throw new Error(`unknown checkpoint format ${data.format}`);
    return { step: data.step, payload: data.payload };
  }
}

/**
 * The payload of a checkpoint named by its file (ckpt-*.json) or by its run folder (the latest).
 * For warm starts; errors say which path and what was expected.
 */
export async function readCheckpointPayload<T>(file: string): Promise<T> {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such run folder or checkpoint file`);
  if (fs.statSync(file).isDirectory()) return Run.open(file).loadCheckpoint<T>().payload;
  const data = decodeJson<{ format?: string; payload?: T }>(fs.readFileSync(file, 'utf8'));
  if (data.format !== 'adaptlab-checkpoint-1' || data.payload === undefined) throw new Error(`${file}: not a checkpoint (expected format "adaptlab-checkpoint-1")`);
  return data.payload;
}

/**
 * A run the driver can resume: one it wrote (its trainer's config in config.json; PPO runs from
 * before the registry kept theirs under `ppo`). Model-based runs from before the driver cannot.
 */
export function hasTrainerConfig(cfg: { trainer?: unknown; ppo?: unknown }): boolean {
  return cfg.trainer !== undefined || cfg.ppo !== undefined;
}
