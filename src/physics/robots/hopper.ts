/**
 * Gymnasium's Hopper (hopper.xml, v4/v5): planar torso, thigh, leg, foot.
 * density 1000 (MuJoCo default); capsules: torso r .05 (z 1.45..1.05), thigh r .05 (1.05..0.6),
 * leg r .04 (0.6..0.1), foot r .06 (x -0.13..0.26 at z 0.1); hinges about -y with ranges
 * -150..0°, -150..0°, -45..45°; armature 1, damping 1, gear 200; friction .9 (foot 2.0).
 * The root is a planar joint from `world` (x, z slide + y hinge, as rootx/rootz/rooty).
 */
import type { RobotModel } from '../robot/model.js';
import { capsuleFromTo, hinge, linkFromGeoms, pose } from './common.js';

export interface HopperParams {
  density: number;
  gear: number;
  armature: number;
  damping: number;
  friction: number;
  footFriction: number;
}

export const HOPPER_DEFAULTS: HopperParams = { density: 1000, gear: 200, armature: 1, damping: 1, friction: 0.9, footFriction: 2.0 };

/** Torso centre height at qpos0 (rootz). */
export const HOPPER_TORSO_Z = 1.25;

export function hopperModel(p: Partial<HopperParams> = {}): RobotModel {
  const P = { ...HOPPER_DEFAULTS, ...p };
  const c: [number, number, number, number] = [0.8, 0.6, 0.4, 1];
  // link frames sit at each joint; torso frame at its centre (z = 1.25 in the world)
  const torso = linkFromGeoms('torso', [capsuleFromTo([0, 0, 0.2], [0, 0, -0.2], 0.05, { name: 'torso_geom', friction: P.friction })], P.density, c);
  const thigh = linkFromGeoms('thigh', [capsuleFromTo([0, 0, 0], [0, 0, -0.45], 0.05, { name: 'thigh_geom', friction: P.friction })], P.density, c);
  const leg = linkFromGeoms('leg', [capsuleFromTo([0, 0, 0], [0, 0, -0.5], 0.04, { name: 'leg_geom', friction: P.friction })], P.density, c);
  const foot = linkFromGeoms('foot', [capsuleFromTo([-0.13, 0, 0], [0.26, 0, 0], 0.06, { name: 'foot_geom', friction: P.footFriction })], P.density, c);
  const act = { gear: P.gear, damping: P.damping, armature: P.armature };
  return {
    name: 'hopper',
    root: 'world',
    links: [{ name: 'world', visuals: [], collisions: [] }, torso, thigh, leg, foot],
    joints: [
      { name: 'root', type: 'planar', parent: 'world', child: 'torso', origin: pose([0, 0, 1.25]), axis: [0, 1, 0] },
      hinge('thigh_joint', 'torso', 'thigh', [0, 0, -0.2], [0, -1, 0], [-150, 0], act),
      hinge('leg_joint', 'thigh', 'leg', [0, 0, -0.45], [0, -1, 0], [-150, 0], act),
      hinge('foot_joint', 'leg', 'foot', [0, 0, -0.5], [0, -1, 0], [-45, 45], act),
    ],
    source: 'builtin:hopper (Gymnasium hopper.xml parameters)',
  };
}
