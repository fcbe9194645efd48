/**
 * Physics semantics of a parsed URDF, as pure functions on RobotModel:
 *  - a root link named `world` is the ground: dropped, and its child becomes a fixed base;
 *  - chains of fixed joints become one rigid body (masses, COMs and inertias combined with the
 *    parallel-axis theorem; visuals and collisions re-posed into the body frame), which is what
 *    makes massless helper links (base_footprint, tool frames, sensor mounts) work;
 *  - links that must move but have no mass or no inertia get a small default, with a warning;
 *  - mimic joints are listed with chains resolved to their ultimate leader.
 */
import type { Collision, Inertial, Joint, Link, Pose, RobotModel, Visual } from '../model.js';
import type { UrdfWarning } from './errors.js';
import { addInertia, composePose, principalAxes, principalMoments, quatMul, quatNormalize, rotate, rotateInertia, shiftInertia, type InertiaTensor } from './math.js';

export interface PhysicsPrepOptions {
  /** Merge fixed-joint chains into single bodies (default true). */
  mergeFixedJoints?: boolean;
  /** Fix the base to the world. Default: fixed when the root link is named `world`, floating otherwise. */
  fixedBase?: boolean;
  /** Mass given to moving bodies without mass (kg, default 0.01). */
  minMass?: number;
  /** Principal moment given to moving bodies without inertia (kg m^2, default 1e-5). */
  minInertia?: number;
}

export interface MimicJoint {
  /** The following joint. */
  joint: string;
  /** The joint it ultimately follows (chains resolved). */
  leader: string;
  /** q_joint = multiplier * q_leader + offset */
  multiplier: number;
  offset: number;
}

export interface PhysicsModel {
  /** One link per rigid body; joints are the movable ones (and fixed ones when not merged). */
  model: RobotModel;
  fixedBase: boolean;
  /** Pose of the root body in the world at q = 0 (from a dropped `world` joint; identity otherwise). */
  basePose: Pose;
  /** Every original link: the body it belongs to and its frame in that body's frame. */
  linkToBody: Record<string, { body: string; pose: Pose }>;
  mimic: MimicJoint[];
  warnings: UrdfWarning[];
}

const IDENTITY: Pose = { xyz: [0, 0, 0], quat: [0, 0, 0, 1] };

function clonePose(p: Pose): Pose {
  return { xyz: [...p.xyz], quat: [...p.quat] };
}

function isIdentity(p: Pose): boolean {
  return p.xyz.every((v) => v === 0) && p.quat[0] === 0 && p.quat[1] === 0 && p.quat[2] === 0 && p.quat[3] === 1;
}

/** Combine inertials given in frames `poses[i]` of a common body frame into one, about the joint COM. */
export function combineInertials(parts: { inertial: Inertial; pose: Pose }[]): Inertial | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1 && isIdentity(parts[0].pose)) {
    const i = parts[0].inertial;
    return { mass: i.mass, origin: clonePose(i.origin), inertia: { ...i.inertia } };
  }
  let mass = 0;
  const c = [0, 0, 0];
  const items = parts.map(({ inertial, pose }) => {
    const frame = composePose(pose, inertial.origin);
    const I = rotateInertia(inertial.inertia, frame.quat);
    mass += inertial.mass;
    for (let k = 0; k < 3; k++) c[k] += inertial.mass * frame.xyz[k];
    return { m: inertial.mass, com: frame.xyz, I };
  });
  const com: [number, number, number] = mass > 0 ? [c[0] / mass, c[1] / mass, c[2] / mass] : [...items[0].com];
  let I: InertiaTensor = { ixx: 0, iyy: 0, izz: 0, ixy: 0, ixz: 0, iyz: 0 };
  for (const it of items) {
    const d: [number, number, number] = [it.com[0] - com[0], it.com[1] - com[1], it.com[2] - com[2]];
    I = addInertia(I, shiftInertia(it.I, it.m, d));
  }
  return { mass, origin: { xyz: com, quat: [0, 0, 0, 1] }, inertia: I };
}

/** Total mass as written in the file (sum of <inertial><mass>). */
export function totalMass(model: RobotModel): number {
  return model.links.reduce((s, l) => s + (l.inertial?.mass ?? 0), 0);
}

/**
 * Mimic joints of a model, chains resolved; bad references are reported and skipped. Linear: each
 * joint's chain is resolved once and shared by the joints that follow it (a long chain of mimics
 * was walked again from every joint on it).
 */
export function listMimicJoints(model: RobotModel, warnings: UrdfWarning[] = []): MimicJoint[] {
  type Resolved = { leader: string; multiplier: number; offset: number } | { bad: 'cycle' } | { bad: 'missing'; message: string };
  const byName = new Map(model.joints.map((j) => [j.name, j]));
  const memo = new Map<Joint, Resolved>();
  const resolve = (j: Joint): Resolved => {
    const path: Joint[] = [];
    const onPath = new Set<Joint>();
    let cur = j;
    let res: Resolved;
    for (;;) {
      const known = memo.get(cur);
      if (known) {
        res = known;
        break;
      }
      if (!cur.mimic) {
        res = { leader: cur.name, multiplier: 1, offset: 0 };
        break;
      }
      if (onPath.has(cur)) {
        res = { bad: 'cycle' };
        break;
      }
      onPath.add(cur);
      path.push(cur);
      const next = byName.get(cur.mimic.joint);
      if (!next) {
        res = { bad: 'missing', message: `joint "${cur.name}" mimics "${cur.mimic.joint}", which is not a movable joint here; mimic ignored` };
        break;
      }
      cur = next;
    }
    // q_p = m q_next + o, with q_next = M q_leader + O
    for (let i = path.length - 1; i >= 0; i--) {
      const m = path[i].mimic!;
      if (!('bad' in res)) res = { leader: res.leader, multiplier: m.multiplier * res.multiplier, offset: m.multiplier * res.offset + m.offset };
      memo.set(path[i], res);
    }
    return res;
  };
  const out: MimicJoint[] = [];
  for (const j of model.joints) {
    if (!j.mimic) continue;
    const r = resolve(j);
    if (!('bad' in r)) out.push({ joint: j.name, leader: r.leader, multiplier: r.multiplier, offset: r.offset });
    else if (r.bad === 'missing') warnings.push({ code: 'mimic', message: r.message });
    else warnings.push({ code: 'mimic', message: `mimic joints form a cycle through "${j.name}"; mimic ignored` });
  }
  return out;
}

export function prepareForPhysics(input: RobotModel, opts: PhysicsPrepOptions = {}): PhysicsModel {
  const warnings: UrdfWarning[] = [];
  const minMass = opts.minMass ?? 0.01;
  const minInertia = opts.minInertia ?? 1e-5;
  let links = input.links;
  let joints = input.joints;
  let root = input.root;
  let basePose = clonePose(IDENTITY);
  let fixedBase = opts.fixedBase;
  const linkToBody: PhysicsModel['linkToBody'] = {};

  // 1. The `world` link.
  if (root === 'world') {
    const out = joints.filter((j) => j.parent === 'world');
    const world = links.find((l) => l.name === 'world')!;
    if (out.length === 1 && (out[0].type === 'fixed' || out[0].type === 'floating')) {
      const j = out[0];
      if (world.inertial?.mass || world.visuals.length || world.collisions.length)
        warnings.push({ code: 'world-link', message: 'the "world" link has mass or geometry; it is dropped (it is the ground)' });
      links = links.filter((l) => l !== world);
      joints = joints.filter((x) => x !== j);
      root = j.child;
      basePose = clonePose(j.origin);
      fixedBase ??= j.type === 'fixed';
      linkToBody.world = { body: root, pose: invertPoseSafe(basePose) };
    } else {
      fixedBase ??= true;
      warnings.push({
        code: 'world-link',
        message: out.length === 1
          ? `the "world" link is attached by a ${out[0].type} joint; it is kept as a fixed body`
          : `the "world" link has ${out.length} child joints; it is kept as a fixed body`,
      });
    }
  }
  fixedBase ??= false;

  // 2. Which body each link belongs to.
  const childJoints = new Map<string, Joint[]>();
  for (const j of joints) {
    const l = childJoints.get(j.parent);
    if (l) l.push(j);
    else childJoints.set(j.parent, [j]);
  }
  const merge = opts.mergeFixedJoints ?? true;
  const order: string[] = [];
  const stack: string[] = [root];
  linkToBody[root] = { body: root, pose: clonePose(IDENTITY) };
  while (stack.length) {
    const name = stack.pop()!;
    order.push(name);
    for (const j of (childJoints.get(name) ?? []).slice().reverse()) {
      const pb = linkToBody[j.parent];
      linkToBody[j.child] =
        merge && j.type === 'fixed' ? { body: pb.body, pose: composePose(pb.pose, j.origin) } : { body: j.child, pose: clonePose(IDENTITY) };
      stack.push(j.child);
    }
  }

  // 3. Bodies.
  const linkByName = new Map(links.map((l) => [l.name, l]));
  const bodies = new Map<string, { link: Link; inertials: { inertial: Inertial; pose: Pose }[]; members: string[] }>();
  for (const name of order) {
    const { body, pose } = linkToBody[name];
    const src = linkByName.get(name)!;
    let b = bodies.get(body);
    if (!b) {
      b = { link: { name: body, visuals: [], collisions: [] }, inertials: [], members: [] };
      bodies.set(body, b);
    }
    b.members.push(name);
    if (src.inertial) b.inertials.push({ inertial: src.inertial, pose });
    for (const v of src.visuals) b.link.visuals.push({ ...v, origin: composePose(pose, v.origin) } as Visual);
    for (const c of src.collisions) b.link.collisions.push({ ...c, origin: composePose(pose, c.origin) } as Collision);
  }
  const outLinks: Link[] = [];
  for (const [name, b] of bodies) {
    const inertial = combineInertials(b.inertials);
    if (inertial) b.link.inertial = inertial;
    const moving = !(name === root && fixedBase);
    if (moving) fixMass(b.link, b.members, minMass, minInertia, warnings);
    outLinks.push(b.link);
  }

  // 4. Joints between bodies.
  const outJoints: Joint[] = [];
  for (const j of joints) {
    if (merge && j.type === 'fixed') continue;
    const pb = linkToBody[j.parent];
    outJoints.push({ ...j, parent: pb.body, origin: composePose(pb.pose, j.origin) });
  }

  const model: RobotModel = { name: input.name, links: outLinks, joints: outJoints, root };
  if (input.source !== undefined) model.source = input.source;
  const mimic = listMimicJoints(model, warnings);
  return { model, fixedBase, basePose, linkToBody, mimic, warnings };
}

function invertPoseSafe(p: Pose): Pose {
  const qi: [number, number, number, number] = [-p.quat[0], -p.quat[1], -p.quat[2], p.quat[3]];
  const t = rotate(qi, p.xyz);
  return { xyz: [-t[0], -t[1], -t[2]], quat: qi };
}

function fixMass(link: Link, members: string[], minMass: number, minInertia: number, warnings: UrdfWarning[]): void {
  const few = members.length > 6 ? `${members.slice(0, 6).join(', ')} and ${members.length - 6} more` : members.join(', ');
  const what = members.length > 1 ? `body "${link.name}" (links ${few})` : `link "${link.name}"`;
  const i = link.inertial;
  if (!i || !(i.mass > 0)) {
    warnings.push({
      code: 'massless-link',
      message: `${what} moves but has no mass; given ${minMass} kg and inertia ${minInertia} kg m^2`,
    });
    link.inertial = {
      mass: minMass,
      origin: i ? clonePose(i.origin) : clonePose(IDENTITY),
      inertia: { ixx: minInertia, iyy: minInertia, izz: minInertia, ixy: 0, ixz: 0, iyz: 0 },
    };
    return;
  }
  const pm = principalMoments(i.inertia);
  if (!(pm[0] > 0)) {
    // A point mass (or a degenerate tensor): give it the inertia of a small sphere, at least minInertia.
    const s = Math.max(minInertia, 0.4 * i.mass * 0.02 * 0.02);
    warnings.push({
      code: 'zero-inertia',
      message: `${what} moves but its inertia is ${pm[0] === 0 && pm[2] === 0 ? 'zero' : 'not positive definite'}; replaced by a diagonal of at least ${s.toExponential(2)} kg m^2`,
    });
    const t = i.inertia;
    i.inertia = { ixx: Math.max(Math.abs(t.ixx), s), iyy: Math.max(Math.abs(t.iyy), s), izz: Math.max(Math.abs(t.izz), s), ixy: 0, ixz: 0, iyz: 0 };
    return;
  }
  if (pm[0] + pm[1] < pm[2] * (1 - 1e-6)) {
    warnings.push({ code: 'bad-inertia', message: `${what}: principal moments ${pm.map((x) => x.toPrecision(3)).join(', ')} violate the triangle inequality` });
  }
}

/**
 * An inertial as a physics engine wants it (Rapier's setAdditionalMassProperties /
 * RigidBodyDesc.setAdditionalMassProperties): mass, COM in the link frame, principal moments, and
 * the rotation of the principal axes relative to the link frame.
 */
export function principalInertial(i: Inertial): { mass: number; com: [number, number, number]; principal: [number, number, number]; frame: [number, number, number, number] } {
  const { moments, quat } = principalAxes(i.inertia);
  return {
    mass: i.mass,
    com: [...i.origin.xyz],
    principal: [Math.max(0, moments[0]), Math.max(0, moments[1]), Math.max(0, moments[2])],
    frame: quatNormalize(quatMul(i.origin.quat, quat)),
  };
}
