/** Helpers for writing robot models in TypeScript from MJCF-style parameters. */
import type { Collision, Geometry, Joint, Link, Material, Pose, Rgba, Vec3, Visual } from '../robot/model.js';
import { fromTo, inertialFromGeoms } from '../robot/inertia.js';

export const pose = (xyz: Vec3 = [0, 0, 0], quat: [number, number, number, number] = [0, 0, 0, 1]): Pose => ({ xyz, quat });

export interface GeomDef {
  name?: string;
  geometry: Geometry;
  origin: Pose;
  friction?: number;
  color?: Rgba;
}

export function capsuleFromTo(a: Vec3, b: Vec3, radius: number, extra: Partial<GeomDef> = {}): GeomDef {
  const { origin, length } = fromTo(a, b);
  return { geometry: { kind: 'capsule', radius, length }, origin, ...extra };
}

/** A link whose inertial is computed from its geoms at uniform density (MuJoCo inertiafromgeom). */
export function linkFromGeoms(name: string, geoms: GeomDef[], density: number, color: Rgba): Link {
  const material: Material = { color };
  return {
    name,
    inertial: inertialFromGeoms(geoms, density),
    visuals: geoms.map((g): Visual => ({ name: g.name, origin: g.origin, geometry: g.geometry, material: { color: g.color ?? material.color } })),
    collisions: geoms.map((g): Collision => ({ name: g.name, origin: g.origin, geometry: g.geometry, friction: g.friction })),
  };
}

export function hinge(
  name: string,
  parent: string,
  child: string,
  origin: Vec3,
  axis: Vec3,
  rangeDeg: [number, number] | null,
  actuator: { gear: number; damping: number; armature: number; effort?: number },
): Joint {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  const limit = rangeDeg
    ? { lower: (rangeDeg[0] * Math.PI) / 180, upper: (rangeDeg[1] * Math.PI) / 180, effort: actuator.effort ?? actuator.gear, velocity: 100 }
    : undefined;
  return {
    name,
    type: rangeDeg ? 'revolute' : 'continuous',
    parent,
    child,
    origin: pose(origin),
    axis: [axis[0] / n, axis[1] / n, axis[2] / n],
    limit,
    dynamics: { damping: actuator.damping, friction: 0 },
    armature: actuator.armature,
    gear: actuator.gear,
  };
}
