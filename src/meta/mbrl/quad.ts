/**
 * QuadPayloadVel-v0 as a model-based meta-RL task family (Belkhale et al. 2021): the quadrotor
 * flies velocity commands through its own cascaded controller (0.2 s per command); a task is a
 * payload (payload_mass kg, cable_length m) set at reset. Meta-training draws from a few payloads
 * (two cable lengths x two masses, as the paper trains on two lengths); the test payloads lie
 * between them and outside their range. Importing this module registers 'QuadPayloadVel-v0' for
 * {@link resolveTask}.
 *
 * The model never reads the tracking error (obs 0-2, payload minus reference): the dynamics do not
 * depend on where the reference is. It still predicts its change (payload velocity minus the
 * reference's, which the obs holds), so the env's own tracking reward scores imagined transitions.
 */
import path from 'node:path';
import { makeEnv } from '../../physics/envs/registry.js';
import { QUAD_OBS } from '../../physics/envs/quadPayload.js';
import type { QuadVelConfig } from '../../physics/envs/quadPayloadVel.js';
import { registerMbTask } from './envs.js';
import { mbEnvOf } from './physics-env.js';
import type { MbTaskSpec } from './types.js';

export const QUAD_TASK_ID = 'QuadPayloadVel-v0';

/** A payload as a task: its parameters, set at reset (types.ts resetInto). */
export type PayloadTask = { kind: 'setParams'; params: { payload_mass: number; cable_length: number } };
export const payload = (payload_mass: number, cable_length: number): PayloadTask => ({ kind: 'setParams', params: { payload_mass, cable_length } });

/** Meta-training payloads: cable 0.3 and 1.0 m x payload 0.1 and 0.3 kg. */
export const QUAD_TRAIN_PAYLOADS = [payload(0.1, 0.3), payload(0.1, 1.0), payload(0.3, 0.3), payload(0.3, 1.0)];

/** Held-out payloads of the README's protocol: a cable length between the trained ones, and one beyond them. */
export const QUAD_TEST_PAYLOADS = { interpolated: payload(0.2, 0.65), outside: payload(0.2, 1.3) };

/**
 * The interface the models fly: one velocity command per 0.2 s (Belkhale et al.: 0.25 s), so that
 * CEM's 5-step horizon sees 1 s ahead, long enough for a command to move the payload (at 0.1 s the
 * 0.5 s horizon barely saw the quad respond, and MPC tracked ~4x worse than PID). The figure-8.
 */
export const QUAD_MB_CONFIG: QuadVelConfig = { reference: 'figure8', controlPeriod: 0.2 };

export function quadTaskSpec(config: QuadVelConfig = {}): MbTaskSpec {
  const cfg: QuadVelConfig = { ...QUAD_MB_CONFIG, ...config };
  return {
    id: QUAD_TASK_ID,
    make: async () => mbEnvOf(await makeEnv(QUAD_TASK_ID, cfg)),
    trainFaults: QUAD_TRAIN_PAYLOADS,
    testFault: QUAD_TEST_PAYLOADS.interpolated,
    positionIndices: null,
    excludeInputDims: [QUAD_OBS.errX, QUAD_OBS.errY, QUAD_OBS.errZ],
    episodeSteps: 50,
  };
}

registerMbTask(QUAD_TASK_ID, () => quadTaskSpec());

/** The quadrotor's methods that plan with a learned model (the oracle's checkpoint is a 'params' model). */
export type QuadModelMethod = 'latent' | 'mb' | 'mbhist' | 'oracle';

/** Where a method's checkpoint is: <root>/QuadPayloadVel-v0/<method>.json (root: assets/checkpoints under the current directory). */
export function quadCheckpointPath(method: QuadModelMethod, root = path.resolve('assets/checkpoints')): string {
  return path.join(root, QUAD_TASK_ID, `${method}.json`);
}
