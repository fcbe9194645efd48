/**
 * A VecEnvLike whose envs are split over worker threads (one slice each), stepped at the same
 * time, behind the same synchronous interface the trainers use: the host posts a request to every
 * worker, then blocks in Atomics.wait until each has answered and reads the answers with
 * receiveMessageOnPort. Env i's seeds depend only on i (vecEnvFromEnvs' firstIndex), so the
 * trajectories are the same for any number of workers.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { spawnWorker } from '../../physics/workers/spawn.js';
import type { VecEnvLike, VecEnvStep } from './env.js';
import type { VecWorkerData, VecWorkerRequest } from './vec-env-worker.js';

/** Slices of n envs over w workers: sizes differ by at most one, in index order. */
export function splitEnvs(n: number, w: number): { first: number; count: number }[] {
  const out: { first: number; count: number }[] = [];
  let first = 0;
  for (let k = 0; k < w; k++) {
    const count = Math.floor(n / w) + (k < n % w ? 1 : 0);
    if (count > 0) out.push({ first, count });
    first += count;
  }
  return out;
}

const ANSWER_TIMEOUT_MS = 120_000;

function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./vec-env-worker${ext}`, import.meta.url);
}

interface Slot {
  worker: Worker;
  port: MessagePort;
  first: number;
  count: number;
}

/**
 * `module` exports createVecEnvSlice(id, firstIndex, count, config) (see physics-vec-env.ts).
 * Resolves once every worker has built its envs.
 */
export async function createParallelVecEnv(module: string, id: string, numEnvs: number, workers: number, config?: unknown): Promise<VecEnvLike> {
  const slices = splitEnvs(numEnvs, Math.max(1, Math.min(workers, numEnvs)));
  const flags = new Int32Array(new SharedArrayBuffer(4 * slices.length));
  const slots: Slot[] = slices.map(({ first, count }, slot) => {
    const { port1, port2 } = new MessageChannel();
    const data: VecWorkerData = { module, id, config: config ?? {}, firstIndex: first, count, port: port2, flags: flags.buffer as SharedArrayBuffer, slot };
    const worker = spawnWorker(workerUrl(), data, { transferList: [port2] });
    return { worker, port: port1, first, count };
  });
  const failed = new Array<string | null>(slots.length).fill(null);
  slots.forEach((s, k) => {
    s.worker.on('error', (e) => (failed[k] = e.message));
    s.worker.on('exit', (code) => (failed[k] ??= `exited with code ${code}`));
  });

  /**
   * Blocks until worker k answered. The event loop is blocked meanwhile, so a worker's 'exit' is
   * not seen here: env errors come back as answers, and a worker that never answers is an error
   * after ANSWER_TIMEOUT_MS.
   */
  const await_ = (k: number): Record<string, unknown> => {
    const t0 = Date.now();
    while (Atomics.load(flags, k) !== 1) {
      Atomics.wait(flags, k, 0, 1000);
      if (Atomics.load(flags, k) !== 1 && Date.now() - t0 > ANSWER_TIMEOUT_MS) throw new Error(`vector env worker ${k} gave no answer in ${ANSWER_TIMEOUT_MS / 1000} s`);
    }
    const m = receiveMessageOnPort(slots[k].port);
    if (!m) throw new Error(`vector env worker ${k} raised its flag without an answer`);
    return settle(k, m.message);
  };
  const settle = (k: number, msg: unknown): Record<string, unknown> => {
    Atomics.store(flags, k, 0);
    const r = msg as { ok: boolean; error?: string };
    if (!r.ok) throw new Error(`vector env worker ${k}: ${r.error}`);
    return r as Record<string, unknown>;
  };
  const all = (req: (k: number) => VecWorkerRequest): Record<string, unknown>[] => {
    slots.forEach((s, k) => s.port.postMessage(req(k)));
    return slots.map((_, k) => await_(k));
  };

  // Startup is asynchronous (each worker loads Rapier): poll without blocking the event loop.
  const hello: Record<string, unknown>[] = [];
  for (let k = 0; k < slots.length; k++) {
    for (;;) {
      if (Atomics.load(flags, k) === 1) {
        hello.push(await_(k));
        break;
      }
      if (failed[k]) throw new Error(`vector env worker ${k} failed to start: ${failed[k]}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const O = hello[0].observationSize as number;
  const A = hello[0].actionSize as number;
  const N = numEnvs;

  const v: VecEnvLike = {
    numEnvs: N,
    observationSize: O,
    actionSize: A,
    actionLow: (hello[0].actionLow as Float32Array | null) ?? undefined,
    actionHigh: (hello[0].actionHigh as Float32Array | null) ?? undefined,
    reset(seed = 0) {
      const obs = new Float32Array(N * O);
      all(() => ({ cmd: 'reset', seed })).forEach((r, k) => obs.set(r.obs as Float32Array, slots[k].first * O));
      return obs;
    },
    resetWithParams(seed, params) {
      const obs = new Float32Array(N * O);
      const slice = (k: number) => Array.from({ length: slots[k].count }, (_, j) => params[slots[k].first + j] ?? null);
      all((k) => ({ cmd: 'reset', seed, params: slice(k) })).forEach((r, k) => obs.set(r.obs as Float32Array, slots[k].first * O));
      return obs;
    },
    step(actions) {
      const rs = all((k) => ({ cmd: 'step', actions: actions.slice(slots[k].first * A, (slots[k].first + slots[k].count) * A) })) as unknown as VecEnvStep[];
      const out: VecEnvStep = {
        obs: new Float32Array(N * O),
        rewards: new Float32Array(N),
        terminated: new Uint8Array(N),
        truncated: new Uint8Array(N),
        finalObs: null,
        info: {},
      };
      rs.forEach((r, k) => {
        const { first, count } = slots[k];
        out.obs.set(r.obs, first * O);
        out.rewards.set(r.rewards, first);
        out.terminated.set(r.terminated, first);
        out.truncated.set(r.truncated, first);
        if (r.finalObs) (out.finalObs ??= new Float32Array(N * O)).set(r.finalObs, first * O);
        for (const [key, vals] of Object.entries(r.info ?? {})) (out.info![key] ??= new Float32Array(N)).set(vals.subarray(0, count), first);
      });
      return out;
    },
    close() {
      try {
        all(() => ({ cmd: 'close' }));
      } finally {
        for (const s of slots) void s.worker.terminate();
      }
    },
  };
  const nominal = hello[0].nominal as Record<string, number> | null;
  if (nominal) v.nominalParams = () => ({ ...nominal });
  if (hello.every((h) => h.stateful)) {
    v.getState = () => ({ slices: all(() => ({ cmd: 'getState' })).map((r) => r.state) });
    v.setState = (s: unknown) => {
      const st = s as { slices?: unknown[] };
      if (!Array.isArray(st.slices) || st.slices.length !== slots.length)
        throw new Error(`vector env state has ${st.slices?.length ?? 0} slices, this vector ${slots.length} (resume with the same number of env workers)`);
      all((k) => ({ cmd: 'setState', state: st.slices![k] }));
    };
  }
  return v;
}
