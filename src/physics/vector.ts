/**
 * Vectorized envs: N envs split across worker threads, batched Float32Array in and out.
 *
 *   const venv = new VectorEnv('Ant-v0', 16, { workers: 4, config });
 *   await venv.init();
 *   let obs = await venv.reset(seed);                  // [N * observationSize]
 *   const { obs, rewards, terminated, truncated } = await venv.step(actions); // actions [N * actionSize]
 *   await venv.close();
 *
 * Envs auto-reset in the step that ends their episode (finalObs has the pre-reset observation).
 * Env i gets seed `seed + i` on reset(seed). Results are independent of the worker count.
 */
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { spawnWorker } from './workers/spawn.js';
import type { EnvConfig, EnvId } from './envs/types.js';
import type { SimulateOptions, SimulateSummary } from './simulate.js';

export interface VectorStep {
  obs: Float32Array;
  finalObs: Float32Array;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  xVelocity: Float32Array;
}

interface Pending {
  resolve: (v: any) => void;
  reject: (e: Error) => void;
}

class WorkerHandle {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  constructor(readonly worker: Worker) {
    worker.on('message', (m: { id: number; type: string; message?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'error') p.reject(new Error(m.message));
      else p.resolve(m);
    });
    worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }
  call<T>(msg: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }
}

export function envWorkerUrl(): URL {
  return new URL('./workers/envWorker.ts', import.meta.url);
}

export class VectorEnv {
  observationSize = 0;
  actionSize = 0;
  bodyCount = 0;
  private workers: WorkerHandle[] = [];
  private counts: number[] = [];

  constructor(readonly envId: EnvId, readonly numEnvs: number, readonly opts: { workers?: number; config?: EnvConfig } = {}) {}

  async init(): Promise<this> {
    const nw = Math.max(1, Math.min(this.numEnvs, this.opts.workers ?? Math.max(1, availableParallelism() - 1)));
    const base = Math.floor(this.numEnvs / nw);
    this.counts = Array.from({ length: nw }, (_, i) => base + (i < this.numEnvs % nw ? 1 : 0));
    this.workers = this.counts.map(() => new WorkerHandle(spawnWorker(envWorkerUrl())));
    const ready = await Promise.all(
      this.workers.map((w, i) => w.call<{ observationSize: number; actionSize: number; bodyCount: number }>({ type: 'init', envId: this.envId, config: this.opts.config ?? {}, count: this.counts[i] })),
    );
    this.observationSize = ready[0].observationSize;
    this.actionSize = ready[0].actionSize;
    this.bodyCount = ready[0].bodyCount;
    return this;
  }

  private offsets(): number[] {
    const o: number[] = [];
    let acc = 0;
    for (const c of this.counts) {
      o.push(acc);
      acc += c;
    }
    return o;
  }

  async reset(seed?: number): Promise<Float32Array> {
    const out = new Float32Array(this.numEnvs * this.observationSize);
    const offs = this.offsets();
    const parts = await Promise.all(
      this.workers.map((w, i) =>
        w.call<{ obs: Float32Array }>({ type: 'reset', seeds: seed === undefined ? null : Array.from({ length: this.counts[i] }, (_, k) => seed + offs[i] + k) }),
      ),
    );
    parts.forEach((p, i) => out.set(p.obs, offs[i] * this.observationSize));
    return out;
  }

  async step(actions: Float32Array): Promise<VectorStep> {
    const n = this.numEnvs, no = this.observationSize, na = this.actionSize;
    if (actions.length !== n * na) throw new Error(`actions must have ${n * na} values`);
    const offs = this.offsets();
    const parts = await Promise.all(
      this.workers.map((w, i) => {
        const a = actions.slice(offs[i] * na, (offs[i] + this.counts[i]) * na);
        return w.call<VectorStep>({ type: 'step', actions: a }, [a.buffer]);
      }),
    );
    const res: VectorStep = {
      obs: new Float32Array(n * no),
      finalObs: new Float32Array(n * no),
      rewards: new Float32Array(n),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
      xVelocity: new Float32Array(n),
    };
    parts.forEach((p, i) => {
      res.obs.set(p.obs, offs[i] * no);
      res.finalObs.set(p.finalObs, offs[i] * no);
      res.rewards.set(p.rewards, offs[i]);
      res.terminated.set(p.terminated, offs[i]);
      res.truncated.set(p.truncated, offs[i]);
      res.xVelocity.set(p.xVelocity, offs[i]);
    });
    return res;
  }

  /** 7 floats per body per env, env-major. */
  async poses(): Promise<Float32Array> {
    const out = new Float32Array(this.numEnvs * this.bodyCount * 7);
    const offs = this.offsets();
    const parts = await Promise.all(this.workers.map((w) => w.call<{ poses: Float32Array }>({ type: 'poses' })));
    parts.forEach((p, i) => out.set(p.poses, offs[i] * this.bodyCount * 7));
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers = [];
  }
}

/** Run `simulate` jobs in parallel worker threads (used by the long stability tests and the bench). */
export async function simulateInWorkers(jobs: (Omit<SimulateOptions, 'env'> & { env: EnvId })[], maxWorkers = availableParallelism()): Promise<SimulateSummary[]> {
  const out: SimulateSummary[] = new Array(jobs.length);
  let next = 0;
  const run = async () => {
    const w = new WorkerHandle(spawnWorker(envWorkerUrl()));
    try {
      while (next < jobs.length) {
        const k = next++;
        out[k] = (await w.call<{ summary: SimulateSummary }>({ type: 'simulate', opts: jobs[k] })).summary;
      }
    } finally {
      await w.worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(maxWorkers, jobs.length)) }, run));
  return out;
}
