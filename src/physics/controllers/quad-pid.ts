/**
 * The per-axis PID tracking baseline of Belkhale et al. 2021, on the velocity interface
 * (QuadPayloadVel-v0): each axis commands the reference's velocity (feed-forward) plus a PID on
 * the QUAD's position error, the quad's target being the point above the reference where the
 * payload hangs on a taut vertical cable:
 *
 *   e = quad position - (reference + cable offset) = obs[err] - obs[payload - quad] (x, y; z as is)
 *   v* = v_ref - kp e - ki integral(e) - kd (v_quad - v_ref)
 *
 * It knows nothing of the payload's mass or swing: the baseline a payload-aware model must beat.
 * Outputs the env's action (v* / maxSpeed, clipped to [-1, 1]).
 */
import { QUAD_OBS } from '../envs/quadPayload.js';

/** Gains per axis: P (1/s), I (1/s^2), D (dimensionless, on the velocity error); integral clamp (m s). */
export const PID_GAINS = { kp: 2, ki: 0.3, kd: 0.2, maxIntegral: 1 };
export type PidGains = typeof PID_GAINS;

export interface QuadPid {
  /** The velocity action (3, in [-1, 1]) for a QuadPayload observation; advances the integral by dt. */
  act(obs: ArrayLike<number>, out: Float32Array): Float32Array;
  reset(): void;
}

/** A PID tracker acting every `dt` seconds on a velocity interface scaled by `maxSpeed` (m/s per unit). */
export function quadPid(dt: number, maxSpeed: number, gains: Partial<PidGains> = {}): QuadPid {
  const G = { ...PID_GAINS, ...gains };
  const O = QUAD_OBS;
  const integral = [0, 0, 0];
  return {
    reset() {
      integral.fill(0);
    },
    act(obs, out) {
      const e = [obs[O.errX] - obs[O.payloadX], obs[O.errY] - obs[O.payloadY], obs[O.errZ]];
      const vq = [obs[O.vx], obs[O.vy], obs[O.vz]];
      const vr = [obs[O.refVx], obs[O.refVy], obs[O.refVz]];
      for (let i = 0; i < 3; i++) {
        integral[i] = Math.max(-G.maxIntegral, Math.min(G.maxIntegral, integral[i] + e[i] * dt));
        const v = vr[i] - G.kp * e[i] - G.ki * integral[i] - G.kd * (vq[i] - vr[i]);
        out[i] = Math.max(-1, Math.min(1, v / maxSpeed));
      }
      return out;
    },
  };
}
