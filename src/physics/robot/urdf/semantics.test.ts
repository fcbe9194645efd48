import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Inertial, Pose, RobotModel } from '../model.js';
import { parseUrdf } from './parse.js';
import { combineInertials, listMimicJoints, prepareForPhysics, totalMass } from './semantics.js';
import { fixture } from './test-util.js';

const load = (rel: string) => parseUrdf(readFileSync(fixture(rel), 'utf8')).model;

/** Independent reference: sum of R I R^T + m (|d|^2 E - d d^T), with plain 3x3 arrays. */
function referenceInertia(parts: { m: number; com: number[]; R: number[][]; I: number[] }[]) {
  const M = parts.reduce((s, p) => s + p.m, 0);
  const c = [0, 1, 2].map((k) => parts.reduce((s, p) => s + p.m * p.com[k], 0) / M);
  const T = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (const p of parts) {
    const Ib = [[p.I[0], 0, 0], [0, p.I[1], 0], [0, 0, p.I[2]]];
    const d = [0, 1, 2].map((k) => p.com[k] - c[k]);
    const d2 = d[0] ** 2 + d[1] ** 2 + d[2] ** 2;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        let rir = 0;
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) rir += p.R[i][a] * Ib[a][b] * p.R[j][b];
        T[i][j] += rir + p.m * ((i === j ? d2 : 0) - d[i] * d[j]);
      }
  }
  return { M, c, T };
}

describe('fixed-joint merging', () => {
  const arm = load('arm/arm.urdf');
  const pm = prepareForPhysics(arm);

  it('drops the world link and fixes the base at the joint origin', () => {
    expect(pm.fixedBase).toBe(true);
    expect(pm.model.root).toBe('base_link');
    expect(pm.basePose.xyz).toEqual([0, 0, 0.1]);
    expect(pm.model.links.map((l) => l.name)).toEqual(['base_link', 'link1', 'link2', 'spinner']);
    expect(pm.model.joints.map((j) => `${j.parent}->${j.child}`)).toEqual(['base_link->link1', 'link1->link2', 'link2->spinner']);
  });

  it('combines masses, COMs and inertias with the parallel-axis theorem', () => {
    const body = pm.model.links.find((l) => l.name === 'link2')!;
    // By hand: tool frame at z 0.32 turned 90 deg about z; camera at (0, 0.05, 0.32), Rz(90) Ry(90).
    const Rz = [[0, -1, 0], [1, 0, 0], [0, 0, 1]];
    const RzRy = [[0, -1, 0], [0, 0, 1], [-1, 0, 0]];
    const ref = referenceInertia([
      { m: 0.8, com: [0, 0, 0.15], R: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], I: [0.006, 0.006, 0.0003] },
      { m: 0.2, com: [0, 0.01, 0.35], R: Rz, I: [1e-4, 2e-4, 3e-4] },
      { m: 0.1, com: [0, 0.06, 0.32], R: RzRy, I: [1e-5, 2e-5, 4e-5] },
    ]);
    const i = body.inertial!;
    expect(i.mass).toBeCloseTo(1.1, 12);
    expect(ref.c[1]).toBeCloseTo(0.008 / 1.1, 12);
    for (let k = 0; k < 3; k++) expect(i.origin.xyz[k]).toBeCloseTo(ref.c[k], 12);
    expect(i.origin.quat).toEqual([0, 0, 0, 1]);
    const t = i.inertia;
    const got = [[t.ixx, t.ixy, t.ixz], [t.ixy, t.iyy, t.iyz], [t.ixz, t.iyz, t.izz]];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(got[a][b]).toBeCloseTo(ref.T[a][b], 12);
    // A cross-check of one entry fully by hand: izz = sum izz_i + m (dx^2 + dy^2).
    const cy = 0.008 / 1.1;
    const izz = 0.0003 + 3e-4 + 1e-5 + 0.8 * cy ** 2 + 0.2 * (0.01 - cy) ** 2 + 0.1 * (0.06 - cy) ** 2;
    expect(t.izz).toBeCloseTo(izz, 14);
  });

  it('re-poses visuals and collisions into the body frame', () => {
    const body = pm.model.links.find((l) => l.name === 'link2')!;
    expect(body.visuals).toHaveLength(2); // link2 box + tool sphere
    const sphere = body.visuals[1];
    expect(sphere.geometry.kind).toBe('sphere');
    for (const [k, v] of [0, 0, 0.35].entries()) expect(sphere.origin.xyz[k]).toBeCloseTo(v, 12);
    expect(body.collisions).toHaveLength(1);
    // The joint after the merged chain hangs off the camera frame, re-expressed in link2's frame.
    const spin = pm.model.joints.find((j) => j.name === 'spinner_joint')!;
    for (const [k, v] of [0, 0.05, 0.32].entries()) expect(spin.origin.xyz[k]).toBeCloseTo(v, 12);
    expect(pm.linkToBody.camera_link.body).toBe('link2');
    expect(pm.linkToBody.world.body).toBe('base_link');
  });

  it('gives moving massless links a small default, with a warning', () => {
    const spinner = pm.model.links.find((l) => l.name === 'spinner')!;
    expect(spinner.inertial!.mass).toBe(0.01);
    expect(pm.warnings.some((w) => w.code === 'massless-link' && /spinner/.test(w.message))).toBe(true);
    // totals: merging conserves mass apart from the default
    expect(pm.model.links.reduce((s, l) => s + l.inertial!.mass, 0)).toBeCloseTo(totalMass(arm) + 0.01, 12);
    // the input model is not modified
    expect(arm.links.find((l) => l.name === 'spinner')!.inertial).toBeUndefined();
    expect(arm.links).toHaveLength(8);
  });

  it('merges massless helper links on a floating base (base_footprint)', () => {
    const demo = load('ros_ws/src/demo_description/urdf/demo.urdf');
    const p = prepareForPhysics(demo);
    expect(p.fixedBase).toBe(false);
    expect(p.model.links.map((l) => l.name)).toEqual(['base_footprint', 'upper_arm', 'forearm']);
    const base = p.model.links[0];
    expect(base.inertial!.mass).toBe(5);
    for (const [k, v] of [0, 0, 0.1].entries()) expect(base.inertial!.origin.xyz[k]).toBeCloseTo(v, 12);
    expect(p.warnings).toEqual([]);
  });

  it('keeps everything when merging is off, with defaults for massless links', () => {
    const p = prepareForPhysics(arm, { mergeFixedJoints: false });
    expect(p.model.links).toHaveLength(7); // world dropped
    expect(p.model.joints).toHaveLength(6);
    expect(p.warnings.filter((w) => w.code === 'massless-link').map((w) => w.message)).toEqual([
      expect.stringMatching(/wrist_mount/),
      expect.stringMatching(/spinner/),
    ]);
  });

  it('lets the user float a base on a world link, and fix any other base', () => {
    expect(prepareForPhysics(arm, { fixedBase: false }).fixedBase).toBe(false);
    expect(prepareForPhysics(load('quadruped/quadruped.urdf'), { fixedBase: true }).fixedBase).toBe(true);
    expect(prepareForPhysics(load('quadruped/quadruped.urdf')).fixedBase).toBe(false);
  });
});

describe('mass defaults and inertia checks', () => {
  it('adds inertia to point masses and flags impossible tensors', () => {
    const p = prepareForPhysics(load('quirks/quirks.urdf'));
    const l = p.model.links.find((x) => x.name === 'l_continuous')!;
    expect(l.inertial!.mass).toBe(1);
    expect(l.inertial!.inertia.ixx).toBeGreaterThan(0);
    expect(p.warnings.some((w) => w.code === 'zero-inertia')).toBe(true);
    // l_fixed (2.5 kg) is merged into base (15 kg)
    expect(p.model.links.find((x) => x.name === 'base')!.inertial!.mass).toBe(17.5);

    const bad: RobotModel = {
      name: 'b', root: 'a', joints: [],
      links: [{ name: 'a', visuals: [], collisions: [], inertial: { mass: 1, origin: { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }, inertia: { ixx: 1, iyy: 1, izz: 3, ixy: 0, ixz: 0, iyz: 0 } } }],
    };
    expect(prepareForPhysics(bad).warnings.map((w) => w.code)).toEqual(['bad-inertia']);
    bad.links[0].inertial!.inertia = { ixx: -1, iyy: 1, izz: 1, ixy: 0, ixz: 0, iyz: 0 };
    const fixed = prepareForPhysics(bad);
    expect(fixed.warnings.map((w) => w.code)).toEqual(['zero-inertia']);
    expect(fixed.model.links[0].inertial!.inertia).toEqual({ ixx: 1, iyy: 1, izz: 1, ixy: 0, ixz: 0, iyz: 0 });
  });

  it('combineInertials keeps a single inertial untouched and handles rotated frames', () => {
    const one: Inertial = { mass: 2, origin: { xyz: [1, 2, 3], quat: [0, 0, Math.SQRT1_2, Math.SQRT1_2] }, inertia: { ixx: 1, iyy: 2, izz: 3, ixy: 0, ixz: 0, iyz: 0 } };
    const id: Pose = { xyz: [0, 0, 0], quat: [0, 0, 0, 1] };
    expect(combineInertials([{ inertial: one, pose: id }])).toEqual(one);
    // Two point-like masses 1 m apart: I about the middle = 2 * m * 0.5^2 on y and z.
    const pt = (x: number): { inertial: Inertial; pose: Pose } => ({
      inertial: { mass: 1, origin: { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }, inertia: { ixx: 0, iyy: 0, izz: 0, ixy: 0, ixz: 0, iyz: 0 } },
      pose: { xyz: [x, 0, 0], quat: [0, 0, 0, 1] },
    });
    const c = combineInertials([pt(0), pt(1)])!;
    expect(c.origin.xyz).toEqual([0.5, 0, 0]);
    expect(c.inertia.iyy).toBeCloseTo(0.5, 14);
    expect(c.inertia.izz).toBeCloseTo(0.5, 14);
    expect(c.inertia.ixx).toBe(0);
  });
});

describe('mimic joints', () => {
  it('lists them with chains resolved to the leader', () => {
    const p = prepareForPhysics(load('humanoid/humanoid.urdf'));
    expect(p.mimic).toEqual([
      { joint: 'l_gripper_mimic', leader: 'l_gripper', multiplier: -1, offset: 0 },
      { joint: 'l_finger_b_tip', leader: 'l_gripper', multiplier: -10, offset: 0.1 },
      { joint: 'r_gripper_mimic', leader: 'r_gripper', multiplier: -1, offset: 0 },
      { joint: 'r_finger_b_tip', leader: 'r_gripper', multiplier: -10, offset: 0.1 },
    ]);
    expect(p.model.links).toHaveLength(21);
    expect(totalMass(p.model)).toBeCloseTo(57.44, 10);
  });

  it('reports mimic cycles instead of looping', () => {
    const m = load('humanoid/humanoid.urdf');
    const j = m.joints.find((x) => x.name === 'l_gripper')!;
    j.mimic = { joint: 'l_gripper_mimic', multiplier: 1, offset: 0 };
    const w: { code: string; message: string }[] = [];
    const list = listMimicJoints(m, w as never);
    expect(list.some((x) => x.joint === 'l_gripper')).toBe(false);
    expect(w.some((x) => /cycle/.test(x.message))).toBe(true);
  });
});

describe('principal inertia for the physics engine', () => {
  it('diagonalizes a full tensor: R diag(m) R^T gives it back', async () => {
    const { principalAxes, rotateInertia } = await import('./math.js');
    const { principalInertial } = await import('./semantics.js');
    const I = { ixx: 0.5, iyy: 0.6, izz: 0.7, ixy: -0.01, ixz: 0.02, iyz: 0.001 };
    const { moments, quat } = principalAxes(I);
    const back = rotateInertia({ ixx: moments[0], iyy: moments[1], izz: moments[2], ixy: 0, ixz: 0, iyz: 0 }, quat);
    for (const k of Object.keys(I) as (keyof typeof I)[]) expect(back[k]).toBeCloseTo(I[k], 12);
    expect(moments.reduce((a, b) => a + b, 0)).toBeCloseTo(1.8, 12);
    // diagonal input: identity frame
    expect(principalAxes({ ixx: 1, iyy: 2, izz: 3, ixy: 0, ixz: 0, iyz: 0 })).toEqual({ moments: [1, 2, 3], quat: [0, 0, 0, 1] });
    // the merged arm body: frame composes with origin.quat
    const body = prepareForPhysics(load('arm/arm.urdf')).model.links.find((l) => l.name === 'link2')!;
    const p = principalInertial(body.inertial!);
    const again = rotateInertia({ ixx: p.principal[0], iyy: p.principal[1], izz: p.principal[2], ixy: 0, ixz: 0, iyz: 0 }, p.frame);
    for (const k of Object.keys(I) as (keyof typeof I)[]) expect(again[k]).toBeCloseTo(body.inertial!.inertia[k], 12);
  });
});
