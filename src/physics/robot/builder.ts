/**
 * Robot model -> Rapier bodies, colliders and impulse joints (one or many robots per world).
 *
 * - Every link connected by a movable joint becomes one rigid body; links welded by `fixed`
 *   joints are merged into their parent's body (their colliders and inertials are combined).
 * - Revolute/continuous/prismatic joints become impulse joints with limits (rapier.js
 *   multibody joints have no limits or motors). The joint frames are set so that q = 0 is the
 *   model's zero and the free axis is the model axis.
 * - A `planar` joint from `world` locks every body of the robot to the plane (axis-aligned
 *   normal only); a `fixed` joint from `world` makes the root fixed; no world joint = floating.
 * - A `floating` joint between two links makes the child an unconnected free body (used for the
 *   quadrotor's payload, which the env attaches with a rope joint).
 * - Colliders carry no mass: each body gets the model's inertial (mass, COM, principal inertia).
 * - Robot colliders touch the ground but not each other (Gym's ant/hopper contact filtering).
 */
import type { Rapier } from '../rapier.js';
import type RAPIER from '@dimforge/rapier3d-compat';
import type { BodySpec, VisualSpec } from '../../shared/scene.js';
import type { Geometry, Joint, RobotModel, Vec3 } from './model.js';
import { combine, inertialToPart, principal, type MassPart } from './inertia.js';
import { qaxisAngle, qconj, qfromTo, qmul, qnormalize, qrotate, tcompose, vcross, vadd, vsub, type Transform } from '../math.js';

export const GROUP_GROUND = 0x0001;
export const GROUP_ROBOT = 0x0002;
/** membership << 16 | filter */
export const ROBOT_COLLISION_GROUPS = (GROUP_ROBOT << 16) | GROUP_GROUND;
export const GROUND_COLLISION_GROUPS = (GROUP_GROUND << 16) | GROUP_ROBOT;

export interface BuiltJoint {
  name: string;
  /** index into BuiltRobot.joints */
  index: number;
  type: 'revolute' | 'continuous' | 'prismatic';
  parentBody: number;
  childBody: number;
  /** unit axis in the child body frame (== joint frame axis) */
  axis: Vec3;
  /** rotation of the child body frame in the parent body frame at q = 0 */
  zeroRot: [number, number, number, number];
  /** joint anchor in the parent/child body frames */
  anchorParent: Vec3;
  anchorChild: Vec3;
  lower: number;
  upper: number;
  limited: boolean;
  gear: number;
  damping: number;
  armature: number;
  frictionLoss: number;
  impulse: RAPIER.UnitImpulseJoint;
  model: Joint;
}

export interface BuiltRobot {
  model: RobotModel;
  bodies: RAPIER.RigidBody[];
  /** Name of each body (its root link). */
  bodyNames: string[];
  /** link name -> body index and the link's pose in that body frame */
  linkBody: Map<string, { body: number; T: Transform }>;
  joints: BuiltJoint[];
  /** joint indices, parents before children */
  topoOrder: number[];
  /** per-body: world pose at build time */
  initialPoses: Transform[];
  /** body mass (kg) as built */
  masses: number[];
  /** body mass properties as built (COM and principal inertia in the body frame) */
  massProps: { mass: number; com: Vec3; moments: Vec3; frame: [number, number, number, number] }[];
  sceneBodies: BodySpec[];
  base: 'floating' | 'fixed' | 'planar';
  planarNormal?: Vec3;
}

export interface BuildOptions {
  /** World pose of the root link (for a world-jointed root: composed after the world joint origin). */
  basePose?: Transform;
  /** Initial joint positions by joint name (others 0, clamped into limits when clampToLimits). */
  q?: Record<string, number>;
  clampToLimits?: boolean;
  /** Default colour for visuals without a material. */
  color?: [number, number, number, number];
  /** Collision groups for the robot's colliders. */
  collisionGroups?: number;
  /** Also give limits to Rapier's joint (default true); the actuator enforces them regardless. */
  rapierLimits?: boolean;
  /** Model armature as rotor inertia on the child body instead of in the implicit motor. */
  armatureAsInertia?: boolean;
  /** Add visuals for collision geometry too (role 'collision'). */
  collisionVisuals?: boolean;
}

const Y_TO_Z = qfromTo([0, 1, 0], [0, 0, 1]);

export function colliderDesc(R: Rapier, g: Geometry): RAPIER.ColliderDesc {
  switch (g.kind) {
    case 'sphere':
      return R.ColliderDesc.ball(g.radius);
    case 'box':
      return R.ColliderDesc.cuboid(g.size[0] / 2, g.size[1] / 2, g.size[2] / 2);
    case 'capsule':
      return R.ColliderDesc.capsule(g.length / 2, g.radius);
    case 'cylinder':
      return R.ColliderDesc.cylinder(g.length / 2, g.radius);
    case 'mesh': {
      const d = R.ColliderDesc.convexHull(new Float32Array(g.positions));
      if (!d) throw new Error('convex hull failed');
      return d;
    }
    default:
      throw new Error(`collision geometry ${g.kind} must be loaded before building`);
  }
}

/** Rapier's capsules and cylinders are along Y; the model's along Z. */
function shapeRotation(g: Geometry): [number, number, number, number] {
  return g.kind === 'capsule' || g.kind === 'cylinder' ? Y_TO_Z : [0, 0, 0, 1];
}

export function buildRobot(R: Rapier, world: RAPIER.World, model: RobotModel, opts: BuildOptions = {}): BuiltRobot {
  const linkByName = new Map(model.links.map((l) => [l.name, l]));
  const childJoints = new Map<string, Joint[]>();
  for (const j of model.joints) {
    if (!childJoints.has(j.parent)) childJoints.set(j.parent, []);
    childJoints.get(j.parent)!.push(j);
  }
  // Resolve the world attachment.
  let rootLink = model.root;
  let base: BuiltRobot['base'] = 'floating';
  let planarNormal: Vec3 | undefined;
  let rootPose: Transform = opts.basePose ?? { p: [0, 0, 0], q: [0, 0, 0, 1] };
  const rootL = linkByName.get(model.root);
  if (rootL && !rootL.inertial && rootL.collisions.length === 0 && (childJoints.get(model.root)?.length ?? 0) === 1) {
    const wj = childJoints.get(model.root)![0];
    rootLink = wj.child;
    if (!opts.basePose) rootPose = { p: wj.origin.xyz, q: wj.origin.quat };
    if (wj.type === 'fixed') base = 'fixed';
    else if (wj.type === 'planar') {
      base = 'planar';
      planarNormal = wj.axis;
    }
  }

  // Group links into bodies (depth-first from the root link).
  const bodies: RAPIER.RigidBody[] = [];
  const bodyNames: string[] = [];
  const linkBody = new Map<string, { body: number; T: Transform }>();
  const bodyLinks: string[][] = [];
  const bodyWorld: Transform[] = [];
  const pending: { link: string; world: Transform; body: number; T: Transform }[] = [];
  const movable: { joint: Joint; parentLink: string; childBody: number }[] = [];

  const newBody = (link: string, world: Transform): number => {
    const idx = bodyNames.length;
    bodyNames.push(link);
    bodyLinks.push([]);
    bodyWorld.push(world);
    return idx;
  };
  pending.push({ link: rootLink, world: rootPose, body: newBody(rootLink, rootPose), T: { p: [0, 0, 0], q: [0, 0, 0, 1] } });
  const jointQ = (j: Joint): number => {
    let q = opts.q?.[j.name] ?? 0;
    if (opts.clampToLimits !== false && j.limit && (j.type === 'revolute' || j.type === 'prismatic')) {
      q = Math.min(j.limit.upper, Math.max(j.limit.lower, q));
    }
    return q;
  };
  // Breadth-first with a read index (shift() made an 8000-link chain quadratic).
  for (let head = 0; head < pending.length; head++) {
    const { link, world, body, T } = pending[head];
    linkBody.set(link, { body, T });
    bodyLinks[body].push(link);
    for (const j of childJoints.get(link) ?? []) {
      const o: Transform = { p: j.origin.xyz, q: j.origin.quat };
      if (j.type === 'fixed') {
        pending.push({ link: j.child, world: tcompose(world, o), body, T: tcompose(T, o) });
      } else {
        const q = jointQ(j);
        let motion: Transform = { p: [0, 0, 0], q: [0, 0, 0, 1] };
        if (j.type === 'revolute' || j.type === 'continuous') motion = { p: [0, 0, 0], q: qaxisAngle(j.axis, q) };
        else if (j.type === 'prismatic') motion = { p: [j.axis[0] * q, j.axis[1] * q, j.axis[2] * q], q: [0, 0, 0, 1] };
        const cw = tcompose(tcompose(world, o), motion);
        const cb = newBody(j.child, cw);
        pending.push({ link: j.child, world: cw, body: cb, T: { p: [0, 0, 0], q: [0, 0, 0, 1] } });
        if (j.type !== 'floating' && j.type !== 'planar') movable.push({ joint: j, parentLink: link, childBody: cb });
      }
    }
  }

  // Create rigid bodies with colliders and mass properties.
  const masses: number[] = [];
  const massProps: BuiltRobot['massProps'] = [];
  const sceneBodies: BodySpec[] = [];
  const groups = opts.collisionGroups ?? ROBOT_COLLISION_GROUPS;
  for (let b = 0; b < bodyNames.length; b++) {
    const w = bodyWorld[b];
    const desc = (base === 'fixed' && b === 0 ? R.RigidBodyDesc.fixed() : R.RigidBodyDesc.dynamic())
      .setTranslation(w.p[0], w.p[1], w.p[2])
      .setRotation({ x: w.q[0], y: w.q[1], z: w.q[2], w: w.q[3] })
      .setCanSleep(false);
    const parts: MassPart[] = [];
    for (const ln of bodyLinks[b]) {
      const l = linkByName.get(ln)!;
      const T = linkBody.get(ln)!.T;
      if (l.inertial && l.inertial.mass > 0) parts.push(inertialToPart(l.inertial, { xyz: T.p, quat: T.q }));
    }
    if (opts.armatureAsInertia) {
      // rotor inertia a * n n^T (massless rotor: the same about any point) on the joint's child body
      for (const j of model.joints) {
        if (!j.armature || linkBody.get(j.child)?.body !== b || !(j.type === 'revolute' || j.type === 'continuous')) continue;
        const T = linkBody.get(j.child)!.T;
        const n = qrotate(T.q, j.axis);
        const a = j.armature;
        parts.push({ mass: 0, com: [0, 0, 0], I: [a * n[0] * n[0], a * n[1] * n[1], a * n[2] * n[2], a * n[0] * n[1], a * n[0] * n[2], a * n[1] * n[2]] });
      }
    }
    const mp = parts.length ? combine(parts) : { mass: 1e-3, com: [0, 0, 0] as Vec3, I: [1e-6, 1e-6, 1e-6, 0, 0, 0] as MassPart['I'] };
    const pr = principal(mp.I);
    const mom = pr.moments.map((m) => Math.max(m, 1e-9));
    desc.setAdditionalMassProperties(mp.mass, { x: mp.com[0], y: mp.com[1], z: mp.com[2] }, { x: mom[0], y: mom[1], z: mom[2] }, { x: pr.frame[0], y: pr.frame[1], z: pr.frame[2], w: pr.frame[3] });
    masses.push(mp.mass);
    massProps.push({ mass: mp.mass, com: mp.com, moments: mom as Vec3, frame: pr.frame });
    const rb = world.createRigidBody(desc);
    // planar: lock only the root body (locking every body makes redundant constraints that blow
    // up Rapier's solver); hinges about the plane normal keep the children in the plane.
    if (base === 'planar' && planarNormal && b === 0) {
      const n = planarNormal.map((v) => Math.abs(v) > 0.5);
      rb.setEnabledTranslations(!n[0], !n[1], !n[2], false);
      rb.setEnabledRotations(n[0], n[1], n[2], false);
    }
    const visuals: VisualSpec[] = [];
    for (const ln of bodyLinks[b]) {
      const l = linkByName.get(ln)!;
      const T = linkBody.get(ln)!.T;
      for (const c of l.collisions) {
        const ct = tcompose(T, { p: c.origin.xyz, q: c.origin.quat });
        const rq = qmul(ct.q, shapeRotation(c.geometry));
        const cd = colliderDesc(R, c.geometry)
          .setTranslation(ct.p[0], ct.p[1], ct.p[2])
          .setRotation({ x: rq[0], y: rq[1], z: rq[2], w: rq[3] })
          .setDensity(0)
          .setFriction(c.friction ?? 1)
          .setFrictionCombineRule(R.CoefficientCombineRule.Max)
          .setRestitution(0)
          .setCollisionGroups(groups);
        world.createCollider(cd, rb);
        if (opts.collisionVisuals) {
          visuals.push({ geometry: c.geometry.kind === 'meshref' ? { kind: 'sphere', radius: 0.01 } : c.geometry, origin: { xyz: ct.p, quat: ct.q }, color: [0.2, 0.8, 0.2, 0.4], role: 'collision' });
        }
      }
      for (const v of l.visuals) {
        if (v.geometry.kind === 'meshref') continue; // the URDF loader resolves meshes before building
        const vt = tcompose(T, { p: v.origin.xyz, q: v.origin.quat });
        visuals.push({ geometry: v.geometry, origin: { xyz: vt.p, quat: vt.q }, color: v.material?.color ?? opts.color ?? [0.7, 0.7, 0.7, 1] });
      }
    }
    sceneBodies.push({ name: bodyNames[b], visuals });
    bodies.push(rb);
  }

  // Joints, in model order (observations follow it, like MuJoCo's qpos); topoOrder is parent-first.
  const joints: BuiltJoint[] = [];
  const topoOrder = movable.map((m) => m.joint.name);
  const modelIndex = new Map(model.joints.map((j, i) => [j, i]));
  movable.sort((a, b) => modelIndex.get(a.joint)! - modelIndex.get(b.joint)!);
  for (const { joint: j, parentLink, childBody } of movable) {
    const pb = linkBody.get(parentLink)!;
    const originInParentBody = tcompose(pb.T, { p: j.origin.xyz, q: j.origin.quat });
    // Joint frame: X along the model axis (Rapier's free axis for revolute/prismatic is X).
    const frameInChild = qfromTo([1, 0, 0], j.axis);
    const frameInParent = qnormalize(qmul(originInParentBody.q, frameInChild));
    const a1 = originInParentBody.p;
    const a2: Vec3 = [0, 0, 0];
    const data =
      j.type === 'prismatic'
        ? R.JointData.prismatic({ x: a1[0], y: a1[1], z: a1[2] }, { x: 0, y: 0, z: 0 }, { x: 1, y: 0, z: 0 })
        : R.JointData.revolute({ x: a1[0], y: a1[1], z: a1[2] }, { x: 0, y: 0, z: 0 }, { x: 1, y: 0, z: 0 });
    const limited = !!j.limit && j.type !== 'continuous';
    if (limited && opts.rapierLimits !== false) {
      data.limitsEnabled = true;
      data.limits = [j.limit!.lower, j.limit!.upper];
    }
    const ij = world.createImpulseJoint(data, bodies[pb.body], bodies[childBody], true) as RAPIER.UnitImpulseJoint;
    ij.setLocalFrame1({ x: a1[0], y: a1[1], z: a1[2] }, { x: frameInParent[0], y: frameInParent[1], z: frameInParent[2], w: frameInParent[3] });
    ij.setLocalFrame2({ x: a2[0], y: a2[1], z: a2[2] }, { x: frameInChild[0], y: frameInChild[1], z: frameInChild[2], w: frameInChild[3] });
    ij.setContactsEnabled(false);
    if (limited && opts.rapierLimits !== false) ij.setLimits(j.limit!.lower, j.limit!.upper);
    joints.push({
      name: j.name,
      index: joints.length,
      type: j.type as BuiltJoint['type'],
      parentBody: pb.body,
      childBody,
      axis: j.axis,
      zeroRot: originInParentBody.q,
      anchorParent: a1,
      anchorChild: a2,
      lower: limited ? j.limit!.lower : -Infinity,
      upper: limited ? j.limit!.upper : Infinity,
      limited,
      gear: j.gear ?? 0,
      damping: j.dynamics?.damping ?? 0,
      armature: opts.armatureAsInertia ? 0 : j.armature ?? 0,
      frictionLoss: j.dynamics?.friction ?? 0,
      impulse: ij,
      model: j,
    });
  }
  void vcross; void vadd; void vsub; void qconj; void qrotate;
  const builtIndex = new Map<string, number>();
  for (let i = joints.length - 1; i >= 0; i--) builtIndex.set(joints[i].name, i); // the first of a name, as findIndex did
  const topo = topoOrder.map((n) => builtIndex.get(n) ?? -1);
  return { topoOrder: topo, model, bodies, bodyNames, linkBody, joints, initialPoses: bodyWorld, masses, massProps, sceneBodies, base, planarNormal };
}
