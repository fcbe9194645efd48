/**
 * Forward kinematics on a RobotModel: link poses from joint positions. For the kinematic mode of
 * the viewer (joint sliders), for placing bodies when a physics world is built, and for tests.
 */
import type { Joint, Pose, Quat, RobotModel } from '../model.js';
import { composePose } from './math.js';
import { listMimicJoints } from './semantics.js';

/** The motion of a joint at position q, in the joint (child) frame. */
export function jointMotion(j: Joint, q: number): Pose {
  const [ax, ay, az] = j.axis;
  switch (j.type) {
    case 'revolute':
    case 'continuous': {
      const s = Math.sin(q / 2);
      const quat: Quat = [ax * s, ay * s, az * s, Math.cos(q / 2)];
      return { xyz: [0, 0, 0], quat };
    }
    case 'prismatic':
      return { xyz: [ax * q, ay * q, az * q], quat: [0, 0, 0, 1] };
    default:
      // fixed; floating and planar have several coordinates: use the zero pose here
      return { xyz: [0, 0, 0], quat: [0, 0, 0, 1] };
  }
}

/** Joints that take a single position (the slider joints). */
export function movableJoints(model: RobotModel): Joint[] {
  return model.joints.filter((j) => j.type === 'revolute' || j.type === 'continuous' || j.type === 'prismatic');
}

/**
 * World poses of all links for joint positions `q` (missing joints at 0). Mimic joints follow
 * their leaders (values given for them are ignored). `base` places the root link.
 */
export function linkPoses(model: RobotModel, q: Record<string, number> = {}, base: Pose = { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }): Record<string, Pose> {
  const values: Record<string, number> = { ...q };
  for (const m of listMimicJoints(model)) values[m.joint] = m.multiplier * (q[m.leader] ?? 0) + m.offset;
  const children = new Map<string, Joint[]>();
  for (const j of model.joints) {
    const l = children.get(j.parent);
    if (l) l.push(j);
    else children.set(j.parent, [j]);
  }
  const out: Record<string, Pose> = { [model.root]: base };
  const stack = [model.root];
  while (stack.length) {
    const parent = stack.pop()!;
    for (const j of children.get(parent) ?? []) {
      out[j.child] = composePose(composePose(out[parent], j.origin), jointMotion(j, values[j.name] ?? 0));
      stack.push(j.child);
    }
  }
  return out;
}
