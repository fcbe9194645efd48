/**
 * A hover/track controller for QuadPayload-v0 (a scripted baseline, not learned): cascaded PD.
 * The outer loop asks for an acceleration that brings the quad over the tracked point of the
 * reference (position and velocity errors from the observation; the payload's horizontal offset
 * moves the quad over it), plus gravity; the thrust is that acceleration along the body's z, and
 * the inner loop tilts the body z towards it (attitude PD on the nominal inertia, yaw rate damped).
 * Masses and inertia are the nominal ones: DR draws show up as tracking error, as they should.
 */
import { QUAD_OBS, type QuadPayloadEnv } from '../envs/quadPayload.js';
import { QUAD_ROTORS, quadrotorModel, rotorLayout } from '../robots/quadrotor.js';
import type { Vec3 } from '../../shared/scene.js';

/** Outer loop gains (1/s^2, 1/s), inner loop (rad/s natural frequency, damping as 2 zeta wn). */
const GAINS = { kp: 3, kd: 3, ki: 0.5, maxTiltAccel: 4, wn: 12, zeta: 0.9, yawDamp: 4 };

export interface QuadTracker {
  act(obs: Float32Array, out: Float32Array): Float32Array;
  reset(): void;
}

export function quadTracker(env: QuadPayloadEnv): QuadTracker {
  const model = quadrotorModel();
  const body = model.links.find((l) => l.name === 'body')!.inertial!;
  const J: Vec3 = [body.inertia.ixx, body.inertia.iyy, body.inertia.izz];
  const rotors = rotorLayout(model);
  const nominal = env.nominalParams();
  const mass = nominal['mass.body'] + nominal.payload_mass;
  const g = Math.abs(nominal.gravity);
  const yawPerThrust = QUAD_ROTORS.yawPerThrust;
  let integralZ = 0;
  const dt = env.dt;
  const O = QUAD_OBS;
  return {
    reset() {
      integralZ = 0;
    },
    act(obs, out) {
      const [w, x, y, z] = [obs[O.qw], obs[O.qx], obs[O.qy], obs[O.qz]];
      // rotation body -> world (rows)
      const R = [
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
      ];
      const zb: Vec3 = [R[0][2], R[1][2], R[2][2]];
      // quad's position error: the tracked point's, moved by the payload's horizontal offset
      const e: Vec3 = [obs[O.errX] - obs[O.payloadX], obs[O.errY] - obs[O.payloadY], obs[O.errZ]];
      const ev: Vec3 = [obs[O.vx] - obs[O.refVx], obs[O.vy] - obs[O.refVy], obs[O.vz] - obs[O.refVz]];
      integralZ = Math.max(-2, Math.min(2, integralZ + e[2] * dt));
      const a: Vec3 = [0, 1, 2].map((i) => -GAINS.kp * e[i] - GAINS.kd * ev[i]) as Vec3;
      a[2] += g - GAINS.ki * integralZ;
      const h = Math.hypot(a[0], a[1]);
      if (h > GAINS.maxTiltAccel) (a[0] *= GAINS.maxTiltAccel / h), (a[1] *= GAINS.maxTiltAccel / h);
      a[2] = Math.max(a[2], 0.2 * g);
      const thrust = mass * (a[0] * zb[0] + a[1] * zb[1] + a[2] * zb[2]);
      const n = Math.hypot(a[0], a[1], a[2]);
      const zd: Vec3 = [a[0] / n, a[1] / n, a[2] / n];
      // attitude error zb x zd (world), in the body frame (R^T)
      const ew: Vec3 = [zb[1] * zd[2] - zb[2] * zd[1], zb[2] * zd[0] - zb[0] * zd[2], zb[0] * zd[1] - zb[1] * zd[0]];
      const eb: Vec3 = [0, 1, 2].map((i) => R[0][i] * ew[0] + R[1][i] * ew[1] + R[2][i] * ew[2]) as Vec3;
      const kR = GAINS.wn * GAINS.wn, kw = 2 * GAINS.zeta * GAINS.wn;
      const tx = J[0] * (kR * eb[0] - kw * obs[O.wx]);
      const ty = J[1] * (kR * eb[1] - kw * obs[O.wy]);
      const tz = J[2] * -GAINS.yawDamp * obs[O.wz];
      // mix: thrust_i = T/4 + torques shared by the rotors' lever arms and spins
      const arm = rotors.reduce((s, r) => s + r.pos[0] * r.pos[0] + r.pos[1] * r.pos[1], 0) / 2;
      for (let i = 0; i < rotors.length; i++) {
        const { pos, spin } = rotors[i];
        const f = thrust / rotors.length + (tx * pos[1]) / arm - (ty * pos[0]) / arm + (tz * spin) / (rotors.length * yawPerThrust);
        out[i] = Math.max(-1, Math.min(1, (2 * f) / env.maxThrust - 1));
      }
      return out;
    },
  };
}
