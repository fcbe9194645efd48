/**
 * worker_thread entry of a ParallelVecEnv: hosts envs [firstIndex, firstIndex + count) of a
 * vector, answers each request on its port, then raises its flag so the host, blocked in
 * Atomics.wait, can read the answer synchronously (receiveMessageOnPort).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import type { VecEnvLike } from './env.js';

export interface VecWorkerData {
  module: string;
  id: string;
  config: unknown;
  firstIndex: number;
  count: number;
  port: MessagePort;
  flags: SharedArrayBuffer;
  slot: number;
}

export type VecWorkerRequest =
  | { cmd: 'reset'; seed: number; params?: (Record<string, number> | null)[] }
  | { cmd: 'step'; actions: Float32Array }
  | { cmd: 'getState' }
  | { cmd: 'setState'; state: unknown }
  | { cmd: 'close' };

const d = workerData as VecWorkerData;
const flags = new Int32Array(d.flags);
const answer = (msg: unknown, transfer: ArrayBuffer[] = []) => {
  d.port.postMessage(msg, transfer);
  Atomics.store(flags, d.slot, 1);
  Atomics.notify(flags, d.slot);
};

const mod = (await import(/* @vite-ignore */ d.module)) as { createVecEnvSlice(id: string, first: number, count: number, config: unknown): Promise<VecEnvLike> };
let env: VecEnvLike;
try {
  env = await mod.createVecEnvSlice(d.id, d.firstIndex, d.count, d.config);
  answer({ ok: true, observationSize: env.observationSize, actionSize: env.actionSize, actionLow: env.actionLow ?? null, actionHigh: env.actionHigh ?? null, stateful: !!env.getState, nominal: env.nominalParams?.() ?? null });
} catch (e) {
  answer({ ok: false, error: e instanceof Error ? e.message : String(e) });
  throw e;
}

d.port.on('message', (m: VecWorkerRequest) => {
  try {
    switch (m.cmd) {
      case 'reset': {
        const obs = m.params ? env.resetWithParams!(m.seed, m.params) : env.reset(m.seed);
        return answer({ ok: true, obs }, [obs.buffer as ArrayBuffer]);
      }
      case 'step': {
        const r = env.step(m.actions);
        return answer({ ok: true, ...r });
      }
      case 'getState':
        return answer({ ok: true, state: env.getState?.() ?? null });
      case 'setState':
        env.setState?.(m.state);
        return answer({ ok: true });
      case 'close':
        env.close?.();
        answer({ ok: true });
        d.port.close();
        return;
    }
  } catch (e) {
    answer({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
});
