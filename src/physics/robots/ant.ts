/**
 * Gymnasium's Ant: the robot is assets/robots/ant.urdf (from ant.xml's published parameters);
 * this file adds the actuators URDF cannot express (ant.xml: gear 150, armature 1 on every hinge).
 */
import type { RobotModel } from '../robot/model.js';
import { applyActuators, type ActuatorOverrides, type JointActuator } from './actuators.js';
import { loadBuiltinRobot } from './load.js';

/** Gym's actuator order: hip_4, ankle_4, hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3. */
export const ANT_ACTUATOR_ORDER = ['hip_4', 'ankle_4', 'hip_1', 'ankle_1', 'hip_2', 'ankle_2', 'hip_3', 'ankle_3'];

/** ant.xml <motor gear="150"> and <joint armature="1">, per joint. */
export const ANT_ACTUATORS: Readonly<Record<string, JointActuator>> = {
  hip_1: { gear: 150, armature: 1 },
  ankle_1: { gear: 150, armature: 1 },
  hip_2: { gear: 150, armature: 1 },
  ankle_2: { gear: 150, armature: 1 },
  hip_3: { gear: 150, armature: 1 },
  ankle_3: { gear: 150, armature: 1 },
  hip_4: { gear: 150, armature: 1 },
  ankle_4: { gear: 150, armature: 1 },
};

/** Actuator overrides for every hinge (the geometry is the URDF's). */
export type AntParams = ActuatorOverrides;

export function antModel(p: AntParams = {}): RobotModel {
  const m = applyActuators(loadBuiltinRobot('ant'), ANT_ACTUATORS, p);
  m.source = `builtin:ant (${m.source})`;
  return m;
}
