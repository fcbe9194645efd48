/**
 * Mass properties from geometry (MuJoCo's inertiafromgeom, for the built-in robots written from
 * Gym's MJCF) and helpers to combine inertials and diagonalise an inertia tensor.
 */
import type { Geometry, Inertial, Pose, Vec3 } from './model.js';
import { qfromTo, qmul, qnormalize, qrotate, vadd, vscale, vsub } from '../math.js';
import type { Quat } from '../../shared/scene.js';

type Sym3 = [number, number, number, number, number, number]; // xx yy zz xy xz yz

/** Mass and inertia about the COM, in the geometry frame (COM at origin for our primitives). */
export function geometryMassProps(g: Geometry, density: number): { mass: number; I: Sym3 } {
  switch (g.kind) {
    case 'sphere': {
      const m = density * (4 / 3) * Math.PI * g.radius ** 3;
      const i = 0.4 * m * g.radius ** 2;
      return { mass: m, I: [i, i, i, 0, 0, 0] };
    }
    case 'box': {
      const [a, b, c] = g.size;
      const m = density * a * b * c;
      return { mass: m, I: [(m * (b * b + c * c)) / 12, (m * (a * a + c * c)) / 12, (m * (a * a + b * b)) / 12, 0, 0, 0] };
    }
    case 'cylinder': {
      const r = g.radius, h = g.length;
      const m = density * Math.PI * r * r * h;
      const ixx = (m * (3 * r * r + h * h)) / 12;
      return { mass: m, I: [ixx, ixx, 0.5 * m * r * r, 0, 0, 0] };
    }
    case 'capsule': {
      // cylinder of length h plus two hemispheres (exact, about the centre)
      const r = g.radius, h = g.length;
      const mc = density * Math.PI * r * r * h;
      const mh = density * (2 / 3) * Math.PI * r ** 3; // one hemisphere
      const izz = 0.5 * mc * r * r + 2 * (0.4 * mh * r * r);
      // hemisphere about its own COM (3/8 r from flat face): I = 83/320 m r^2
      const dh = h / 2 + (3 / 8) * r;
      const ixx = (mc * (3 * r * r + h * h)) / 12 + 2 * ((83 / 320) * mh * r * r + mh * dh * dh);
      return { mass: mc + 2 * mh, I: [ixx, ixx, izz, 0, 0, 0] };
    }
    default:
      throw new Error(`inertia from ${g.kind} geometry is not supported`);
  }
}

function rotateSym(I: Sym3, q: Quat): Sym3 {
  // R I R^T
  const c0 = qrotate(q, [1, 0, 0]), c1 = qrotate(q, [0, 1, 0]), c2 = qrotate(q, [0, 0, 1]);
  const R = [
    [c0[0], c1[0], c2[0]],
    [c0[1], c1[1], c2[1]],
    [c0[2], c1[2], c2[2]],
  ];
  const M = [
    [I[0], I[3], I[4]],
    [I[3], I[1], I[5]],
    [I[4], I[5], I[2]],
  ];
  const out = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) s += R[i][k] * M[k][l] * R[j][l];
      out[i][j] = s;
    }
  return [out[0][0], out[1][1], out[2][2], out[0][1], out[0][2], out[1][2]];
}

function parallelAxis(m: number, d: Vec3): Sym3 {
  const [x, y, z] = d;
  return [m * (y * y + z * z), m * (x * x + z * z), m * (x * x + y * y), -m * x * y, -m * x * z, -m * y * z];
}

export interface MassPart {
  mass: number;
  com: Vec3;
  /** inertia about com, in the common frame */
  I: Sym3;
}

export function combine(parts: MassPart[]): MassPart {
  const mass = parts.reduce((s, p) => s + p.mass, 0);
  let com: Vec3 = [0, 0, 0];
  for (const p of parts) com = vadd(com, vscale(p.com, p.mass));
  com = mass > 0 ? vscale(com, 1 / mass) : [0, 0, 0];
  const I: Sym3 = [0, 0, 0, 0, 0, 0];
  for (const p of parts) {
    const pa = parallelAxis(p.mass, vsub(p.com, com));
    for (let i = 0; i < 6; i++) I[i] += p.I[i] + pa[i];
  }
  return { mass, com, I };
}

export function inertialToPart(inertial: Inertial, frame: Pose = { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }): MassPart {
  const q = qnormalize(qmul(frame.quat, inertial.origin.quat));
  const com = vadd(frame.xyz, qrotate(frame.quat, inertial.origin.xyz));
  const t = inertial.inertia;
  return { mass: inertial.mass, com, I: rotateSym([t.ixx, t.iyy, t.izz, t.ixy, t.ixz, t.iyz], q) };
}

export function partToInertial(p: MassPart): Inertial {
  return {
    mass: p.mass,
    origin: { xyz: p.com, quat: [0, 0, 0, 1] },
    inertia: { ixx: p.I[0], iyy: p.I[1], izz: p.I[2], ixy: p.I[3], ixz: p.I[4], iyz: p.I[5] },
  };
}

/** Inertial of a set of geometries with uniform density, each at a pose in the link frame. */
export function inertialFromGeoms(geoms: { geometry: Geometry; origin: Pose }[], density: number): Inertial {
  const parts: MassPart[] = geoms.map(({ geometry, origin }) => {
    const mp = geometryMassProps(geometry, density);
    return { mass: mp.mass, com: origin.xyz, I: rotateSym(mp.I, origin.quat) };
  });
  return partToInertial(combine(parts));
}

/** Jacobi eigen-decomposition: principal moments and the rotation of the principal frame. */
export function principal(I: Sym3): { moments: Vec3; frame: Quat } {
  const a = [
    [I[0], I[3], I[4]],
    [I[3], I[1], I[5]],
    [I[4], I[5], I[2]],
  ];
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = Math.abs(a[0][1]) + Math.abs(a[0][2]) + Math.abs(a[1][2]);
    if (off < 1e-15 * (Math.abs(a[0][0]) + Math.abs(a[1][1]) + Math.abs(a[2][2]) + 1e-30)) break;
    for (let p = 0; p < 2; p++)
      for (let q = p + 1; q < 3; q++) {
        if (Math.abs(a[p][q]) < 1e-30) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < 3; k++) {
          const akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < 3; k++) {
          const apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < 3; k++) {
          const vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
  }
  // columns of v are eigenvectors; make it a proper rotation
  const c0: Vec3 = [v[0][0], v[1][0], v[2][0]];
  const c1: Vec3 = [v[0][1], v[1][1], v[2][1]];
  let c2: Vec3 = [v[0][2], v[1][2], v[2][2]];
  const cr: Vec3 = [c0[1] * c1[2] - c0[2] * c1[1], c0[2] * c1[0] - c0[0] * c1[2], c0[0] * c1[1] - c0[1] * c1[0]];
  if (cr[0] * c2[0] + cr[1] * c2[1] + cr[2] * c2[2] < 0) c2 = [-c2[0], -c2[1], -c2[2]];
  return { moments: [a[0][0], a[1][1], a[2][2]], frame: matToQuat(c0, c1, c2) };
}

function matToQuat(c0: Vec3, c1: Vec3, c2: Vec3): Quat {
  const m00 = c0[0], m10 = c0[1], m20 = c0[2];
  const m01 = c1[0], m11 = c1[1], m21 = c1[2];
  const m02 = c2[0], m12 = c2[1], m22 = c2[2];
  const tr = m00 + m11 + m22;
  let q: Quat;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    q = [(m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s, 0.25 * s];
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    q = [0.25 * s, (m01 + m10) / s, (m02 + m20) / s, (m21 - m12) / s];
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    q = [(m01 + m10) / s, 0.25 * s, (m12 + m21) / s, (m02 - m20) / s];
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    q = [(m02 + m20) / s, (m12 + m21) / s, 0.25 * s, (m10 - m01) / s];
  }
  return qnormalize(q);
}

/** Pose of a capsule (along local Z) spanning from a to b, MJCF fromto style. */
export function fromTo(a: Vec3, b: Vec3): { origin: Pose; length: number } {
  const d = vsub(b, a);
  const len = Math.hypot(d[0], d[1], d[2]);
  return { origin: { xyz: vscale(vadd(a, b), 0.5), quat: qfromTo([0, 0, 1], d) }, length: len };
}
