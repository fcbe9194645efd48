/** Small allocation-light vector/quaternion helpers (quaternions are [x, y, z, w]). */
import type { Quat, Vec3 } from '../shared/scene.js';

export const vadd = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const vsub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const vscale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const vdot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const vcross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export const vnorm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const vnormalize = (a: Vec3): Vec3 => {
  const n = vnorm(a);
  return n > 0 ? [a[0] / n, a[1] / n, a[2] / n] : [0, 0, 0];
};

export const qidentity = (): Quat => [0, 0, 0, 1];

export function qmul(a: Quat, b: Quat): Quat {
  const [ax, ay, az, aw] = a;
  const [bx, by, bz, bw] = b;
  return [
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
    aw * bw - ax * bx - ay * by - az * bz,
  ];
}

export const qconj = (q: Quat): Quat => [-q[0], -q[1], -q[2], q[3]];

export function qnormalize(q: Quat): Quat {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  return n > 0 ? [q[0] / n, q[1] / n, q[2] / n, q[3] / n] : [0, 0, 0, 1];
}

export function qaxisAngle(axis: Vec3, angle: number): Quat {
  const a = vnormalize(axis);
  const s = Math.sin(angle / 2);
  return [a[0] * s, a[1] * s, a[2] * s, Math.cos(angle / 2)];
}

export function qrotate(q: Quat, v: Vec3): Vec3 {
  const [x, y, z, w] = q;
  // t = 2 * cross(q.xyz, v)
  const tx = 2 * (y * v[2] - z * v[1]);
  const ty = 2 * (z * v[0] - x * v[2]);
  const tz = 2 * (x * v[1] - y * v[0]);
  return [
    v[0] + w * tx + (y * tz - z * ty),
    v[1] + w * ty + (z * tx - x * tz),
    v[2] + w * tz + (x * ty - y * tx),
  ];
}

/** Rotation taking unit vector a onto unit vector b. */
export function qfromTo(a: Vec3, b: Vec3): Quat {
  const an = vnormalize(a);
  const bn = vnormalize(b);
  const d = vdot(an, bn);
  if (d < -0.999999) {
    let axis = vcross([1, 0, 0], an);
    if (vnorm(axis) < 1e-6) axis = vcross([0, 1, 0], an);
    return qaxisAngle(axis, Math.PI);
  }
  const c = vcross(an, bn);
  return qnormalize([c[0], c[1], c[2], 1 + d]);
}

/** Twist angle of q about unit axis (in (-pi, pi]). */
export function twistAngle(q: Quat, axis: Vec3): number {
  const p = q[0] * axis[0] + q[1] * axis[1] + q[2] * axis[2];
  let a = 2 * Math.atan2(p, q[3]);
  if (a > Math.PI) a -= 2 * Math.PI;
  else if (a < -Math.PI) a += 2 * Math.PI;
  return a;
}

export interface Transform {
  p: Vec3;
  q: Quat;
}

export const tcompose = (a: Transform, b: Transform): Transform => ({
  p: vadd(a.p, qrotate(a.q, b.p)),
  q: qnormalize(qmul(a.q, b.q)),
});

export const tinverse = (a: Transform): Transform => {
  const qi = qconj(a.q);
  return { p: vscale(qrotate(qi, a.p), -1), q: qi };
};

/** Tilt of a body's local +Z from world +Z, radians. */
export function tiltAngle(q: Quat): number {
  const z = qrotate(q, [0, 0, 1]);
  return Math.acos(Math.max(-1, Math.min(1, z[2])));
}
