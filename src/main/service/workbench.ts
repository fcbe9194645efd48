/**
 * The workbench service: plain Node, no Electron. Every shell (Electron IPC, browser
 * WebSocket, CLI) calls `dispatch` with untrusted input and subscribes to events.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  parseRequest,
  type AppInfo,
  type EventName,
  type Events,
  type LogEntry,
  type Method,
  type Params,
  type Results,
} from '../../shared/contract';
import { dirname, join, resolve } from 'node:path';
import { JobManager, listTrainers } from './jobs';
import { listRuns, revealFolder, runMetrics } from './runs';
import { findScene, listScenes, physicsBackendName } from './scene-runner';
import { RecordingStore } from './recordings';
import { listScenarios } from './scenarios';
import { SimSession } from './sim-session';
import { hideUploadDir, inspectRobot, robotError, RobotFiles, uploadRelative } from './robot-files';
import { urdfSceneId } from './urdf-scene';

export interface ShellInfo {
  shell: AppInfo['shell'];
  shellReason: string;
  /** Where the recent-robots list is kept (none: in memory only). */
  recentRobotsFile?: string;
  /** Where training runs live (default ./runs; the Electron shell passes its user-data folder). */
  runsRoot?: string;
  /** Training jobs at once (default: number of cores). */
  maxJobs?: number;
}

export const APP_VERSION = '0.1.0';

/** Simulation sessions open at once: each is a worker thread of ~40 MB. */
export const MAX_SIM_SESSIONS = 8;

let probed: string | null = null;
/**
 * Which tfjs backend training workers will pick (same order as src/meta/backend.ts), found by
 * package resolution so the service itself never loads TensorFlow.
 */
function probeLearningBackend(): string {
  // Package resolution touches the disk: once per process, not on every app.info.
  probed ??= probeLearningBackendUncached();
  return probed;
}

function probeLearningBackendUncached(): string {
  const req = createRequire(import.meta.url);
  const wanted = process.env.ADAPTLAB_BACKEND;
  if (wanted && wanted !== 'auto') return `${wanted} (requested)`;
  for (const [pkg, name] of [
    ['@tensorflow/tfjs-node-gpu', 'tfjs-node-gpu'],
    ['@tensorflow/tfjs-node', 'tfjs-node'],
    ['@tensorflow/tfjs-backend-wasm', 'wasm'],
  ] as const) {
    try {
      req.resolve(pkg);
      return name;
    } catch {
      // not installed: next
    }
  }
  return 'cpu';
}

export class WorkbenchService {
  private readonly bus = new EventEmitter();
  private readonly sessions = new Map<string, SimSession>();
  /** Sessions being opened (counted against the cap, so a burst of opens cannot overshoot it). */
  private opening = 0;
  private robotFiles: RobotFiles | null = null;
  readonly runsRoot: string;
  readonly jobs: JobManager;
  /** Recorded videos (issue 7): <runsRoot>/recordings, or a run's videos folder. */
  readonly recordings: RecordingStore;
  /** The backend a training worker actually loaded (set when one starts). */
  private learningBackend: string | null = null;

  constructor(private readonly shell: ShellInfo) {
    this.bus.setMaxListeners(100);
    this.runsRoot = resolve(shell.runsRoot ?? 'runs');
    this.recordings = new RecordingStore(this.runsRoot);
    this.jobs = new JobManager(
      this.runsRoot,
      (p) => this.emit('job.progress', p),
      (level, message) => {
        const m = /started \((.+)\)$/.exec(message);
        if (m) this.learningBackend = m[1];
        this.log(level, 'jobs', message);
      },
      shell.maxJobs,
    );
  }

  /** A shell (menu item, shortcut) asks the renderer to do something, e.g. open the Record dialog. */
  command(command: Events['app.command']['command']): void {
    this.emit('app.command', { command });
  }

  on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void {
    this.bus.on(event, handler);
    return () => this.bus.off(event, handler);
  }

  private emit<E extends EventName>(event: E, payload: Events[E]): void {
    this.bus.emit(event, payload);
  }

  log(level: LogEntry['level'], source: string, message: string): void {
    this.emit('log', { level, source, message, time: Date.now() });
  }

  /** Validates and runs one request. Throws ContractError on malformed input. */
  async dispatch(method: string, rawParams: unknown): Promise<unknown> {
    const { method: m, params } = parseRequest(method, rawParams);
    return this.handlers[m](params as never);
  }

  /** Typed direct call for in-process users (CLI, tests); still validated. */
  call<M extends Method>(method: M, params: Params<M>): Promise<Results[M]> {
    return this.dispatch(method, params) as Promise<Results[M]>;
  }

  private robots(): RobotFiles {
    this.robotFiles ??= new RobotFiles(undefined, this.shell.recentRobotsFile);
    return this.robotFiles;
  }

  /** Asks the renderer to open a robot file (Electron's File > Open robot…). */
  requestOpenRobot(path: string): void {
    this.emit('robot.openRequest', { path });
  }

  private session(id: string): SimSession {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no simulation session "${id}" (it was closed, or never opened)`);
    return s;
  }

  /** Opens a session within the cap; the scene id is checked before any worker starts. */
  private async openSession(id: string, sceneId: string, seed: number, paused: boolean): Promise<SimSession> {
    findScene(sceneId);
    if (this.sessions.size + this.opening >= MAX_SIM_SESSIONS) {
      throw new Error(`${MAX_SIM_SESSIONS} simulation sessions are open, the most at once: close one (sim.close) first`);
    }
    this.opening++;
    try {
      const session = await SimSession.open(id, sceneId, seed, paused, {
        snapshot: (s) => this.emit('sim.snapshot', s),
        state: (s) => this.emit('sim.state', s),
        error: (message) => this.log('error', `sim:${id}`, message),
      });
      this.sessions.set(id, session);
      return session;
    } finally {
      this.opening--;
    }
  }

  private readonly handlers: { [M in Method]: (p: Params<M>) => Promise<Results[M]> } = {
    'app.info': async () => ({
      name: 'AdaptLab',
      version: APP_VERSION,
      shell: this.shell.shell,
      shellReason: this.shell.shellReason,
      physicsBackend: await physicsBackendName(),
      learningBackend: this.learningBackend ?? probeLearningBackend(),
      platform: `${process.platform}-${process.arch}`,
    }),
    'scene.list': async () => listScenes(),
    'sim.open': async (p) => {
      const id = randomUUID().slice(0, 8);
      const session = await this.openSession(id, p.sceneId, p.seed ?? 0, p.paused ?? false);
      this.log('info', 'sim', `opened ${p.sceneId} (session ${id}, seed ${p.seed ?? 0}) on ${session.physicsBackend}`);
      return { state: { ...session.state }, scene: session.scene, dt: session.dt };
    },
    'sim.close': async (p) => {
      const s = this.sessions.get(p.sessionId);
      if (!s) return { closed: false };
      this.sessions.delete(p.sessionId);
      await s.close();
      return { closed: true };
    },
    'sim.control': async (p) => {
      const s = this.session(p.sessionId);
      switch (p.command) {
        case 'pause': s.pause(); break;
        case 'resume': s.resume(); break;
        case 'reset': s.reset(p.seed); break;
        case 'step': await s.step(p.frames ?? 1); break;
      }
      return { ...s.state };
    },
    'sim.command': async (p) => {
      const message = await this.session(p.sessionId).command({ control: p.control, value: p.value });
      this.log('info', `sim:${p.sessionId}`, message);
      return { message };
    },
    'robot.open': async (p) => {
      const files = this.robots();
      let file: string;
      let packagePath = p.packagePath ?? [];
      let info;
      try {
        if (p.upload) {
          file = files.uploadedFile(p.upload.uploadId, p.upload.file);
          packagePath = [...packagePath, files.uploadDir(p.upload.uploadId)];
        } else file = resolve(p.path!);
        info = await inspectRobot(file, { packagePath, fixedBase: p.fixedBase, source: p.upload ? p.upload.file : file });
        if (p.upload) info.warnings = info.warnings.map((w) => uploadRelative(w, files, p.upload!.uploadId));
      } catch (e) {
        const error = robotError(e);
        if (!error) throw e;
        if (p.upload) hideUploadDir(error, files, p.upload.uploadId);
        this.log('error', 'robot', error.message);
        return { ok: false as const, error };
      }
      const sceneId = urdfSceneId({ path: file, packagePath, ...(p.fixedBase === undefined ? {} : { fixedBase: p.fixedBase }), mode: p.mode ?? 'kinematic' });
      const id = randomUUID().slice(0, 8);
      let session: SimSession;
      try {
        session = await this.openSession(id, sceneId, p.seed ?? 0, false);
      } catch (e) {
        const error = { code: 'load', message: e instanceof Error ? e.message : String(e), file };
        if (p.upload) hideUploadDir(error, files, p.upload.uploadId);
        this.log('error', 'robot', error.message);
        return { ok: false as const, error };
      }
      // The worker read the meshes: its warnings (mesh ones too) complete the quick parse's.
      const scene = session.scene as typeof session.scene & { warnings?: string[] };
      const more = (scene.warnings ?? []).map((w) => (p.upload ? uploadRelative(w, files, p.upload.uploadId) : w));
      delete scene.warnings;
      info.warnings = [...new Set([...info.warnings, ...more])];
      files.remember({ label: info.name + ' (' + (p.upload ? p.upload.file : file) + ')', ...(p.upload ? { upload: p.upload } : { path: file }), ...(p.packagePath?.length ? { packagePath: p.packagePath } : {}) });
      this.log('info', 'robot', `opened ${info.name} from ${info.source}: ${info.links.length} links, ${info.joints.length} joints, ${info.warnings.length} warning(s) (session ${id})`);
      return { ok: true as const, session: { state: { ...session.state }, scene: session.scene, dt: session.dt }, robot: info };
    },
    'robot.upload': async (p) => {
      try {
        return this.robots().upload(p.uploadId, p.files);
      } catch (e) {
        const error = robotError(e);
        if (error) this.log('error', 'robot', error.message);
        throw e;
      }
    },
    'robot.setJoints': async (p) => {
      await this.session(p.sessionId).command({ control: 'joints', value: p.targets });
      return { ok: true as const };
    },
    'robot.setMode': async (p) => {
      const { sessionId: sid, ...rest } = p;
      const message = await this.session(sid).command({ control: 'robotMode', value: rest });
      this.log('info', `sim:${sid}`, message);
      return { message };
    },
    'robot.recent': async () => ({ recent: this.robots().recent() }),
    'trainers.list': async () => listTrainers(),
    'job.start': async (p) => this.jobs.start(p),
    'job.cancel': async (p) => this.jobs.cancel(p.jobId),
    'job.resume': async (p) => this.jobs.resume(p.runId),
    'job.list': async () => this.jobs.list(),
    'runs.list': async () => listRuns(this.runsRoot),
    'runs.metrics': async (p) => runMetrics(this.jobs.runDir(p.runId), p.runId, p.maxPoints),
    'runs.reveal': async (p) => {
      const path = this.jobs.runDir(p.runId);
      return { path, opened: revealFolder(path) };
    },
    'sim.setTimeScale': async (p) => {
      const s = this.session(p.sessionId);
      s.setTimeScale(p.timeScale);
      return { ...s.state };
    },
    'scenario.list': async () => listScenarios(await listScenes()),
    'recording.begin': async (p) =>
      this.recordings.begin(p.name, p.bytes, p.runId ? join(this.jobs.runDir(p.runId), 'videos') : undefined),
    'recording.chunk': async (p) => this.recordings.chunk(p.recordingId, p.index, p.data),
    'recording.finish': async (p) => {
      const info = await this.recordings.finish(p.recordingId, p.thumbnailPng);
      this.log('info', 'recording', `saved ${info.path} (${info.bytes} bytes)`);
      return info;
    },
    'recording.abort': async (p) => this.recordings.abort(p.recordingId),
    'recording.list': async () => this.recordings.list(),
    'recording.thumbnail': async (p) => ({ png: await this.recordings.thumbnail(p.name) }),
    'recording.reveal': async (p) => {
      const rec = (await this.recordings.list()).find((r) => r.name === p.name);
      if (!rec) throw new Error(`no recording named "${p.name}"`);
      return { path: rec.path, opened: revealFolder(dirname(rec.path)) };
    },
  };

  async dispose(): Promise<void> {
    await this.jobs.dispose();
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
    this.robotFiles?.dispose();
    this.robotFiles = null;
    await this.recordings.dispose();
  }
}
