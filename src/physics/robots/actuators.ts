/**
 * Actuator tables: what a joint's motor adds that URDF cannot express (Gym's `gear`, MuJoCo's
 * `armature`). The robot itself (links, joints, inertials, limits, damping, friction) comes from
 * assets/robots/*.urdf; see assets/robots/README.md for the split.
 */
import type { RobotModel } from '../robot/model.js';

export interface JointActuator {
  /** Gym's gear: an action in [-1, 1] times gear is the joint torque (N m). */
  gear: number;
  /** MuJoCo's armature: rotor inertia reflected to the joint (kg m^2). */
  armature: number;
}

/** Overrides applied to every actuated joint (config.robot of the envs). */
export interface ActuatorOverrides {
  gear?: number;
  armature?: number;
  /** replaces the URDF's <dynamics damping> on the actuated joints */
  damping?: number;
}

/** Sets gear and armature from the table (every joint of the table must exist), plus overrides. */
export function applyActuators(model: RobotModel, table: Readonly<Record<string, JointActuator>>, o: ActuatorOverrides = {}): RobotModel {
  for (const [name, act] of Object.entries(table)) {
    const j = model.joints.find((x) => x.name === name);
    if (!j) throw new Error(`${model.source ?? model.name}: actuated joint "${name}" is not in the robot`);
    j.gear = o.gear ?? act.gear;
    j.armature = o.armature ?? act.armature;
    if (o.damping !== undefined) j.dynamics = { damping: o.damping, friction: j.dynamics?.friction ?? 0 };
  }
  return model;
}
