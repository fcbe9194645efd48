/**
 * The contract between the renderer and the workbench service, whatever carries it
 * (Electron IPC through preload, or WebSocket in the browser shell).
 *
 * Requests: `invoke(method, params)`; every params object is validated with the zod schema
 * below on the main side before the service sees it. Events: `on(event, handler)`.
 */
import { z } from 'zod';
import type { SceneSpec } from './scene';
import type { RobustnessCurve, SessionState, SimSnapshot } from './snapshot';
import type { Scenario } from './scenario';
import type { ControlDecl, TelemetryDecl } from './scene-decl';
import type { DRTerm, PhysParams } from './dr-terms';

export const sessionId = z.string().min(1).max(64);

/** Robot uploads: per-request chunk (base64 chars, fits the WebSocket frame limit), per file, per upload. */
export const ROBOT_UPLOAD_CHUNK_BASE64 = 640 * 1024;
export const ROBOT_UPLOAD_MAX_FILE = 64 * 1024 * 1024;
export const ROBOT_UPLOAD_MAX_TOTAL = 256 * 1024 * 1024;
export const ROBOT_UPLOAD_MAX_FILES = 4000;
/** Recording upload limits: the whole file, one chunk (raw bytes; base64 is 4/3 of it), a thumbnail. */
export const MAX_RECORDING_BYTES = 2 * 1024 ** 3;
export const RECORDING_CHUNK_BYTES = 512 * 1024;
export const MAX_CHUNK_BASE64 = Math.ceil(RECORDING_CHUNK_BYTES / 3) * 4;
/** A 320-pixel-wide PNG is far below this; it keeps recording.finish inside one WebSocket frame. */
export const MAX_THUMBNAIL_BASE64 = 512 * 1024;
/** Standard padded base64 (what btoa and Buffer write); anything else is refused, not stored as 0 bytes. */
const base64 = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'expected standard padded base64');
const recordingId = z.string().regex(/^[a-f0-9-]{8,40}$/);
/** A plain file name: letters, digits, dot, dash, underscore; ends in .mp4 or .webm. */
const recordingName = z.string().max(120).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.(mp4|webm)$/, 'a plain file name ending in .mp4 or .webm');

/**
 * A scene command: a control the scene declared (SceneInfo.controls, by id) and its value, which
 * the scene's own schema checks on the main side (the contract cannot know every scene's values).
 */
export const sceneCommand = z
  .object({
    control: z.string().min(1).max(64).regex(/^[\w.-]+$/),
    value: z.unknown(),
  })
  .strict();
export type SceneCommand = { control: string; value?: unknown };

/** One value of a trainer's config as it crosses the contract: JSON scalars and flat lists. */
const trainerConfigValue = z.union([
  z.number(),
  z.boolean(),
  z.string().max(4096),
  z.array(z.union([z.number(), z.string().max(4096), z.boolean()])).max(1024),
]);

/** zod schemas of every request's params, keyed by method name. */
export const requestSchemas = {
  'app.info': z.object({}).strict(),
  'scene.list': z.object({}).strict(),
  'sim.open': z
    .object({
      sceneId: z.string().min(1).max(200),
      seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
      /** Start paused (recording and tests step it frame by frame). */
      paused: z.boolean().optional(),
    })
    .strict(),
  'sim.close': z.object({ sessionId }).strict(),
  'sim.control': z
    .object({
      sessionId,
      command: z.enum(['pause', 'resume', 'reset', 'step']),
      /** For 'step': how many physics frames. */
      frames: z.number().int().min(1).max(100_000).optional(),
      /** For 'reset': a new seed. */
      seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    })
    .strict(),
  'sim.setTimeScale': z.object({ sessionId, timeScale: z.number().min(0.01).max(16) }).strict(),
  'sim.command': sceneCommand.extend({ sessionId }).strict(),
  /** Open a URDF as a new session: a local path, or a file of an upload (robot.upload). */
  'robot.open': z
    .object({
      path: z.string().min(1).max(4096).optional(),
      upload: z.object({ uploadId: z.string().min(1).max(64), file: z.string().min(1).max(1024) }).strict().optional(),
      packagePath: z.array(z.string().min(1).max(4096)).max(32).optional(),
      fixedBase: z.boolean().optional(),
      mode: z.enum(['kinematic', 'dynamic']).optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    })
    .strict()
    .refine((p) => (p.path === undefined) !== (p.upload === undefined), 'give either path or upload'),
  /**
   * Upload robot files (a folder picked or dropped in the browser shell) into a per-upload temp
   * folder. Big files come in chunks: `offset` is where the chunk goes (0 starts the file).
   */
  'robot.upload': z
    .object({
      uploadId: z.string().min(1).max(64).optional(),
      files: z
        .array(
          z
            .object({
              path: z.string().min(1).max(1024),
              base64: base64(ROBOT_UPLOAD_CHUNK_BASE64),
              offset: z.number().int().min(0).max(ROBOT_UPLOAD_MAX_FILE).optional(),
            })
            .strict(),
        )
        .min(1)
        .max(500),
    })
    .strict(),
  /** Slider targets of a robot session (no log line; sent while a slider moves). */
  'robot.setJoints': z.object({ sessionId, targets: z.record(z.string().max(200), z.number()) }).strict(),
  'robot.setMode': z
    .object({
      sessionId,
      mode: z.enum(['kinematic', 'dynamic']).optional(),
      hold: z.enum(['pd', 'limp']).optional(),
      fixedBase: z.boolean().optional(),
    })
    .strict(),
  'robot.recent': z.object({}).strict(),
  /** The trainer registry: each algorithm, the envs it trains and its config as form fields. */
  'trainers.list': z.object({}).strict(),
  /**
   * Start a training run of a registry trainer. The service checks `algo` against the registry,
   * `env` against the envs it trains, and `config` against the trainer's schema (its defaults
   * fill in what is left out). `numEnvs` is kept as a shorthand for `config.numEnvs`.
   */
  'job.start': z
    .object({
      algo: z.string().min(1).max(64),
      env: z.string().min(1).max(100),
      steps: z.number().int().min(1).max(1e9),
      seed: z.number().int().min(0).max(2 ** 31 - 1),
      numEnvs: z.number().int().min(1).max(256).optional(),
      config: z
        .record(z.string().min(1).max(100), trainerConfigValue)
        .refine((c) => Object.keys(c).length <= 200, 'at most 200 options')
        .optional(),
    })
    .strict(),
  'job.cancel': z.object({ jobId: z.string().min(1).max(64) }).strict(),
  'job.resume': z.object({ runId: z.string().min(1).max(200) }).strict(),
  'job.list': z.object({}).strict(),
  'runs.list': z.object({}).strict(),
  'runs.metrics': z.object({ runId: z.string().min(1).max(200), maxPoints: z.number().int().min(10).max(100_000).optional() }).strict(),
  'runs.reveal': z.object({ runId: z.string().min(1).max(200) }).strict(),
  // --- recording (issue 7) ---
  /** The scenarios shipped in assets/scenarios, parsed, with what keeps each from recording. */
  'scenario.list': z.object({}).strict(),
  /** Starts an upload of a recorded video: into <runs>/recordings, or into a run's videos folder. */
  'recording.begin': z
    .object({
      name: recordingName,
      /** Total size announced up front, checked against the limit and at the end. */
      bytes: z.number().int().min(1).max(MAX_RECORDING_BYTES),
      runId: z.string().min(1).max(200).optional(),
    })
    .strict(),
  /** One chunk of the file, base64, in order (index 0, 1, 2...). */
  'recording.chunk': z
    .object({ recordingId, index: z.number().int().min(0).max(1_000_000), data: base64(MAX_CHUNK_BASE64).min(1) })
    .strict(),
  /** Completes an upload; the file appears under its final name. Optional PNG thumbnail, base64. */
  'recording.finish': z.object({ recordingId, thumbnailPng: base64(MAX_THUMBNAIL_BASE64).optional() }).strict(),
  'recording.abort': z.object({ recordingId }).strict(),
  /** Recordings saved in <runs>/recordings so far, newest first. */
  'recording.list': z.object({}).strict(),
  /** A saved recording's PNG thumbnail, base64 (for the Runs panel and the Record dialog). */
  'recording.thumbnail': z.object({ name: recordingName }).strict(),
  'recording.reveal': z.object({ name: recordingName }).strict(),
} as const;

export type Method = keyof typeof requestSchemas;
export type Params<M extends Method> = z.input<(typeof requestSchemas)[M]>;

export interface AppInfo {
  name: string;
  version: string;
  /** Which shell hosts the renderer and why. */
  shell: 'electron' | 'browser';
  shellReason: string;
  physicsBackend: string;
  learningBackend: string;
  platform: string;
}

export interface SceneInfo {
  id: string;
  title: string;
  description: string;
  /** Controls it takes (sim.command {control: id, value}), so the UI shows only what works. */
  controls: ControlDecl[];
  /** Telemetry it reports: label, unit and chart of each key. */
  telemetry: TelemetryDecl[];
  /** Overlay kinds it draws (renderer overlay registry). */
  overlays: string[];
  /** Number of legs that can be broken, where the 'fault' control is declared. */
  legs?: number;
  /** Nominal physical parameters that a 'ranges' control may scale, with their nominal values. */
  parameters?: Record<string, number>;
  /** What a 'drTerms' control edits: every nominal parameter by key, the env's suggested terms, and the terms the scene starts with. */
  dr?: { nominal: PhysParams; suggested: DRTerm[]; active: DRTerm[] };
  /** Shipped robustness curves of the env's policies (population scenes), drawn beside the live returns. */
  robustness?: RobustnessCurve[];
}

export interface OpenedSession {
  state: SessionState;
  scene: SceneSpec;
  /** Simulated seconds per physics frame (what one 'step' frame advances). */
  dt: number;
}

export interface ScenarioEntry {
  /** File name under assets/scenarios. */
  file: string;
  /** The parsed scenario, or null when the file is invalid (see problems). */
  scenario: Scenario | null;
  /** Why it cannot be recorded now (invalid file, missing scene, unsupported events); empty when it can. */
  problems: string[];
}

export interface RecordingInfo {
  name: string;
  /** Absolute path of the file on the main side. */
  path: string;
  bytes: number;
  /** Absolute path of the PNG thumbnail, when one was saved. */
  thumbnail: string | null;
  createdAt: number;
}

/** Result type of each method. */
export interface Results {
  'app.info': AppInfo;
  'scene.list': SceneInfo[];
  'sim.open': OpenedSession;
  'sim.close': { closed: boolean };
  'sim.control': SessionState;
  'sim.setTimeScale': SessionState;
  'sim.command': { message: string };
  'robot.open': RobotOpenResult;
  'robot.upload': { uploadId: string; files: number; bytes: number; urdfs: string[] };
  'robot.setJoints': { ok: true };
  'robot.setMode': { message: string };
  'robot.recent': { recent: RecentRobot[] };
  'trainers.list': TrainerInfo[];
  'job.start': JobInfo;
  'job.cancel': JobInfo;
  'job.resume': JobInfo;
  'job.list': JobInfo[];
  'runs.list': RunSummary[];
  'runs.metrics': MetricSeries;
  'runs.reveal': { path: string; opened: boolean };
  'scenario.list': ScenarioEntry[];
  'recording.begin': { recordingId: string; folder: string };
  'recording.chunk': { received: number };
  'recording.finish': RecordingInfo;
  'recording.abort': { aborted: boolean };
  'recording.list': RecordingInfo[];
  'recording.thumbnail': { png: string | null };
  'recording.reveal': { path: string; opened: boolean };
}

/** A URDF error the UI can show: what, which file, which element, which line. */
export interface RobotError {
  code: string;
  message: string;
  file?: string;
  element?: string;
  line?: number;
}

export interface RobotJointInfo {
  name: string;
  type: 'revolute' | 'continuous' | 'prismatic' | 'fixed' | 'floating' | 'planar';
  parent: string;
  child: string;
  /** Slider range (rad or m); continuous joints -pi..pi. */
  lower: number;
  upper: number;
  /** Leader joint, for mimic joints (their slider follows it). */
  mimic?: { joint: string; multiplier: number; offset: number };
}

export interface RobotInfo {
  name: string;
  root: string;
  /** The file as written: links (with the body each is drawn with) and joints. */
  links: { name: string; body: string }[];
  joints: RobotJointInfo[];
  totalMass: number;
  fixedBase: boolean;
  meshes: { stl: number; obj: number; dae: number };
  warnings: string[];
  /** Where it came from (path, or upload file name). */
  source: string;
}

export type RobotOpenResult =
  | { ok: true; session: OpenedSession; robot: RobotInfo }
  | { ok: false; error: RobotError };

export interface RecentRobot {
  label: string;
  path?: string;
  upload?: { uploadId: string; file: string };
  packagePath?: string[];
  time: number;
}

/**
 * One field of a trainer's config, as plain data (what src/meta/trainers/config-fields.ts
 * describes): the Runs view builds its form from these, never from a hand-written list.
 */
export interface TrainerField {
  key: string;
  /** 'number', 'boolean', 'enum', 'array', 'string' (others: shown as text). */
  type: string;
  isInt?: boolean;
  min?: number;
  max?: number;
  /** An enum's choices. */
  values?: string[];
  /** An array's element type ('number'). */
  elementType?: string;
  description?: string;
  defaultValue?: unknown;
  /** No default: left out, the trainer decides (e.g. from a preset). */
  optional?: boolean;
}

/** A trainer registry entry as the renderer sees it. */
export interface TrainerInfo {
  id: string;
  summary: string;
  /** What `steps` counts ('env steps', 'gradient steps'). */
  stepUnit: string;
  defaultSteps: number;
  /** Env ids it trains on. */
  envs: string[];
  fields: TrainerField[];
  /** Its config fixes the run's length (model-based: iterations x gradient steps); `steps` is then ignored. */
  stepsFromConfig?: boolean;
}

export interface JobInfo {
  jobId: string;
  algo: string;
  env: string;
  status: JobProgress['status'];
  runId: string | null;
  step: number;
  totalSteps: number;
  etaSeconds: number | null;
  error?: string;
}

export interface RunSummary {
  id: string;
  dir: string;
  algo: string;
  env: string;
  seed: number | null;
  status: string;
  step: number;
  totalSteps: number | null;
  /** What `step` counts: 'env steps' (RL runs) or 'gradient steps' (model-based meta-training). */
  stepUnit: string;
  /** The workbench can continue this run (runs of registry trainers). */
  resumable: boolean;
  createdAt: string | null;
  backend: string | null;
  /** Last logged values of the run's metrics. */
  last: Record<string, number>;
  /** Video files in the run folder. */
  videos: string[];
}

export interface MetricSeries {
  runId: string;
  steps: number[];
  /** metric name -> values aligned with steps (null where not logged). */
  values: Record<string, (number | null)[]>;
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  source: string;
  message: string;
  time: number;
}

export interface JobProgress {
  jobId: string;
  kind: string;
  runId?: string | null;
  step: number;
  totalSteps: number;
  etaSeconds: number | null;
  metrics: Record<string, number>;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
}

/** Events pushed from the service to subscribers. */
export interface Events {
  'sim.snapshot': SimSnapshot;
  'sim.state': SessionState;
  'job.progress': JobProgress;
  log: LogEntry;
  /** The host asks the renderer to open a robot (Electron's File > Open robot…). */
  'robot.openRequest': { path: string };
  /** A shell asks the renderer to do something (e.g. File > Record video… opens the Record dialog). */
  'app.command': AppCommand;
}
export interface AppCommand {
  command: 'record-video';
}
export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = ['sim.snapshot', 'sim.state', 'job.progress', 'log', 'robot.openRequest', 'app.command'];

/** What the renderer holds. Implemented by preload (IPC) and by the WebSocket client. */
export interface WorkbenchApi {
  invoke<M extends Method>(method: M, params: Params<M>): Promise<Results[M]>;
  on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void;
}

/** Validates a request; throws ContractError naming the method and the offending field. */
export function parseRequest<M extends Method>(method: string, params: unknown): { method: M; params: Params<M> } {
  if (!Object.prototype.hasOwnProperty.call(requestSchemas, method)) {
    throw new ContractError(`unknown method "${String(method).slice(0, 80)}"`);
  }
  const schema = requestSchemas[method as M];
  const result = schema.safeParse(params ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(params)';
    throw new ContractError(`${method}: invalid ${where}: ${issue?.message ?? 'malformed'}`);
  }
  return { method: method as M, params: result.data as Params<M> };
}

export class ContractError extends Error {
  override name = 'ContractError';
}

/** Envelope of a request over a message transport (WebSocket). */
export const requestEnvelope = z
  .object({ id: z.number().int().nonnegative(), method: z.string().max(100), params: z.unknown() })
  .strict();

export type ResponseEnvelope =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };
