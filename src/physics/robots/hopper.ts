/**
 * Gymnasium's Hopper: the robot is assets/robots/hopper.urdf (from hopper.xml's published
 * parameters; root: a planar joint from `world`); this file adds the actuators URDF cannot
 * express (hopper.xml: gear 200, armature 1 on every hinge).
 */
import type { RobotModel } from '../robot/model.js';
import { applyActuators, type ActuatorOverrides, type JointActuator } from './actuators.js';
import { loadBuiltinRobot } from './load.js';

/** hopper.xml <motor gear="200"> and <joint armature="1">, per joint (also Gym's action order). */
export const HOPPER_ACTUATORS: Readonly<Record<string, JointActuator>> = {
  thigh_joint: { gear: 200, armature: 1 },
  leg_joint: { gear: 200, armature: 1 },
  foot_joint: { gear: 200, armature: 1 },
};

/** Actuator overrides for every hinge (the geometry is the URDF's). */
export type HopperParams = ActuatorOverrides;

export function hopperModel(p: HopperParams = {}): RobotModel {
  const m = applyActuators(loadBuiltinRobot('hopper'), HOPPER_ACTUATORS, p);
  m.source = `builtin:hopper (${m.source})`;
  return m;
}

/** Torso centre height at qpos0 (MJCF rootz): the origin of the URDF's planar root joint. */
export function hopperTorsoZ(model: RobotModel): number {
  const root = model.joints.find((j) => j.name === 'root');
  if (!root) throw new Error(`${model.source ?? model.name}: no joint "root"`);
  return root.origin.xyz[2];
}
