/**
 * Worker thread hosting a slice of a vectorized env (see ../vector.ts). Messages:
 *   {type:'init', id, envId, config, count}          -> {type:'ready', id, observationSize, actionSize}
 *   {type:'reset', id, seeds:number[]|null}          -> {type:'obs', id, obs}
 *   {type:'step', id, actions}                       -> {type:'step', id, obs, finalObs, rewards, terminated, truncated, xVelocity}
 *   {type:'poses', id}                               -> {type:'poses', id, poses}
 *   {type:'simulate', id, opts}                      -> {type:'simulate', id, summary}
 *   {type:'close'}
 * Envs auto-reset in the same step when an episode ends (finalObs holds the last observation).
 */
import { parentPort } from 'node:worker_threads';
import { makeEnv } from '../envs/registry.js';
import { simulate, type SimulateOptions } from '../simulate.js';
import type { Env, EnvConfig, EnvId } from '../envs/types.js';

type Msg =
  | { type: 'init'; id: number; envId: EnvId; config: EnvConfig; count: number }
  | { type: 'reset'; id: number; seeds: number[] | null }
  | { type: 'step'; id: number; actions: Float32Array }
  | { type: 'poses'; id: number }
  | { type: 'simulate'; id: number; opts: Omit<SimulateOptions, 'env'> & { env: EnvId } }
  | { type: 'close' };

let envs: Env[] = [];
const port = parentPort!;

port.on('message', async (m: Msg) => {
  try {
    switch (m.type) {
      case 'init': {
        envs = [];
        for (let i = 0; i < m.count; i++) envs.push(await makeEnv(m.envId, m.config));
        port.postMessage({ type: 'ready', id: m.id, observationSize: envs[0].observationSize, actionSize: envs[0].actionSize, bodyCount: envs[0].bodyCount });
        break;
      }
      case 'reset': {
        const no = envs[0].observationSize;
        const obs = new Float32Array(envs.length * no);
        envs.forEach((e, i) => obs.set(e.reset(m.seeds ? { seed: m.seeds[i] } : {}).obs, i * no));
        port.postMessage({ type: 'obs', id: m.id, obs }, [obs.buffer]);
        break;
      }
      case 'step': {
        const no = envs[0].observationSize, na = envs[0].actionSize, n = envs.length;
        const obs = new Float32Array(n * no), finalObs = new Float32Array(n * no);
        const rewards = new Float32Array(n), xVelocity = new Float32Array(n);
        const terminated = new Uint8Array(n), truncated = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const r = envs[i].step(m.actions.subarray(i * na, (i + 1) * na));
          finalObs.set(r.obs, i * no);
          rewards[i] = r.reward;
          xVelocity[i] = r.info.x_velocity;
          terminated[i] = r.terminated ? 1 : 0;
          truncated[i] = r.truncated ? 1 : 0;
          obs.set(r.terminated || r.truncated ? envs[i].reset().obs : r.obs, i * no);
        }
        port.postMessage({ type: 'step', id: m.id, obs, finalObs, rewards, terminated, truncated, xVelocity }, [obs.buffer, finalObs.buffer, rewards.buffer, terminated.buffer, truncated.buffer, xVelocity.buffer]);
        break;
      }
      case 'poses': {
        const bc = envs[0].bodyCount;
        const poses = new Float32Array(envs.length * bc * 7);
        envs.forEach((e, i) => e.writePoses(poses, i * bc * 7));
        port.postMessage({ type: 'poses', id: m.id, poses }, [poses.buffer]);
        break;
      }
      case 'simulate': {
        const summary = await simulate(m.opts);
        port.postMessage({ type: 'simulate', id: m.id, summary });
        break;
      }
      case 'close':
        envs.forEach((e) => e.dispose());
        envs = [];
        port.close();
        break;
    }
  } catch (err) {
    port.postMessage({ type: 'error', id: (m as { id?: number }).id ?? -1, message: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
