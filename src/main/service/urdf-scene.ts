/**
 * A user's URDF as a live scene.
 *  - kinematic mode: no dynamics; every body is placed by forward kinematics from the slider
 *    targets (mimic joints follow their leaders), the base where the file puts it;
 *  - dynamic mode: gravity and contacts with the ground; joints held at the slider targets by
 *    implicit PD (Rapier position motors, effort-limited) or limp (joint damping only); mimic
 *    joints always track multiplier * leader + offset; fixed or floating base.
 * Scene id: `urdf:` + JSON of UrdfSceneOptions (the worker receives only an id).
 */
import type RAPIER from '@dimforge/rapier3d-compat';
import { z } from 'zod';
import type { SceneSpec } from '../../shared/scene';
import type { TelemetryDecl } from '../../shared/scene-decl';
import { Articulation } from '../../physics/actuation';
import { buildRobot, GROUND_COLLISION_GROUPS, type BuiltRobot } from '../../physics/robot/builder';
import { loadRapier, type Rapier } from '../../physics/rapier';
import { formatWarning, linkPoses, loadUrdfFileSync, type LoadedUrdf } from '../../physics/robot/urdf/node';
import { urdfBuildable, urdfSceneBodies, type UrdfBuildable } from '../../physics/robot/urdf/physics-build';
import type { HostContext, Scene } from './scene';

/**
 * Its controls are the robot panel's (robot.setJoints / robot.setMode carry them as these
 * commands), so it declares none for the scene panel.
 */
export const URDF_COMMANDS = {
  /** Slider targets by joint name (rad or m; clamped into limits). */
  joints: z.record(z.string().max(200), z.number()),
  /** Kinematic (sliders place the joints) or dynamic (gravity; PD at the sliders or limp). */
  robotMode: z
    .object({ mode: z.enum(['kinematic', 'dynamic']).optional(), hold: z.enum(['pd', 'limp']).optional(), fixedBase: z.boolean().optional() })
    .strict(),
};

export const URDF_TELEMETRY: TelemetryDecl[] = [
  { key: 'base_height', label: 'base height', unit: 'm', group: 'base height' },
  { key: 'max_joint_error', label: 'largest joint error', unit: 'rad or m', group: 'joint tracking error' },
];

export const URDF_SCENE_PREFIX = 'urdf:';

export type RobotMode = 'kinematic' | 'dynamic';
export type RobotHold = 'pd' | 'limp';

export interface UrdfSceneOptions {
  path: string;
  packagePath?: string[];
  fixedBase?: boolean;
  mode?: RobotMode;
  hold?: RobotHold;
  /** Initial slider targets by joint name. */
  q?: Record<string, number>;
}

export function urdfSceneId(o: UrdfSceneOptions): string {
  return URDF_SCENE_PREFIX + JSON.stringify(o);
}

export function parseUrdfSceneId(id: string): UrdfSceneOptions {
  const o = JSON.parse(id.slice(URDF_SCENE_PREFIX.length)) as UrdfSceneOptions;
  if (typeof o?.path !== 'string') throw new Error('urdf scene: no path');
  return o;
}

const SUBSTEPS = 4;
/**
 * PD as an acceleration-based motor (gains independent of the robot's masses): ~20 Hz, critically
 * damped, plus a slow integral on the motor target that removes the steady error under gravity.
 */
const KP = (2 * Math.PI * 20) ** 2;
const KD = 2 * 2 * Math.PI * 20;
const KI = 4;
const MAX_BIAS = 0.5;

export class UrdfScene implements Scene {
  readonly dt = 1 / 60;
  mode: RobotMode;
  hold: RobotHold;
  private fixedBase: boolean | undefined;
  private buildable!: UrdfBuildable;
  private world: RAPIER.World | null = null;
  private robot!: BuiltRobot;
  private art!: Articulation;
  /** Slider targets by built joint index. */
  targets!: Float64Array;
  private leaderIndex!: Int32Array;
  private mimicMul!: Float64Array;
  private mimicOff!: Float64Array;
  private configured: (string | null)[] = [];
  /** Integral of the PD error, added to the motor target (rad or m). */
  private bias!: Float64Array;
  private kinPoses: Float32Array | null = null;
  private specCache: (SceneSpec & { warnings?: string[] }) | null = null;

  private constructor(
    private readonly R: Rapier,
    private readonly loaded: LoadedUrdf,
    opts: UrdfSceneOptions,
  ) {
    this.mode = opts.mode ?? 'kinematic';
    this.hold = opts.hold ?? 'pd';
    this.fixedBase = opts.fixedBase;
    this.rebuild(opts.q ?? {});
  }

  static async create(opts: UrdfSceneOptions): Promise<UrdfScene> {
    const R = await loadRapier();
    const loaded = loadUrdfFileSync(opts.path, { packagePath: opts.packagePath });
    return new UrdfScene(R, loaded, opts);
  }

  /** A scene from a URDF loaded already (e.g. parsed from a string: the URDF fuzz harness); `opts.path` only names it. */
  static async fromLoaded(loaded: LoadedUrdf, opts: UrdfSceneOptions): Promise<UrdfScene> {
    return new UrdfScene(await loadRapier(), loaded, opts);
  }

  static fromSceneId(id: string): Promise<UrdfScene> {
    return UrdfScene.create(parseUrdfSceneId(id));
  }

  get warnings(): string[] {
    return this.buildable.warnings.map((w) => w.message);
  }

  get built(): BuiltRobot {
    return this.robot;
  }

  get articulation(): Articulation {
    return this.art;
  }

  /** Joint names in built order (the sliders), with limits. */
  joints(): { name: string; lower: number; upper: number; mimic: boolean }[] {
    return this.robot.joints.map((j, i) => ({ name: j.name, lower: j.lower, upper: j.upper, mimic: this.leaderIndex[i] >= 0 }));
  }

  private rebuild(q: Record<string, number>): void {
    const R = this.R;
    this.world?.free();
    this.buildable = urdfBuildable(this.loaded, {
      ...(this.fixedBase === undefined ? {} : { fixedBase: this.fixedBase }),
      hullOk: (p) => p.length >= 12 && R.ColliderDesc.convexHull(p) !== null,
    });
    const world = new R.World({ x: 0, y: 0, z: -9.81 });
    world.timestep = this.dt / SUBSTEPS;
    world.numSolverIterations = 8;
    const ground = world.createRigidBody(R.RigidBodyDesc.fixed().setTranslation(0, 0, -0.5));
    world.createCollider(R.ColliderDesc.cuboid(100, 100, 0.5).setFriction(1).setCollisionGroups(GROUND_COLLISION_GROUPS), ground);
    this.world = world;
    const b = this.buildable;
    this.robot = buildRobot(R, world, b.model, { q, basePose: b.fixedBase ? undefined : { p: b.basePose.xyz, q: b.basePose.quat } });
    this.art = new Articulation(R, this.robot);
    const n = this.robot.joints.length;
    const index = new Map(this.robot.joints.map((j, i) => [j.name, i]));
    this.leaderIndex = new Int32Array(n).fill(-1);
    this.mimicMul = new Float64Array(n);
    this.mimicOff = new Float64Array(n);
    for (const m of b.mimic) {
      const i = index.get(m.joint), l = index.get(m.leader);
      if (i === undefined || l === undefined) continue;
      this.leaderIndex[i] = l;
      this.mimicMul[i] = m.multiplier;
      this.mimicOff[i] = m.offset;
    }
    this.targets = new Float64Array(n);
    this.robot.joints.forEach((j, i) => (this.targets[i] = clamp(q[j.name] ?? 0, j.lower, j.upper)));
    this.applyMimicTargets();
    this.configured = new Array(n).fill(null);
    this.bias = new Float64Array(n);
    this.specCache = null;
    this.kinPoses = null;
    this.placeKinematic();
  }

  private applyMimicTargets(): void {
    const joints = this.robot.joints;
    for (let i = 0; i < this.targets.length; i++) {
      const l = this.leaderIndex[i];
      if (l >= 0) this.targets[i] = clamp(this.mimicMul[i] * this.targets[l] + this.mimicOff[i], joints[i].lower, joints[i].upper);
    }
  }

  /** Joint values by name (slider targets, mimic applied). */
  targetValues(): Record<string, number> {
    const out: Record<string, number> = {};
    this.robot.joints.forEach((j, i) => (out[j.name] = this.targets[i]));
    return out;
  }

  /**
   * The scene, plus `warnings` (every importer warning, meshes included: only this thread reads
   * the meshes), which robot.open moves into RobotInfo.
   */
  spec(): SceneSpec & { warnings?: string[] } {
    this.specCache ??= {
      warnings: [...new Set([...this.loaded.warnings, ...this.buildable.warnings].map(formatWarning))],
      name: this.loaded.model.name,
      upAxis: 'z',
      bodies: urdfSceneBodies(this.buildable, this.robot.bodyNames),
      groundHalfSize: 5,
      ...(this.buildable.fixedBase ? {} : { followBody: 0 }),
    };
    return this.specCache;
  }

  /** Forward kinematics of the merged model at the targets: body poses in kinematic mode. */
  private placeKinematic(): void {
    const b = this.buildable;
    const poses = linkPoses(b.physics.model, this.targetValues(), b.basePose);
    const out = (this.kinPoses ??= new Float32Array(this.robot.bodies.length * 7));
    this.robot.bodyNames.forEach((name, i) => {
      const p = poses[name];
      if (!p) return;
      out.set([...p.xyz, ...p.quat], i * 7);
    });
  }

  reset(_seed: number): void {
    this.rebuild(this.targetValues());
  }

  step(): void {
    if (this.mode === 'kinematic') return;
    const h = this.world!.timestep;
    for (let s = 0; s < SUBSTEPS; s++) {
      if (s > 0) this.art.readState();
      this.configureMotors(h);
      this.world!.step();
    }
    this.art.readState();
  }

  private configureMotors(h: number): void {
    const R = this.R;
    const joints = this.robot.joints;
    for (let i = 0; i < joints.length; i++) {
      const ij = joints[i].impulse;
      const l = this.leaderIndex[i];
      if (l >= 0 || this.hold === 'pd') {
        const target = l >= 0 ? clamp(this.mimicMul[i] * this.art.q[l] + this.mimicOff[i], joints[i].lower, joints[i].upper) : this.targets[i];
        if (this.configured[i] !== 'pd') {
          ij.configureMotorModel(R.MotorModel.AccelerationBased);
          ij.setMotorMaxForce(maxEffort(joints[i].model.limit?.effort));
          this.configured[i] = 'pd';
          this.bias[i] = 0;
        }
        this.bias[i] = clamp(this.bias[i] + KI * h * (target - this.art.q[i]), -MAX_BIAS, MAX_BIAS);
        ij.configureMotorPosition(clamp(target + this.bias[i], joints[i].lower, joints[i].upper), KP, KD);
      } else if (this.configured[i] !== 'limp') {
        // Joint damping only; without damping the motor is switched off by a zero force cap
        // (a motor with zero gains is not neutral in Rapier).
        const c = joints[i].damping;
        ij.configureMotorModel(R.MotorModel.ForceBased);
        ij.configureMotorVelocity(0, c > 0 ? c : 1);
        ij.setMotorMaxForce(c > 0 ? maxEffort(joints[i].model.limit?.effort) : 0);
        this.configured[i] = 'limp';
      }
    }
  }

  /** Set slider targets (clamped into limits; mimic joints follow their leaders). */
  setTargets(q: Record<string, number>): void {
    const index = new Map(this.robot.joints.map((j, i) => [j.name, i]));
    for (const [name, v] of Object.entries(q)) {
      const i = index.get(name);
      if (i === undefined) throw new Error(`no movable joint "${name}"`);
      if (this.leaderIndex[i] >= 0 || !Number.isFinite(v)) continue;
      const j = this.robot.joints[i];
      this.targets[i] = clamp(v, j.lower, j.upper);
    }
    this.applyMimicTargets();
    this.placeKinematic();
  }

  setMode(mode: RobotMode | undefined, hold: RobotHold | undefined, fixedBase: boolean | undefined): string {
    const parts: string[] = [];
    if (fixedBase !== undefined && fixedBase !== this.buildable.fixedBase) {
      this.fixedBase = fixedBase;
      this.rebuild(this.targetValues());
      parts.push(fixedBase ? 'base fixed' : 'base floating');
    }
    if (hold && hold !== this.hold) {
      this.hold = hold;
      parts.push(hold === 'pd' ? 'joints held by PD at the sliders' : 'joints limp');
    }
    if (mode && mode !== this.mode) {
      // Entering dynamics starts from the pose the sliders show, at rest.
      if (mode === 'dynamic') this.rebuild(this.targetValues());
      this.mode = mode;
      parts.push(mode === 'dynamic' ? 'dynamic: gravity on' : 'kinematic: sliders place the joints');
    }
    return parts.join(', ') || 'no change';
  }

  command(control: string, value: unknown, host?: HostContext): string {
    if (control === 'joints') {
      const targets = value as z.output<typeof URDF_COMMANDS.joints>;
      this.setTargets(targets);
      return `${Object.keys(targets).length} joint target(s) set`;
    }
    const m = value as z.output<typeof URDF_COMMANDS.robotMode>;
    const message = this.setMode(m.mode, m.hold, m.fixedBase);
    if (message !== 'no change') host?.note('mode', message);
    return message;
  }

  writePoses(out: Float32Array): void {
    if (this.mode === 'kinematic' && this.kinPoses) out.set(this.kinPoses.subarray(0, out.length));
    else this.art.writePoses(out);
  }

  telemetry(): Record<string, number> {
    const t: Record<string, number> = {};
    if (this.mode === 'dynamic') {
      t.base_height = this.art.state[2];
      let err = 0;
      if (this.hold === 'pd') for (let i = 0; i < this.targets.length; i++) err = Math.max(err, Math.abs(this.art.q[i] - this.targets[i]));
      t.max_joint_error = err;
    } else t.base_height = this.kinPoses?.[2] ?? 0;
    return t;
  }

  /** True when any body state is not finite. */
  hasNaN(): boolean {
    if (this.mode === 'kinematic') return !!this.kinPoses?.some((v) => !Number.isFinite(v));
    return this.art.state.some((v) => !Number.isFinite(v));
  }

  dispose(): void {
    this.world?.free();
    this.world = null;
  }
}

/** The motor force cap: the joint's effort limit, or none. */
function maxEffort(effort: number | undefined): number {
  return effort !== undefined && Number.isFinite(effort) && effort > 0 ? effort : 1e30;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
