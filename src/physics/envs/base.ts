/**
 * Shared machinery of the articulated envs: world (re)building, the actuated step loop,
 * declarative DR over physical parameters, faults, poses and diagnostics.
 */
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Rapier } from '../rapier.js';
import type { BodyStretch, SceneSpec, Vec3, Quat } from '../../shared/scene.js';
import type { RobotModel } from '../robot/model.js';
import { buildRobot, GROUND_COLLISION_GROUPS, type BuiltRobot } from '../robot/builder.js';
import { Articulation } from '../actuation.js';
import { Rng } from '../rng.js';
import { drStream, randomize, type DRTerm } from '../randomization.js';
import { qaxisAngle, qmul, qnormalize, qrotate, vadd, vcross } from '../math.js';
import type { Diagnostics, Env, EnvConfig, Fault, LegPart, PhysParams, ResetOptions, ResetResult, ScheduledFault, StepInfo, StepResult } from './types.js';

export interface PhysicsSettings {
  /** Gym's timestep (s) */
  timestep: number;
  frameSkip: number;
  /** Rapier world steps per timestep */
  substeps: number;
  solverIterations: number;
  /** Rapier internal PGS iterations per solver iteration (default 1) */
  pgsIterations?: number;
  /** deceleration bound (rad/s^2) for approaching joint limits, 0 = none (see ACTUATION.md) */
  limitBrake?: number;
  /** joint-limit projection backstop tolerance (rad), 0 = off (see ACTUATION.md) */
  limitProjection?: number;
  /** joint-separation projection backstop tolerance (m), 0 = off */
  separationProjection?: number;
  gravity: number;
}

/**
 * Per-body layout of `Articulation.state` (actuation.ts), 13 floats per body, world frame:
 * position, quaternion in Rapier's (x, y, z, w) order, COM linear velocity, angular velocity.
 */
export const BODY_STATE = { x: 0, y: 1, z: 2, qx: 3, qy: 4, qz: 5, qw: 6, vx: 7, vy: 8, vz: 9, wx: 10, wy: 11, wz: 12, size: 13 } as const;

/** Seconds per env step; the registry reads it from the same settings the env runs with. */
export function stepDt(p: Pick<PhysicsSettings, 'timestep' | 'frameSkip'>): number {
  return p.timestep * p.frameSkip;
}

/** An index table moved up by `by` (an observation with extra leading entries, e.g. torso x, y). */
export function shiftIndices<T extends Record<string, number>>(table: T, by: number): { [K in keyof T]: number } {
  const out = {} as { [K in keyof T]: number };
  for (const k of Object.keys(table) as (keyof T)[]) out[k] = table[k] + by;
  return out;
}

/** How `step` reads an action entry: clipped to [-1, 1], NaN as 0. */
export function clipAction(v: number): number {
  return v > 1 ? 1 : v < -1 ? -1 : v !== v ? 0 : v;
}

/** |a|^2 of `n` action entries from `offset`, each clipped as `step` clips it (the control cost). */
export function actionSquaredNorm(action: ArrayLike<number>, offset: number, n: number): number {
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const u = clipAction(action[offset + k]);
    sum += u * u;
  }
  return sum;
}

export interface InitialState {
  basePos: Vec3;
  baseQuat: Quat;
  baseLinVel: Vec3;
  baseAngVel: Vec3;
  /** by joint index */
  q: number[];
  qd: number[];
}

export abstract class ArticulatedEnv implements Env {
  abstract readonly id: string;
  abstract readonly observationSize: number;
  abstract readonly actionSize: number;
  readonly dt: number;
  readonly maxEpisodeSteps: number;
  readonly config: EnvConfig;
  protected readonly R: Rapier;
  protected readonly model: RobotModel;
  protected world!: RAPIER.World;
  protected robot!: BuiltRobot;
  protected art!: Articulation;
  protected readonly physics: PhysicsSettings;
  protected rng = new Rng(0);
  protected drRng = new Rng(1);
  protected nominal: PhysParams = {};
  protected current: PhysParams = {};
  private startupParams: PhysParams | null = null;
  protected stepCount = 0;
  protected firedFaults: Fault[] = [];
  /** shape changes made by faults since the reset (see Env.stretchedBodies) */
  protected stretched: BodyStretch[] = [];
  protected faultScale: Float64Array;
  protected readonly torque: Float64Array;
  /** action index -> joint index */
  protected actuatorJoint: number[] = [];
  protected readonly ctrl: Float64Array;
  private terms: DRTerm[];
  private schedule: ScheduledFault[];
  private disposed = false;
  bodyCount = 0;
  /** Rapier world steps per env step = frameSkip * substeps (substeps may be fractional, e.g. 0.5) */
  protected readonly worldSteps: number;

  constructor(R: Rapier, model: RobotModel, physics: PhysicsSettings, config: EnvConfig, maxEpisodeSteps: number) {
    this.R = R;
    this.model = model;
    this.config = config;
    this.physics = {
      ...physics,
      substeps: config.substeps ?? physics.substeps,
      solverIterations: config.solverIterations ?? physics.solverIterations,
      pgsIterations: config.pgsIterations ?? physics.pgsIterations,
      limitProjection: (config.limitProjection as number | undefined) ?? physics.limitProjection,
      separationProjection: (config.separationProjection as number | undefined) ?? physics.separationProjection,
    };
    this.dt = stepDt(physics);
    this.worldSteps = Math.max(1, Math.round(physics.frameSkip * this.physics.substeps));
    this.maxEpisodeSteps = config.maxEpisodeSteps ?? maxEpisodeSteps;
    this.terms = config.randomize ?? [];
    this.schedule = [...(config.faults ?? [])].sort((a, b) => a.atStep - b.atStep);
    this.buildWorld();
    this.nominal = this.readNominalParams();
    this.current = { ...this.nominal };
    this.faultScale = new Float64Array(this.robot.joints.length).fill(1);
    this.torque = new Float64Array(this.robot.joints.length);
    this.ctrl = new Float64Array(0);
  }

  // ---- per-env hooks -------------------------------------------------------------------------
  /** Initial state for an episode (nominal pose plus reset noise). */
  protected abstract initialState(rng: Rng, noNoise: boolean): InitialState;
  protected abstract observe(out: Float32Array): void;
  /** Reward parts and termination, after the physics of a step. */
  protected abstract evaluate(action: Float64Array, xBefore: number): { reward: number; parts: Record<string, number>; terminated: boolean; xVelocity: number };
  abstract rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array;
  /** Legs (lists of joint names) for `cripple`. */
  protected legs(): string[][] {
    return [];
  }
  /** Index of the body whose x is reported (torso). */
  protected torsoBody(): number {
    return 0;
  }
  /** Extra scene content (ground, cable...). */
  protected extraWorld(): void {}
  /** Apply env-specific params (beyond mass/friction/damping/armature/strength/gravity). */
  protected applyExtraParams(_p: PhysParams): void {}
  protected extraNominalParams(): PhysParams {
    return {};
  }
  /** Shrink a leg's lower segment (cripple with shrink); default: not supported. */
  protected shrinkLeg(_leg: number, _factor: number): void {}

  // ---- world -----------------------------------------------------------------------------------
  protected buildWorld(): void {
    if (this.world) this.world.free();
    const R = this.R;
    const world = new R.World({ x: 0, y: 0, z: this.current.gravity ?? this.physics.gravity });
    world.timestep = this.dt / Math.max(1, Math.round(this.physics.frameSkip * this.physics.substeps));
    world.numSolverIterations = this.physics.solverIterations;
    world.numInternalPgsIterations = this.physics.pgsIterations ?? 1;
    const ground = world.createRigidBody(R.RigidBodyDesc.fixed().setTranslation(0, 0, -0.5));
    world.createCollider(
      R.ColliderDesc.cuboid(500, 500, 0.5).setFriction(1).setFrictionCombineRule(R.CoefficientCombineRule.Max).setCollisionGroups(GROUND_COLLISION_GROUPS),
      ground,
    );
    this.world = world;
    this.robot = buildRobot(R, world, this.model, { armatureAsInertia: !!this.config.armatureAsInertia, rapierLimits: this.config.rapierLimits !== false });
    this.art = new Articulation(R, this.robot);
    this.art.brake = (this.config.limitBrake as number | undefined) ?? this.physics.limitBrake ?? 0;
    this.bodyCount = this.robot.bodies.length;
    this.extraWorld();
  }

  private readNominalParams(): PhysParams {
    const p: PhysParams = { gravity: this.physics.gravity };
    this.robot.bodyNames.forEach((n, b) => {
      p[`mass.${n}`] = this.robot.masses[b];
      const rb = this.robot.bodies[b];
      if (rb.numColliders() > 0) p[`friction.${n}`] = rb.collider(0).friction();
    });
    for (const j of this.robot.joints) {
      if (!j.gear) continue;
      p[`damping.${j.name}`] = j.damping;
      p[`armature.${j.name}`] = j.armature;
      p[`strength.${j.name}`] = 1;
    }
    return { ...p, ...this.extraNominalParams() };
  }

  /** Apply params to the live world (used at reset and for interval DR). */
  protected applyParams(p: PhysParams): void {
    const rob = this.robot;
    this.world.gravity = { x: 0, y: 0, z: p.gravity };
    rob.bodyNames.forEach((n, b) => {
      const rb = rob.bodies[b];
      const m = p[`mass.${n}`];
      if (m !== undefined && m !== rob.massProps[b].mass) {
        const mp = rob.massProps[b];
        const k = m / mp.mass;
        rb.setAdditionalMassProperties(m, { x: mp.com[0], y: mp.com[1], z: mp.com[2] }, { x: mp.moments[0] * k, y: mp.moments[1] * k, z: mp.moments[2] * k }, { x: mp.frame[0], y: mp.frame[1], z: mp.frame[2], w: mp.frame[3] }, false);
      }
      const f = p[`friction.${n}`];
      if (f !== undefined) for (let c = 0; c < rb.numColliders(); c++) rb.collider(c).setFriction(f);
    });
    rob.joints.forEach((j, i) => {
      if (!j.gear) return;
      this.art.damping[i] = p[`damping.${j.name}`];
      this.art.armature[i] = p[`armature.${j.name}`];
      this.art.strength[i] = p[`strength.${j.name}`];
    });
    this.applyExtraParams(p);
  }

  // ---- Env API ---------------------------------------------------------------------------------
  reset(opts: { seed?: number; options?: ResetOptions } = {}): ResetResult {
    if (opts.seed !== undefined) {
      this.rng = new Rng(opts.seed, 0x2545f491);
      this.drRng = drStream(opts.seed);
      this.startupParams = null;
    }
    // DR from nominal: startup once, reset every episode (interval terms also resample now)
    if (!this.startupParams) this.startupParams = randomize(this.nominal, this.nominal, this.terms, ['startup'], this.drRng);
    let p = randomize(this.nominal, this.startupParams, this.terms, ['reset', 'interval'], this.drRng);
    if (opts.options?.params) p = { ...p, ...opts.options.params };
    this.current = p;
    this.buildWorld();
    this.applyParams(p);
    this.faultScale.fill(1);
    this.firedFaults = [];
    this.stretched = [];
    this.stepCount = 0;
    this.setInitialState(this.initialState(this.rng, !!opts.options?.noNoise));
    this.art.readState();
    const obs = new Float32Array(this.observationSize);
    this.observe(obs);
    return { obs, info: this.makeInfo({}, 0) };
  }

  step(action: ArrayLike<number>): StepResult {
    if (this.disposed) throw new Error('env disposed');
    // scheduled faults and interval DR
    for (const s of this.schedule) if (s.atStep === this.stepCount) this.applyFault(s.fault);
    if (this.stepCount > 0) {
      for (const t of this.terms) {
        if (t.mode === 'interval' && t.intervalSteps && this.stepCount % t.intervalSteps === 0) {
          this.current = randomize(this.nominal, this.current, [t], ['interval'], this.drRng);
          this.applyParams(this.current);
        }
      }
    }
    const a = new Float64Array(this.actionSize);
    for (let k = 0; k < this.actionSize; k++) a[k] = clipAction(action[k]);
    this.computeTorques(a);
    const xBefore = this.art.bodyPos(this.torsoBody())[0];
    this.simulate(this.worldSteps);
    const { reward, parts, terminated } = this.evaluate(a, xBefore);
    this.stepCount++;
    const obs = new Float32Array(this.observationSize);
    this.observe(obs);
    const truncated = !terminated && this.stepCount >= this.maxEpisodeSteps;
    return { obs, reward, terminated, truncated, info: this.makeInfo(parts, (this.art.bodyPos(this.torsoBody())[0] - xBefore) / this.dt) };
  }

  /** Gear * strength * fault scale * action, per joint. */
  protected computeTorques(a: Float64Array): void {
    this.torque.fill(0);
    const joints = this.robot.joints;
    for (let k = 0; k < this.actuatorJoint.length; k++) {
      const i = this.actuatorJoint[k];
      this.torque[i] = joints[i].gear * this.art.strength[i] * this.faultScale[i] * a[k];
    }
  }

  /** Advance n world steps with the implicit actuators. */
  protected simulate(n: number): void {
    const h = this.world.timestep;
    const tol = this.physics.limitProjection ?? 0;
    const sepTol = this.physics.separationProjection ?? 0;
    // this.art.state is current on entry (read at the end of the previous step / reset)
    for (let s = 0; s < n; s++) {
      this.beforeWorldStep();
      this.art.actuate(this.torque, h);
      this.world.step();
      this.art.readState();
      if (sepTol > 0) this.art.projectSeparation(sepTol);
      if (tol > 0) this.art.projectLimits(tol);
    }
  }

  /** How often the joint-limit / joint-separation backstops engaged since the last reset. */
  get projections(): { limit: number; separation: number; worldSteps: number } {
    return { limit: this.art.projections, separation: this.art.separationProjections, worldSteps: this.stepCount * this.worldSteps };
  }

  /** Hook for per-substep external forces (quadrotor thrust). */
  protected beforeWorldStep(): void {}

  private makeInfo(parts: Record<string, number>, xVel: number): StepInfo {
    const info: StepInfo = {
      params: { ...this.current },
      x_position: this.art.bodyPos(this.torsoBody())[0],
      x_velocity: xVel,
      step: this.stepCount,
      faults: [...this.firedFaults],
    };
    for (const [k, v] of Object.entries(parts)) info[`reward_${k}`] = v;
    return info;
  }

  applyFault(fault: Fault): void {
    const jointIndex = (j: string | number): number => {
      const i = typeof j === 'number' ? j : this.robot.joints.findIndex((x) => x.name === j);
      if (i < 0 || i >= this.robot.joints.length) throw new Error(`no joint ${j}`);
      return i;
    };
    switch (fault.kind) {
      case 'cripple': {
        const legs = this.legs();
        const leg = legs[fault.leg];
        if (!leg) throw new Error(`no leg ${fault.leg} (this robot has ${legs.length})`);
        for (const jn of leg) this.faultScale[jointIndex(jn)] = 0;
        if (fault.shrink) this.shrinkLeg(fault.leg, fault.shrinkFactor ?? 0.5);
        break;
      }
      case 'lockJoint':
        this.art.setLocked(jointIndex(fault.joint), true);
        break;
      case 'weakenMotor':
        this.faultScale[jointIndex(fault.joint)] = fault.factor;
        break;
      case 'setParams': {
        const unknown = Object.keys(fault.params).filter((k) => !(k in this.nominal));
        if (unknown.length) throw new Error(`${this.id}: no parameter ${unknown.join(', ')} (known: ${Object.keys(this.nominal).join(', ')})`);
        this.current = { ...this.current, ...fault.params };
        this.applyParams(this.current);
        break;
      }
    }
    this.firedFaults.push(fault);
  }

  actuatorNames(): string[] {
    return this.actuatorJoint.map((i) => this.robot.joints[i].name);
  }

  bodyState(): Float64Array {
    return this.art.state.slice();
  }

  setBodyState(state: Float64Array): Float32Array {
    const n = this.robot.bodies.length;
    if (state.length !== n * 13) throw new Error(`${this.id}: a body state has ${n * 13} floats (13 a body), got ${state.length}`);
    for (let b = 0; b < n; b++) {
      const o = b * 13;
      const s = (k: number): [number, number, number] => [state[o + k], state[o + k + 1], state[o + k + 2]];
      Articulation.setBody(this.robot.bodies[b], s(0), [state[o + 3], state[o + 4], state[o + 5], state[o + 6]], s(7), s(10));
    }
    this.art.readState();
    const obs = new Float32Array(this.observationSize);
    this.observe(obs);
    return obs;
  }

  legParts(): LegPart[] {
    return this.legs().map((joints) => ({
      joints,
      bodies: joints.flatMap((n) => this.robot.joints.filter((j) => j.name === n).map((j) => j.childBody)),
    }));
  }

  sceneSpec(): SceneSpec {
    return { name: this.id, upAxis: 'z', bodies: this.robot.sceneBodies.map((b) => ({ ...b, visuals: [...b.visuals] })), groundHalfSize: 20 };
  }

  stretchedBodies(): BodyStretch[] {
    return this.stretched.map((s) => ({ ...s, axis: [...s.axis] }));
  }

  writePoses(out: Float32Array, offset = 0): void {
    this.art.writePoses(out, offset);
  }

  nominalParams(): PhysParams {
    return { ...this.nominal };
  }

  params(): PhysParams {
    return { ...this.current };
  }

  diagnostics(): Diagnostics {
    const s = this.art.state;
    let finite = true;
    for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i])) finite = false;
    const p = this.art.bodyPos(this.torsoBody());
    return { x: p[0], torsoHeight: p[2], maxJointSeparation: this.art.maxJointSeparation(), maxLimitViolation: this.art.maxLimitViolation(), finite };
  }

  dispose(): void {
    if (!this.disposed) {
      this.world.free();
      this.disposed = true;
    }
  }

  // ---- state setting (forward kinematics with velocities) ----------------------------------------
  protected setInitialState(st: InitialState): void {
    const rob = this.robot;
    const n = rob.bodies.length;
    const P: Vec3[] = new Array(n), Q: Quat[] = new Array(n), V: Vec3[] = new Array(n), W: Vec3[] = new Array(n);
    P[0] = st.basePos;
    Q[0] = qnormalize(st.baseQuat);
    V[0] = st.baseLinVel;
    W[0] = st.baseAngVel;
    // bodies not reached by a joint (free bodies like a payload) keep their built pose, at rest
    for (let b = 1; b < n; b++) {
      const T = rob.initialPoses[b], T0 = rob.initialPoses[0];
      // keep their offset relative to the base as built
      const rel = qrotate([-T0.q[0], -T0.q[1], -T0.q[2], T0.q[3]], [T.p[0] - T0.p[0], T.p[1] - T0.p[1], T.p[2] - T0.p[2]]);
      P[b] = vadd(P[0], qrotate(Q[0], rel));
      Q[b] = qnormalize(qmul(Q[0], qmul([-T0.q[0], -T0.q[1], -T0.q[2], T0.q[3]], T.q)));
      V[b] = V[0];
      W[b] = [0, 0, 0];
    }
    for (const ji of rob.topoOrder) {
      const j = rob.joints[ji];
      const pb = j.parentBody, cb = j.childBody;
      const qv = st.q[j.index] ?? 0, qdv = st.qd[j.index] ?? 0;
      const anchorW = vadd(P[pb], qrotate(Q[pb], j.anchorParent));
      const frame = qmul(Q[pb], j.zeroRot);
      if (j.type === 'prismatic') {
        Q[cb] = qnormalize(frame);
        const axW = qrotate(Q[cb], j.axis);
        P[cb] = vadd(anchorW, [axW[0] * qv, axW[1] * qv, axW[2] * qv]);
        W[cb] = W[pb];
        V[cb] = vadd(vadd(V[pb], vcross(W[pb], [P[cb][0] - P[pb][0], P[cb][1] - P[pb][1], P[cb][2] - P[pb][2]])), [axW[0] * qdv, axW[1] * qdv, axW[2] * qdv]);
      } else {
        Q[cb] = qnormalize(qmul(frame, qaxisAngle(j.axis, qv)));
        const axW = qrotate(Q[cb], j.axis);
        P[cb] = anchorW;
        W[cb] = vadd(W[pb], [axW[0] * qdv, axW[1] * qdv, axW[2] * qdv]);
        V[cb] = vadd(V[pb], vcross(W[pb], [P[cb][0] - P[pb][0], P[cb][1] - P[pb][1], P[cb][2] - P[pb][2]]));
      }
    }
    for (let b = 0; b < n; b++) {
      // Rapier's linvel is the COM velocity: v_com = v_origin + w x (R com)
      const com = qrotate(Q[b], rob.massProps[b].com);
      const vcom = vadd(V[b], vcross(W[b], com));
      Articulation.setBody(rob.bodies[b], P[b], Q[b], vcom, W[b]);
    }
  }
}
