/** Owns one simulation worker: forwards commands down and snapshots up. */
import type { Worker } from 'node:worker_threads';
import type { SceneCommand } from '../../shared/contract';
import type { SceneSpec } from '../../shared/scene';
import type { SessionState, SimSnapshot } from '../../shared/snapshot';
import type { FromSimWorker, ToSimWorker } from './sim-protocol';
import { spawnWorker } from '../../physics/workers/spawn';

export interface SimSessionEvents {
  snapshot(s: SimSnapshot): void;
  state(s: SessionState): void;
  error(message: string): void;
}

const SIM_WORKER = 'sim-worker';

export class SimSession {
  readonly state: SessionState;
  scene!: SceneSpec;
  physicsBackend = '';
  /** Simulated seconds per physics frame. */
  dt = 0;
  private worker: Worker;
  private nextRequest = 1;
  private pending = new Map<number, () => void>();
  private commands = new Map<number, { resolve(m: string): void; reject(e: Error): void }>();

  private constructor(id: string, sceneId: string, paused: boolean, private readonly events: SimSessionEvents) {
    this.state = { sessionId: id, sceneId, status: paused ? 'paused' : 'running', timeScale: 1, time: 0, frame: 0 };
    // A computed name: bundlers must not turn the worker into an asset (the Electron build emits
    // sim-worker.js beside this module, which spawnWorker runs instead of the .ts).
    this.worker = spawnWorker(new URL(`./${SIM_WORKER}.ts`, import.meta.url));
  }

  static async open(id: string, sceneId: string, seed: number, paused: boolean, events: SimSessionEvents): Promise<SimSession> {
    const session = new SimSession(id, sceneId, paused, events);
    try {
      await session.init(seed);
    } catch (err) {
      await session.close(); // a scene that failed to load leaves no idle worker behind
      throw err;
    }
    return session;
  }

  private init(seed: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onMessage = (msg: FromSimWorker) => {
        if (msg.type === 'ready') {
          this.scene = msg.scene;
          this.physicsBackend = msg.physicsBackend;
          this.dt = msg.dt;
          resolve();
        } else if (msg.type === 'error') {
          reject(new Error(msg.message));
        }
      };
      this.worker.on('message', (msg: FromSimWorker) => {
        onMessage(msg);
        this.handle(msg);
      });
      this.worker.once('error', (err) => reject(err));
      this.worker.on('error', (err) => this.events.error(`simulation worker crashed: ${err.message}`));
      this.send({ type: 'init', sceneId: this.state.sceneId, seed, paused: this.state.status === 'paused' });
    });
  }

  private handle(msg: FromSimWorker): void {
    switch (msg.type) {
      case 'snapshot': {
        const { type: _type, ...snapshot } = msg;
        this.state.time = msg.time;
        this.state.frame = msg.frame;
        this.events.snapshot({ sessionId: this.state.sessionId, ...snapshot });
        break;
      }
      case 'commanded': {
        const c = this.commands.get(msg.requestId);
        this.commands.delete(msg.requestId);
        if (msg.ok) c?.resolve(msg.message);
        else c?.reject(new Error(msg.message));
        break;
      }
      case 'stepped':
        this.pending.get(msg.requestId)?.();
        this.pending.delete(msg.requestId);
        break;
      case 'error':
        this.events.error(msg.message);
        break;
    }
  }

  private send(msg: ToSimWorker): void {
    this.worker.postMessage(msg);
  }

  pause(): void {
    this.state.status = 'paused';
    this.send({ type: 'pause' });
    this.events.state({ ...this.state });
  }

  resume(): void {
    this.state.status = 'running';
    this.send({ type: 'resume' });
    this.events.state({ ...this.state });
  }

  reset(seed?: number): void {
    this.send({ type: 'reset', seed });
  }

  /** Steps while paused; resolves once the worker has posted the resulting snapshot. */
  step(frames: number): Promise<void> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.send({ type: 'step', frames, requestId });
    });
  }

  /** Sends a scene command; rejects with the scene's reason when it does not support it. */
  command(command: SceneCommand): Promise<string> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.commands.set(requestId, { resolve, reject });
      this.send({ type: 'command', command, requestId });
    });
  }

  setTimeScale(value: number): void {
    this.state.timeScale = value;
    this.send({ type: 'timeScale', value });
    this.events.state({ ...this.state });
  }

  async close(): Promise<void> {
    this.send({ type: 'stop' });
    await this.worker.terminate();
  }
}
