/**
 * Gymnasium's Ant (ant.xml, v4/v5): a sphere torso and four legs of two hinges each.
 * density 5, capsule radius 0.08, hips ±30°, ankles 30..70° (legs 1, 4) / -70..-30° (legs 2, 3),
 * every hinge: armature 1, damping 1, gear 150, ctrlrange [-1, 1]; contact friction 1.
 * The hip "aux" capsules belong to the torso (MJCF bodies without joints are welded).
 * This factory is the single definition of the ant.
 */
import type { Joint, Link, RobotModel, Vec3 } from '../robot/model.js';
import { capsuleFromTo, hinge, linkFromGeoms, type GeomDef } from './common.js';

export interface AntParams {
  density: number;
  legRadius: number;
  torsoRadius: number;
  gear: number;
  armature: number;
  damping: number;
  friction: number;
}

export const ANT_DEFAULTS: AntParams = {
  density: 5,
  legRadius: 0.08,
  torsoRadius: 0.25,
  gear: 150,
  armature: 1,
  damping: 1,
  friction: 1,
};

/** Leg order follows ant.xml bodies: 1 front-left (+x+y), 2 front-right (-x+y), 3 back (-x-y), 4 right-back (+x-y). */
export const ANT_LEGS: { dir: [number, number]; ankleAxis: Vec3; ankleRange: [number, number] }[] = [
  { dir: [1, 1], ankleAxis: [-1, 1, 0], ankleRange: [30, 70] },
  { dir: [-1, 1], ankleAxis: [1, 1, 0], ankleRange: [-70, -30] },
  { dir: [-1, -1], ankleAxis: [-1, 1, 0], ankleRange: [-70, -30] },
  { dir: [1, -1], ankleAxis: [1, 1, 0], ankleRange: [30, 70] },
];

/** Gym's actuator order: hip_4, ankle_4, hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3. */
export const ANT_ACTUATOR_ORDER = ['hip_4', 'ankle_4', 'hip_1', 'ankle_1', 'hip_2', 'ankle_2', 'hip_3', 'ankle_3'];

export function antModel(p: Partial<AntParams> = {}): RobotModel {
  const P = { ...ANT_DEFAULTS, ...p };
  const brown: [number, number, number, number] = [0.8, 0.6, 0.4, 1];
  const torsoGeoms: GeomDef[] = [{ name: 'torso_geom', geometry: { kind: 'sphere', radius: P.torsoRadius }, origin: { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }, friction: P.friction }];
  const links: Link[] = [];
  const joints: Joint[] = [];
  ANT_LEGS.forEach((leg, i) => {
    const k = i + 1;
    const [dx, dy] = leg.dir;
    const hipPos: Vec3 = [0.2 * dx, 0.2 * dy, 0];
    torsoGeoms.push(capsuleFromTo([0, 0, 0], hipPos, P.legRadius, { name: `aux_${k}_geom`, friction: P.friction }));
    links.push(linkFromGeoms(`aux_${k}`, [capsuleFromTo([0, 0, 0], [0.2 * dx, 0.2 * dy, 0], P.legRadius, { name: `leg_${k}_geom`, friction: P.friction })], P.density, brown));
    links.push(linkFromGeoms(`foot_${k}`, [capsuleFromTo([0, 0, 0], [0.4 * dx, 0.4 * dy, 0], P.legRadius, { name: `ankle_${k}_geom`, friction: P.friction })], P.density, brown));
    const act = { gear: P.gear, damping: P.damping, armature: P.armature };
    joints.push(hinge(`hip_${k}`, 'torso', `aux_${k}`, hipPos, [0, 0, 1], [-30, 30], act));
    joints.push(hinge(`ankle_${k}`, `aux_${k}`, `foot_${k}`, [0.2 * dx, 0.2 * dy, 0], leg.ankleAxis, leg.ankleRange, act));
  });
  links.unshift(linkFromGeoms('torso', torsoGeoms, P.density, brown));
  return { name: 'ant', links, joints, root: 'torso', source: 'builtin:ant (Gymnasium ant.xml parameters)' };
}
