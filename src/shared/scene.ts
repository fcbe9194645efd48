/**
 * What the renderer needs to draw a simulated scene, and nothing more.
 * Produced on the main side from the robot model (src/physics/robot), sent once per
 * scene; afterwards only pose snapshots flow (see snapshot.ts).
 * Conventions: right-handed, lengths in metres, quaternions [x, y, z, w].
 */
export type Vec3 = [number, number, number];
export type Quat = [number, number, number, number];
export type Rgba = [number, number, number, number];

export interface Pose {
  xyz: Vec3;
  quat: Quat;
}

/** Cylinders and capsules are along local Z (URDF convention); box size is full extents. */
export type GeometrySpec =
  | { kind: 'box'; size: Vec3 }
  | { kind: 'sphere'; radius: number }
  | { kind: 'cylinder'; radius: number; length: number }
  | { kind: 'capsule'; radius: number; length: number }
  /** Triangle mesh, already scaled, in the visual's frame. */
  | { kind: 'mesh'; positions: number[]; indices: number[]; normals?: number[]; label?: string };

export interface VisualSpec {
  geometry: GeometrySpec;
  /** Pose of the geometry in its body's frame. */
  origin: Pose;
  color: Rgba;
  /** Collision geometry is drawn only when the user asks for it. */
  role?: 'visual' | 'collision';
}

export interface BodySpec {
  name: string;
  visuals: VisualSpec[];
}

/**
 * A drawn copy of a robot's bodies: names under `prefix/`, visuals only (no collision shapes), all
 * in one colour (a ghost, a twin, a side-by-side robot). Their poses follow the robot's in a snapshot.
 */
export function tintedCopy(bodies: BodySpec[], prefix: string, color: Rgba): BodySpec[] {
  return bodies.map((b) => ({ ...b, name: `${prefix}/${b.name}`, visuals: b.visuals.filter((v) => v.role !== 'collision').map((v) => ({ ...v, color })) }));
}

export interface SceneSpec {
  name: string;
  /** Which world axis points up; the renderer rotates Z-up worlds into its Y-up view. */
  upAxis: 'z' | 'y';
  /** One entry per body; a snapshot holds 7 floats (xyz + quat xyzw) per body, same order. */
  bodies: BodySpec[];
  /** Half-size of the ground plane to draw, 0 for none. */
  groundHalfSize: number;
  /** Body the camera follows (a walking robot leaves the view otherwise). */
  followBody?: number;
  /**
   * The followed robot is the first `robotBodies` bodies (default all); the rest are companions
   * that go their own way (the adaptation scene's unadapted twin) and may leave the view.
   */
  robotBodies?: number;
  /**
   * Least radius (m) the camera frames around the bodies: a quadrotor flying a 2 m figure-8 is
   * followed from far enough that the whole path stays in view, not just the quad.
   */
  frameRadius?: number;
  /** Cables drawn between bodies (the quadrotor's payload line); they move with the poses. */
  tethers?: TetherSpec[];
  /** Overlay kinds drawn over the bodies (the scene's declaration; data comes with each snapshot). */
  overlays?: string[];
  /**
   * A population of copies of one robot: bodies are `count` blocks of `bodiesPerRobot`, robot i's
   * bodies at [i * bodiesPerRobot, (i + 1) * bodiesPerRobot); the `population` overlay colours them.
   */
  population?: { count: number; bodiesPerRobot: number };
  /** The side the camera first frames the bodies from (world frame, a direction from their centre). */
  viewFrom?: Vec3;
}

/**
 * A cable from a point on one body to a point on another (points in body frames). Drawn straight
 * when taut; slack (ends closer than its length) it sags. Snapshots' `tetherLengths` override
 * `length` when a reset changes it.
 */
export interface TetherSpec {
  from: { body: number; point: Vec3 };
  to: { body: number; point: Vec3 };
  /** Rest length (m); absent: always drawn straight. */
  length?: number;
  radius: number;
  color: Rgba;
}

/**
 * A body whose geometry has been stretched (factor > 1) or shrunk along `axis` (a unit vector in
 * the body's frame) about the body's origin since the scene was sent: a broken leg's shortened
 * lower segment. Applies to all of the body's visuals, as it did to its collider.
 */
export interface BodyStretch {
  body: number;
  axis: Vec3;
  factor: number;
}

export const POSE_STRIDE = 7;
