/**
 * The quadrotor's low-level controller for QuadPayload-v0: a cascade that turns a commanded
 * world-frame velocity into the four rotor commands, run once per env step (the physics rate,
 * 50 Hz). It is what a planner or a tracking policy acts through (QuadPayloadVel-v0, the 'pid'
 * scripted policy), as in Belkhale et al. 2021 where the planner sends velocity commands to the
 * quad's own flight controller.
 *
 *   velocity command v*  --velocity P (PI on z)-->  desired acceleration a* (plus gravity, tilt-limited)
 *   a*                   --thrust/attitude-->  collective thrust T = m a*.z_b, desired body z along a*
 *   body z error         --attitude PD-->  body torques (nominal inertia; yaw rate damped)
 *   T, torques           --mixer-->  per-rotor thrusts -> actions in [-1, 1]
 *
 * Masses and inertia are the NOMINAL ones (body + nominal payload): a heavier payload or a longer
 * cable than nominal shows up as tracking error, which is what a payload-aware model must fix.
 */
import { QUAD_OBS, type QuadPayloadEnv } from '../envs/quadPayload.js';
import { QUAD_ROTORS, quadrotorModel, rotorLayout } from '../robots/quadrotor.js';
import type { Vec3 } from '../../shared/scene.js';

/** Gains: velocity loop (1/s, 1/s^2), accel limits (m/s^2), attitude loop (rad/s natural frequency, damping ratio), yaw-rate damping (1/s). */
export const CASCADE_GAINS = {
  kv: 5,
  /** integral gain on the horizontal axes (none needed without a steady horizontal force; it would only overshoot) */
  kviXY: 0,
  /** integral gain on the vertical axis: takes up a payload heavier than nominal (the quad sinks by about its extra weight / (m_nominal kvi) first) */
  kvi: 4,
  /** integral clamp (m/s) per axis: kvi x 1.5 = 6 m/s^2 covers a total mass up to ~1.6x the nominal */
  maxIntegral: 1.5,
  maxTiltAccel: 5,
  minVerticalAccel: 0.2,
  wn: 14,
  zeta: 0.9,
  yawDamp: 4,
};
export type CascadeGains = typeof CASCADE_GAINS;

export class QuadCascade {
  private readonly J: Vec3;
  private readonly rotors: { pos: Vec3; spin: number }[];
  private readonly arm: number;
  private readonly mass: number;
  private readonly g: number;
  private readonly dt: number;
  private readonly maxThrust: number;
  private readonly gains: CascadeGains;
  private readonly integral: Vec3 = [0, 0, 0];

  constructor(env: QuadPayloadEnv, gains: Partial<CascadeGains> = {}) {
    const model = quadrotorModel();
    const body = model.links.find((l) => l.name === 'body')?.inertial;
    if (!body) throw new Error(`${model.source ?? model.name}: link "body" has no inertial; the attitude loop needs its inertia`);
    this.J = [body.inertia.ixx, body.inertia.iyy, body.inertia.izz];
    this.rotors = rotorLayout(model);
    this.arm = this.rotors.reduce((s, r) => s + r.pos[0] * r.pos[0] + r.pos[1] * r.pos[1], 0) / 2;
    const nominal = env.nominalParams();
    this.mass = nominal['mass.body'] + nominal.payload_mass;
    this.g = Math.abs(nominal.gravity);
    this.dt = env.dt;
    this.maxThrust = env.maxThrust;
    this.gains = { ...CASCADE_GAINS, ...gains };
  }

  reset(): void {
    this.integral.fill(0);
  }

  /**
   * Rotor commands (4, in [-1, 1]) that drive the quad's velocity towards `v` (m/s, world),
   * from a QuadPayload-v0 observation; call once per env step (the integral advances by dt).
   */
  rotorCommands(obs: ArrayLike<number>, v: ArrayLike<number>, out: Float32Array): Float32Array {
    const G = this.gains, O = QUAD_OBS;
    const [w, x, y, z] = [obs[O.qw], obs[O.qx], obs[O.qy], obs[O.qz]];
    // rotation body -> world (rows)
    const R = [
      [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
      [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
      [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ];
    const zb: Vec3 = [R[0][2], R[1][2], R[2][2]];
    // velocity PI -> desired acceleration (world), gravity compensated
    const a: Vec3 = [0, 0, 0];
    const vq = [obs[O.vx], obs[O.vy], obs[O.vz]];
    for (let i = 0; i < 3; i++) {
      const e = v[i] - vq[i];
      this.integral[i] = Math.max(-G.maxIntegral, Math.min(G.maxIntegral, this.integral[i] + e * this.dt));
      a[i] = G.kv * e + (i === 2 ? G.kvi : G.kviXY) * this.integral[i];
    }
    a[2] += this.g;
    const h = Math.hypot(a[0], a[1]);
    if (h > G.maxTiltAccel) (a[0] *= G.maxTiltAccel / h), (a[1] *= G.maxTiltAccel / h);
    a[2] = Math.max(a[2], G.minVerticalAccel * this.g);
    // collective thrust along the body z, and the body z we want
    const thrust = this.mass * (a[0] * zb[0] + a[1] * zb[1] + a[2] * zb[2]);
    const n = Math.hypot(a[0], a[1], a[2]);
    const zd: Vec3 = [a[0] / n, a[1] / n, a[2] / n];
    // attitude PD: error zb x zd (world) in the body frame (R^T), body rates damped
    const ew: Vec3 = [zb[1] * zd[2] - zb[2] * zd[1], zb[2] * zd[0] - zb[0] * zd[2], zb[0] * zd[1] - zb[1] * zd[0]];
    const eb: Vec3 = [0, 1, 2].map((i) => R[0][i] * ew[0] + R[1][i] * ew[1] + R[2][i] * ew[2]) as Vec3;
    const kR = G.wn * G.wn, kw = 2 * G.zeta * G.wn;
    const tx = this.J[0] * (kR * eb[0] - kw * obs[O.wx]);
    const ty = this.J[1] * (kR * eb[1] - kw * obs[O.wy]);
    const tz = this.J[2] * -G.yawDamp * obs[O.wz];
    // mixer: thrust_i = T/4 + the torques shared by the rotors' lever arms and spins
    const nr = this.rotors.length;
    for (let i = 0; i < nr; i++) {
      const { pos, spin } = this.rotors[i];
      const f = thrust / nr + (tx * pos[1]) / this.arm - (ty * pos[0]) / this.arm + (tz * spin) / (nr * QUAD_ROTORS.yawPerThrust);
      out[i] = Math.max(-1, Math.min(1, (2 * f) / this.maxThrust - 1));
    }
    return out;
  }
}
