/**
 * The typed robot model: the single source of truth for physics AND drawing.
 * URDF is parsed once into it (src/physics/robot/urdf); the built-in robots are URDF files too.
 * Shapes follow URDF: Z-up world, cylinders along local Z, box sizes are full extents.
 */
import type { GeometrySpec, Pose, Rgba, Vec3 } from '../../shared/scene.js';

export type { Pose, Vec3, Quat, Rgba } from '../../shared/scene.js';

export interface Inertial {
  /** kg */
  mass: number;
  /** Centre of mass and principal-axes frame, in the link frame. */
  origin: Pose;
  /** Inertia tensor about the COM in the origin frame: ixx, iyy, izz, ixy, ixz, iyz (kg m^2). */
  inertia: { ixx: number; iyy: number; izz: number; ixy: number; ixz: number; iyz: number };
}

export interface Material {
  name?: string;
  color: Rgba;
  /** Resolved texture path, if any. */
  texture?: string;
}

/** Mesh geometry before it is loaded: a file reference plus a scale. */
export interface MeshRef {
  kind: 'meshref';
  /** Resolved absolute path (or the raw URI when it could not be resolved). */
  path: string;
  scale: Vec3;
}

export type Geometry = Exclude<GeometrySpec, { kind: 'mesh' }> | GeometrySpec | MeshRef;

export interface Visual {
  name?: string;
  origin: Pose;
  geometry: Geometry;
  material?: Material;
}

export interface Collision {
  name?: string;
  origin: Pose;
  geometry: Geometry;
  /** Contact friction coefficient (Rapier's friction; MuJoCo's sliding friction). */
  friction?: number;
}

export interface Link {
  name: string;
  /** Absent means massless (URDF allows it; merged away or given a small default in physics). */
  inertial?: Inertial;
  visuals: Visual[];
  collisions: Collision[];
}

export type JointType = 'revolute' | 'continuous' | 'prismatic' | 'fixed' | 'floating' | 'planar';

export interface Joint {
  name: string;
  type: JointType;
  parent: string;
  child: string;
  /** Child frame in the parent link frame at q = 0. */
  origin: Pose;
  /** Unit axis in the joint (child) frame. */
  axis: Vec3;
  limit?: { lower: number; upper: number; effort: number; velocity: number };
  dynamics?: { damping: number; friction: number };
  /** Rotor inertia reflected to the joint (MuJoCo's armature), kg m^2 or kg. */
  armature?: number;
  /** Actuator gear: an action in [-1, 1] times gear is the joint torque/force (Gym convention). */
  gear?: number;
  mimic?: { joint: string; multiplier: number; offset: number };
  /** URDF <safety_controller> (kept for completeness; the simulator does not enforce it). */
  safetyController?: { softLowerLimit: number; softUpperLimit: number; kPosition: number; kVelocity: number };
  /** URDF <calibration> reference positions. */
  calibration?: { rising?: number; falling?: number };
}

export interface RobotModel {
  name: string;
  links: Link[];
  joints: Joint[];
  /** Name of the root link (the one that is nobody's child). */
  root: string;
  /** Where the model came from, for error messages. */
  source?: string;
}

export function identityPose(): Pose {
  return { xyz: [0, 0, 0], quat: [0, 0, 0, 1] };
}
