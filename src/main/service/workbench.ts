/**
 * The workbench service: plain Node, no Electron. Every shell (Electron IPC, browser
 * WebSocket, CLI) calls `dispatch` with untrusted input and subscribes to events.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
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
import { UNIVERSAL_EVENT_ACTIONS, describeEvent } from '../../shared/scenario';
import { RecordingStore } from './recordings';
import { listScenarios } from './scenarios';
import { SCENES, physicsBackendName } from './scene-runner';
import { SimSession } from './sim-session';

export interface ShellInfo {
  shell: AppInfo['shell'];
  shellReason: string;
  /** Folder of runs (recordings go to <runsRoot>/recordings); default $ADAPTLAB_RUNS, else ./runs. */
  runsRoot?: string;
}

export const APP_VERSION = '0.1.0';

export class WorkbenchService {
  private readonly bus = new EventEmitter();
  private readonly sessions = new Map<string, SimSession>();
  readonly recordings: RecordingStore;

  constructor(private readonly shell: ShellInfo) {
    this.bus.setMaxListeners(100);
    this.recordings = new RecordingStore(shell.runsRoot ?? process.env.ADAPTLAB_RUNS ?? 'runs');
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

  private session(id: string): SimSession {
    const s = this.sessions.get(id);
    if (!s) throw new Error(`no simulation session "${id}" (it was closed, or never opened)`);
    return s;
  }

  private readonly handlers: { [M in Method]: (p: Params<M>) => Promise<Results[M]> } = {
    'app.info': async () => ({
      name: 'AdaptLab',
      version: APP_VERSION,
      shell: this.shell.shell,
      shellReason: this.shell.shellReason,
      physicsBackend: await physicsBackendName(),
      learningBackend: 'not loaded',
      platform: `${process.platform}-${process.arch}`,
    }),
    'scene.list': async () => SCENES.map(({ id, title, description }) => ({ id, title, description })),
    'sim.open': async (p) => {
      const id = randomUUID().slice(0, 8);
      const session = await SimSession.open(id, p.sceneId, p.seed ?? 0, p.paused ?? false, {
        snapshot: (s) => this.emit('sim.snapshot', s),
        state: (s) => this.emit('sim.state', s),
        error: (message) => this.log('error', `sim:${id}`, message),
      });
      this.sessions.set(id, session);
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
    'sim.setTimeScale': async (p) => {
      const s = this.session(p.sessionId);
      s.setTimeScale(p.timeScale);
      return { ...s.state };
    },
    'sim.event': async (p) => {
      const s = this.session(p.sessionId);
      const e = p.event;
      if (!UNIVERSAL_EVENT_ACTIONS.includes(e.action)) {
        const supported = SCENES.find((x) => x.id === s.state.sceneId)?.events ?? [];
        if (!supported.includes(e.action)) {
          throw new Error(`scene ${s.state.sceneId} does not support the event "${e.action}" (${describeEvent(e)})`);
        }
        s.event(e);
      }
      this.log('info', `sim:${s.state.sessionId}`, describeEvent(e));
      return { ...s.state };
    },
    'scenario.list': async () => listScenarios(SCENES),
    'recording.begin': async (p) => this.recordings.begin(p.name, p.bytes),
    'recording.chunk': async (p) => this.recordings.chunk(p.recordingId, p.index, p.data),
    'recording.finish': async (p) => {
      const info = await this.recordings.finish(p.recordingId, p.thumbnailPng);
      this.log('info', 'recording', `saved ${info.path} (${info.bytes} bytes)`);
      return info;
    },
    'recording.abort': async (p) => this.recordings.abort(p.recordingId),
    'recording.list': async () => this.recordings.list(),
    'recording.thumbnail': async (p) => ({ png: await this.recordings.thumbnail(p.name) }),
  };

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
    await this.recordings.dispose();
  }
}
