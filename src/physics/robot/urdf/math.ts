/** Small rigid-body math for poses, quaternions ([x, y, z, w]) and inertia tensors. */
import type { Pose, Quat, Vec3 } from '../model.js';
import { qconj, qmul, qnormalize, qrotate } from '../../math.js';

/** URDF fixed-axis roll-pitch-yaw (R = Rz(yaw) Ry(pitch) Rx(roll)) to a unit quaternion. */
export function quatFromRpy(r: number, p: number, y: number): Quat {
  const cr = Math.cos(r / 2), sr = Math.sin(r / 2);
  const cp = Math.cos(p / 2), sp = Math.sin(p / 2);
  const cy = Math.cos(y / 2), sy = Math.sin(y / 2);
  return [
    sr * cp * cy - cr * sp * sy,
    cr * sp * cy + sr * cp * sy,
    cr * cp * sy - sr * sp * cy,
    cr * cp * cy + sr * sp * sy,
  ];
}

// The quaternion helpers are physics' own (src/physics/math.ts), under the names this code uses.
export { qmul as quatMul, qconj as quatConj, qnormalize as quatNormalize, qrotate as rotate };

/** a ∘ b: the pose b (expressed in frame a) expressed in a's parent frame. */
export function composePose(a: Pose, b: Pose): Pose {
  const r = qrotate(a.quat, b.xyz);
  return {
    xyz: [a.xyz[0] + r[0], a.xyz[1] + r[1], a.xyz[2] + r[2]],
    quat: qnormalize(qmul(a.quat, b.quat)),
  };
}

export function invertPose(a: Pose): Pose {
  const qi = qconj(a.quat);
  const t = qrotate(qi, a.xyz);
  return { xyz: [-t[0], -t[1], -t[2]], quat: qi };
}

/** Row-major 3x3 rotation matrix of a unit quaternion. */
export function quatToMat3(q: Quat): number[] {
  const [x, y, z, w] = q;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}

export interface InertiaTensor {
  ixx: number; iyy: number; izz: number; ixy: number; ixz: number; iyz: number;
}

export function inertiaToMat3(i: InertiaTensor): number[] {
  return [i.ixx, i.ixy, i.ixz, i.ixy, i.iyy, i.iyz, i.ixz, i.iyz, i.izz];
}

export function mat3ToInertia(m: number[]): InertiaTensor {
  return { ixx: m[0], iyy: m[4], izz: m[8], ixy: (m[1] + m[3]) / 2, ixz: (m[2] + m[6]) / 2, iyz: (m[5] + m[7]) / 2 };
}

function mul3(a: number[], b: number[]): number[] {
  const r = new Array<number>(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
  return r;
}

function transpose3(a: number[]): number[] {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

/** Express an inertia tensor given in a frame rotated by q in the outer frame: R I R^T. */
export function rotateInertia(i: InertiaTensor, q: Quat): InertiaTensor {
  const R = quatToMat3(q);
  return mat3ToInertia(mul3(mul3(R, inertiaToMat3(i)), transpose3(R)));
}

/** Parallel-axis theorem: inertia about a point displaced by d from the COM (same axes). */
export function shiftInertia(i: InertiaTensor, mass: number, d: Vec3): InertiaTensor {
  const [x, y, z] = d;
  return {
    ixx: i.ixx + mass * (y * y + z * z),
    iyy: i.iyy + mass * (x * x + z * z),
    izz: i.izz + mass * (x * x + y * y),
    ixy: i.ixy - mass * x * y,
    ixz: i.ixz - mass * x * z,
    iyz: i.iyz - mass * y * z,
  };
}

export function addInertia(a: InertiaTensor, b: InertiaTensor): InertiaTensor {
  return { ixx: a.ixx + b.ixx, iyy: a.iyy + b.iyy, izz: a.izz + b.izz, ixy: a.ixy + b.ixy, ixz: a.ixz + b.ixz, iyz: a.iyz + b.iyz };
}

/** Eigenvalues of a symmetric 3x3 (principal moments), ascending. Closed form. */
export function principalMoments(i: InertiaTensor): [number, number, number] {
  const a = i.ixx, b = i.iyy, c = i.izz, d = i.ixy, e = i.iyz, f = i.ixz;
  const p1 = d * d + e * e + f * f;
  if (p1 <= 1e-30 * Math.max(1, a * a + b * b + c * c)) {
    const s = [a, b, c].sort((x, y) => x - y);
    return [s[0], s[1], s[2]];
  }
  const q = (a + b + c) / 3;
  const p2 = (a - q) ** 2 + (b - q) ** 2 + (c - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const B = [(a - q) / p, d / p, f / p, d / p, (b - q) / p, e / p, f / p, e / p, (c - q) / p];
  const detB = B[0] * (B[4] * B[8] - B[5] * B[7]) - B[1] * (B[3] * B[8] - B[5] * B[6]) + B[2] * (B[3] * B[7] - B[4] * B[6]);
  const r = Math.min(1, Math.max(-1, detB / 2));
  const phi = Math.acos(r) / 3;
  const e1 = q + 2 * p * Math.cos(phi);
  const e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  const e2 = 3 * q - e1 - e3;
  return [e3, e2, e1];
}

/**
 * Principal moments and axes of a symmetric inertia tensor (cyclic Jacobi). Returns moments and
 * the rotation `quat` whose columns are the principal axes: I = R diag(moments) R^T.
 */
export function principalAxes(i: InertiaTensor): { moments: [number, number, number]; quat: Quat } {
  const a = inertiaToMat3(i);
  const v = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = Math.abs(a[1]) + Math.abs(a[2]) + Math.abs(a[5]);
    const scale = Math.abs(a[0]) + Math.abs(a[4]) + Math.abs(a[8]);
    if (off <= 1e-15 * scale || off === 0) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      const apq = a[p * 3 + q];
      if (apq === 0) continue;
      const theta = (a[q * 3 + q] - a[p * 3 + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      // A' = J^T A J with the Givens rotation J in the (p, q) plane.
      for (let k = 0; k < 3; k++) {
        const akp = a[k * 3 + p], akq = a[k * 3 + q];
        a[k * 3 + p] = c * akp - s * akq;
        a[k * 3 + q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p * 3 + k], aqk = a[q * 3 + k];
        a[p * 3 + k] = c * apk - s * aqk;
        a[q * 3 + k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k * 3 + p], vkq = v[k * 3 + q];
        v[k * 3 + p] = c * vkp - s * vkq;
        v[k * 3 + q] = s * vkp + c * vkq;
      }
    }
  }
  // Make it a proper rotation (det +1).
  const det = v[0] * (v[4] * v[8] - v[5] * v[7]) - v[1] * (v[3] * v[8] - v[5] * v[6]) + v[2] * (v[3] * v[7] - v[4] * v[6]);
  if (det < 0) for (let k = 0; k < 3; k++) v[k * 3 + 2] = -v[k * 3 + 2];
  return { moments: [a[0], a[4], a[8]], quat: quatFromMat3(v) };
}

/** Unit quaternion of a row-major rotation matrix. */
export function quatFromMat3(m: number[]): Quat {
  const tr = m[0] + m[4] + m[8];
  let q: Quat;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    q = [(m[7] - m[5]) / s, (m[2] - m[6]) / s, (m[3] - m[1]) / s, s / 4];
  } else if (m[0] > m[4] && m[0] > m[8]) {
    const s = Math.sqrt(1 + m[0] - m[4] - m[8]) * 2;
    q = [s / 4, (m[1] + m[3]) / s, (m[2] + m[6]) / s, (m[7] - m[5]) / s];
  } else if (m[4] > m[8]) {
    const s = Math.sqrt(1 + m[4] - m[0] - m[8]) * 2;
    q = [(m[1] + m[3]) / s, s / 4, (m[5] + m[7]) / s, (m[2] - m[6]) / s];
  } else {
    const s = Math.sqrt(1 + m[8] - m[0] - m[4]) * 2;
    q = [(m[2] + m[6]) / s, (m[5] + m[7]) / s, s / 4, (m[3] - m[1]) / s];
  }
  return qnormalize(q);
}
