/**
 * A loaded URDF as something `buildRobot` (../builder.ts) can build, and a SceneSpec to draw it:
 *  - fixed-joint chains merged and the `world` link handled by `prepareForPhysics`;
 *  - a fixed base expressed as a massless `world` root with one fixed joint (the form the
 *    builder recognises), a floating base as a plain root;
 *  - mesh collisions become convex hulls (`{kind: 'mesh', positions}`), meshes that cannot make a
 *    hull are dropped with a warning;
 *  - visuals with their meshes (one visual per material part), collision geometry as
 *    role 'collision' visuals (drawn when the user asks for them).
 * Body i of the built robot is link `bodyNames[i]` of `physics.model`, in the builder's order.
 */
import type { BodySpec, GeometrySpec, Rgba, VisualSpec } from '../../../shared/scene.js';
import type { Collision, Geometry, Link, Pose, RobotModel, Vec3 } from '../model.js';
import { formatWarning, type UrdfWarning } from './errors.js';
import { linkPoses } from './kinematics.js';
import type { LoadedUrdf } from './load.js';
import { composePose, rotate } from './math.js';
import { hullPoints, meshPartsToGeometrySpecs, meshToGeometrySpec } from './meshes/index.js';
import { prepareForPhysics, type MimicJoint, type PhysicsModel } from './semantics.js';
import { basename } from './pathutil.js';

/** The synthetic root that fixes a base (never a name a URDF uses for a real link). */
export const WORLD_LINK = '__adaptlab_world';
export const WORLD_JOINT = '__adaptlab_world_joint';

export interface UrdfBuildOptions {
  /** Fix the base to the world. Default: as the file says (a root named `world`), else floating. */
  fixedBase?: boolean;
  /** Lift a floating robot so its lowest collision point at q = 0 is this high (m, default 0.02). */
  dropHeight?: number;
  /** Accepts hull points (e.g. `(p) => R.ColliderDesc.convexHull(p) !== null`); default accepts >= 4 points. */
  hullOk?: (points: Float32Array) => boolean;
  defaultColor?: Rgba;
}

export interface UrdfBuildable {
  /** For `buildRobot`: merged bodies, meshes as hull points, fixed base as a `world` root. */
  model: RobotModel;
  physics: PhysicsModel;
  fixedBase: boolean;
  /** World pose of the root body at q = 0. */
  basePose: Pose;
  /** Drawing per body link name (visuals and collision visuals in the body frame). */
  visuals: Map<string, VisualSpec[]>;
  mimic: MimicJoint[];
  warnings: UrdfWarning[];
}

const COLLISION_COLOR: Rgba = [1, 0.55, 0.1, 0.45];

export function urdfBuildable(loaded: Pick<LoadedUrdf, 'model' | 'meshes' | 'warnings'>, opts: UrdfBuildOptions = {}): UrdfBuildable {
  const physics = prepareForPhysics(loaded.model, opts.fixedBase === undefined ? {} : { fixedBase: opts.fixedBase });
  const warnings = [...physics.warnings];
  const hullOk = opts.hullOk ?? ((p: Float32Array) => p.length >= 12);
  const color = opts.defaultColor ?? [0.72, 0.74, 0.78, 1];
  const visuals = new Map<string, VisualSpec[]>();

  const links: Link[] = physics.model.links.map((l) => {
    const vs: VisualSpec[] = [];
    for (const v of l.visuals) {
      const c = v.material?.color;
      if (v.geometry.kind === 'meshref') {
        const mesh = loaded.meshes.get(v.geometry.path);
        if (!mesh) continue;
        for (const part of meshPartsToGeometrySpecs(mesh, v.geometry.scale)) {
          part.geometry.label ??= basename(v.geometry.path);
          vs.push({ geometry: part.geometry, origin: v.origin, color: c ?? part.color ?? color, role: 'visual' });
        }
      } else vs.push({ geometry: v.geometry as GeometrySpec, origin: v.origin, color: c ?? color, role: 'visual' });
    }
    const collisions: Collision[] = [];
    for (const c of l.collisions) {
      if (c.geometry.kind !== 'meshref') {
        collisions.push(c);
        vs.push({ geometry: c.geometry as GeometrySpec, origin: c.origin, color: COLLISION_COLOR, role: 'collision' });
        continue;
      }
      const mesh = loaded.meshes.get(c.geometry.path);
      if (!mesh) continue;
      const pts = hullPoints(mesh, c.geometry.scale);
      if (!hullOk(pts)) {
        warnings.push({ code: 'mesh', message: `collision mesh "${c.geometry.path}" of link "${l.name}" is flat or empty: no convex hull, collision dropped` });
        continue;
      }
      collisions.push({ ...c, geometry: { kind: 'mesh', positions: Array.from(pts), indices: [] } });
      const drawn = meshToGeometrySpec(mesh, c.geometry.scale, `collision:${basename(c.geometry.path)}`);
      vs.push({ geometry: drawn, origin: c.origin, color: COLLISION_COLOR, role: 'collision' });
    }
    visuals.set(l.name, vs);
    return { ...l, visuals: l.visuals.filter((v) => v.geometry.kind !== 'meshref'), collisions };
  });

  let basePose: Pose = physics.basePose;
  let model: RobotModel = { name: physics.model.name, links, joints: physics.model.joints, root: physics.model.root };
  if (!physics.fixedBase) {
    // Stand a floating robot on the ground (z = 0) at its zero pose.
    const minZ = lowestPoint(model, basePose);
    if (Number.isFinite(minZ)) basePose = { xyz: [basePose.xyz[0], basePose.xyz[1], basePose.xyz[2] - minZ + (opts.dropHeight ?? 0.02)], quat: basePose.quat };
  } else {
    model = {
      ...model,
      links: [{ name: WORLD_LINK, visuals: [], collisions: [] }, ...links],
      joints: [
        { name: WORLD_JOINT, type: 'fixed', parent: WORLD_LINK, child: physics.model.root, origin: basePose, axis: [1, 0, 0] },
        ...model.joints,
      ],
      root: WORLD_LINK,
    };
  }
  const mimic = physics.mimic;
  return { model, physics, fixedBase: physics.fixedBase, basePose, visuals, mimic, warnings };
}

/** Lowest world z of the collision geometry (else visuals) at q = 0. */
function lowestPoint(model: RobotModel, base: Pose): number {
  const poses = linkPoses(model, {}, base);
  let min = Infinity;
  let any = false;
  for (const l of model.links) {
    const p = poses[l.name];
    if (!p) continue;
    const geoms = l.collisions.length ? l.collisions : l.visuals;
    for (const g of geoms) {
      any = true;
      const gp = composePose(p, g.origin);
      min = Math.min(min, geometryMinZ(g.geometry, gp));
    }
  }
  return any ? min : Infinity;
}

function geometryMinZ(g: Geometry, pose: Pose): number {
  const z = (v: Vec3) => pose.xyz[2] + rotate(pose.quat, v)[2];
  switch (g.kind) {
    case 'sphere':
      return pose.xyz[2] - g.radius;
    case 'box': {
      let m = Infinity;
      for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const sz of [-1, 1]) m = Math.min(m, z([(sx * g.size[0]) / 2, (sy * g.size[1]) / 2, (sz * g.size[2]) / 2]));
      return m;
    }
    case 'cylinder':
    case 'capsule': {
      const h = g.length / 2 + (g.kind === 'capsule' ? g.radius : 0);
      return Math.min(z([0, 0, h]), z([0, 0, -h])) - g.radius;
    }
    case 'mesh': {
      let m = Infinity;
      for (let i = 0; i < g.positions.length; i += 3) m = Math.min(m, z([g.positions[i], g.positions[i + 1], g.positions[i + 2]]));
      return m;
    }
    default:
      return Infinity;
  }
}

/** Scene bodies in the builder's order, drawn from `visuals`. */
export function urdfSceneBodies(b: UrdfBuildable, bodyNames: string[]): BodySpec[] {
  return bodyNames.map((name) => ({ name, visuals: b.visuals.get(name) ?? [] }));
}

/** Warnings as display lines. */
export function warningLines(ws: UrdfWarning[]): string[] {
  return ws.map(formatWarning);
}
