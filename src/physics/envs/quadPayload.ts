/**
 * QuadPayload-v0: a quadrotor carrying a payload on a cable (after Belkhale et al. 2021).
 * dt = 0.02 s (timestep 0.01 s x frameSkip 2).
 *
 * Bodies: the quadrotor (body 0) and the payload (body 1), joined by a Rapier rope joint
 * (max-distance constraint: slack when compressed, taut at `cable_length`).
 * Task: the TRACKED body (config.track, default 'payload') follows a reference: 'hover' (a fixed
 * point), 'circle' or 'figure8' (lemniscate) in the horizontal plane at the reference height.
 *
 * ## Observation (25); the reference is taken at the observation's time (steps x dt)
 *
 * | index | observation                                          | unit / frame         |
 * |-------|------------------------------------------------------|----------------------|
 * | 0-2   | tracked-body position minus reference (x, y, z)      | m, world             |
 * | 3-6   | quad orientation quaternion (w, x, y, z)             | body -> world        |
 * | 7-9   | quad linear velocity (x, y, z)                       | m/s, world           |
 * | 10-12 | quad angular velocity (x, y, z)                      | rad/s, body frame    |
 * | 13-15 | payload position minus quad position (x, y, z)       | m, world             |
 * | 16-18 | payload linear velocity (x, y, z)                    | m/s, world           |
 * | 19-21 | reference velocity (x, y, z)                         | m/s, world           |
 * | 22-24 | reference acceleration (x, y, z)                     | m/s^2, world         |
 *
 * Index constants: {@link QUAD_OBS}. The reference's acceleration is there so that a model can
 * foresee where a curving reference goes: with only its velocity, a planner imagined it running
 * straight (0.4 m off after 1 s on the figure-8), and a history window won by seeing it turn.
 *
 * ## Action (4)
 *
 * | index | actuator | range   | rotor position (body x, y) | spin |
 * |-------|----------|---------|----------------------------|------|
 * | 0     | rotor_0  | [-1, 1] | (+, +)                     | +1   |
 * | 1     | rotor_1  | [-1, 1] | (-, +)                     | -1   |
 * | 2     | rotor_2  | [-1, 1] | (-, -)                     | +1   |
 * | 3     | rotor_3  | [-1, 1] | (+, -)                     | -1   |
 *
 * thrust_i = T_max (a_i + 1) / 2 x strength.rotor_i x fault scale, along body +z at rotor i, with
 * T_max = thrustToHover * (m_body + m_payload)_nominal * g / 4, so a = 0 is the nominal hover;
 * each rotor also makes a reaction yaw torque spin_i * yawPerThrust * thrust_i (spin +1 = ccw
 * seen from above). Actions are clipped to [-1, 1] (NaN reads as 0).
 *
 * ## Reward ({@link quadReward}; each term is `info.reward_<term>`)
 *
 * | term    | value                                                                  |
 * |---------|------------------------------------------------------------------------|
 * | survive | healthyReward (1)                                                      |
 * | track   | -trackWeight (1) x \|tracked-body position - reference\| (m)             |
 * | ctrl    | -ctrlCostWeight (0.01) x \|a\|^2                                        |
 *
 * reward = survive + track + ctrl.
 *
 * ## Termination (crash)
 * Quad below 0.05 m, tilted over 90 degrees (body +z pointing down), more than 4 m off the
 * reference, or a non-finite state. Truncation at maxEpisodeSteps (500). info.x_position /
 * x_velocity are the quad's; info.tracking_error is the tracking error at the step's end (m).
 *
 * rewardFromTransition is exact up to float32 rounding (the error is nextObs[0..2]).
 */
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Rapier } from '../rapier.js';
import { QUAD_ROTORS, quadGeometry, quadParams, quadrotorModel, rotorLayout, type QuadParams } from '../robots/quadrotor.js';
import { actionSquaredNorm, ArticulatedEnv, BODY_STATE as S, stepDt, type InitialState } from './base.js';
import type { EnvConfig, Fault, PhysParams } from './types.js';
import type { Rng } from '../rng.js';
import { qconj, qrotate } from '../math.js';
import type { SceneSpec, Vec3 } from '../../shared/scene.js';

/** Observation indices. */
export const QUAD_OBS = {
  errX: 0, errY: 1, errZ: 2,
  qw: 3, qx: 4, qy: 5, qz: 6,
  vx: 7, vy: 8, vz: 9,
  wx: 10, wy: 11, wz: 12,
  payloadX: 13, payloadY: 14, payloadZ: 15,
  payloadVx: 16, payloadVy: 17, payloadVz: 18,
  refVx: 19, refVy: 20, refVz: 21,
  refAx: 22, refAy: 23, refAz: 24,
} as const;
export const QUAD_OBS_SIZE = 25;
/** One action per rotor. */
export const QUAD_ACTION_SIZE = QUAD_ROTORS.spin.length;
/** Timestep, frame skip and gravity. */
export const QUAD_PHYSICS = { timestep: 0.01, frameSkip: 2, gravity: -9.81 };
export const QUAD_DT = stepDt(QUAD_PHYSICS);
/** Crash bounds: quad height (m) and tracking error (m). */
const CRASH = { minHeight: 0.05, maxError: 4 };
/** Body indices (the URDF's link order). */
const QUAD = 0, PAYLOAD = 1;

/** The reference paths, first the default. */
export const QUAD_REFERENCES = ['hover', 'circle', 'figure8'] as const;
export type QuadReference = (typeof QUAD_REFERENCES)[number];

export interface QuadConfig extends EnvConfig {
  reference?: QuadReference;
  track?: 'payload' | 'quad';
  /** reference centre (m) */
  referenceCenter?: Vec3;
  referenceRadius?: number;
  referencePeriod?: number;
  trackWeight?: number;
  ctrlCostWeight?: number;
  healthyReward?: number;
  resetNoiseScale?: number;
  robot?: Partial<QuadParams>;
}

type QuadResolved = QuadConfig & {
  reference: QuadReference; track: 'payload' | 'quad'; referenceCenter: Vec3; referenceRadius: number; referencePeriod: number;
  trackWeight: number; ctrlCostWeight: number; healthyReward: number; resetNoiseScale: number;
  substeps: number; solverIterations: number; maxEpisodeSteps: number;
};

export const QUAD_DEFAULT_CONFIG: QuadResolved = {
  reference: 'hover' as QuadReference,
  track: 'payload' as 'payload' | 'quad',
  referenceCenter: [0, 0, 1] as Vec3,
  referenceRadius: 1,
  referencePeriod: 10,
  trackWeight: 1,
  ctrlCostWeight: 0.01,
  healthyReward: 1,
  resetNoiseScale: 0.01,
  maxEpisodeSteps: 500,
  // one 20 ms world step per env step (thrust updated at 50 Hz), 2 solver iterations (rope only)
  substeps: 0.5,
  solverIterations: 2,
};

/** Named reward terms (info.reward_<name>) and their sum. */
export interface QuadReward {
  survive: number;
  track: number;
  ctrl: number;
  total: number;
}

type QuadRewardConfig = Pick<QuadResolved, 'healthyReward' | 'trackWeight' | 'ctrlCostWeight'>;

/**
 * The QuadPayload reward, for a live step and an imagined transition alike: from the tracking
 * error (m) and the action row at `offset` (clipped as step clips it; `actionSize` entries: 4
 * rotor commands here, 3 velocity commands in QuadPayloadVel-v0).
 */
/**
 * Batched rewards of transitions (rows of `obsSize` and `actionSize`): the tracking error read from
 * the next observation's payload error. What both quad envs' rewardFromTransition compute.
 */
export function quadRewardFromTransition(c: QuadRewardConfig, obs: Float32Array, action: Float32Array, nextObs: Float32Array, obsSize: number, actionSize: number, out?: Float32Array): Float32Array {
  const n = Math.floor(obs.length / obsSize);
  const r = out ?? new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * obsSize;
    const err = Math.hypot(nextObs[o + QUAD_OBS.errX], nextObs[o + QUAD_OBS.errY], nextObs[o + QUAD_OBS.errZ]);
    r[i] = quadReward(c, err, action, i * actionSize, actionSize).total;
  }
  return r;
}

export function quadReward(c: QuadRewardConfig, trackingError: number, action: ArrayLike<number>, offset = 0, actionSize = QUAD_ACTION_SIZE): QuadReward {
  const survive = c.healthyReward;
  const track = -c.trackWeight * trackingError;
  const ctrlCost = c.ctrlCostWeight * actionSquaredNorm(action, offset, actionSize);
  return { survive, track, ctrl: -ctrlCost, total: survive + track - ctrlCost };
}

export class QuadPayloadEnv extends ArticulatedEnv {
  readonly id = 'QuadPayload-v0';
  readonly observationSize = QUAD_OBS_SIZE;
  readonly actionSize = QUAD_ACTION_SIZE;
  private readonly cfg: QuadResolved;
  private readonly qp: QuadParams;
  private readonly rotors: { pos: Vec3; spin: number }[];
  readonly maxThrust: number;
  private thrust = new Float64Array(QUAD_ACTION_SIZE);
  private rotorScale = new Float64Array(QUAD_ACTION_SIZE).fill(1);
  private rope: RAPIER.ImpulseJoint | null = null;

  constructor(R: Rapier, config: QuadConfig = {}) {
    const cfg: QuadResolved = { ...QUAD_DEFAULT_CONFIG, ...config } as QuadResolved;
    const model = quadrotorModel();
    const qp = quadParams(model, cfg.robot);
    super(R, model, { ...QUAD_PHYSICS, substeps: cfg.substeps, solverIterations: cfg.solverIterations }, cfg, QUAD_DEFAULT_CONFIG.maxEpisodeSteps);
    this.cfg = cfg;
    this.qp = qp;
    this.rotors = rotorLayout(model);
    this.maxThrust = (qp.thrustToHover * (quadGeometry(model).bodyMass + qp.payloadMass) * Math.abs(QUAD_PHYSICS.gravity)) / QUAD_ACTION_SIZE;
    delete this.nominal['mass.payload'];
    delete this.nominal['friction.payload'];
    this.current = { ...this.nominal };
  }

  /** The scene with its cable, from the rope's anchor under the body to the payload's centre. */
  override sceneSpec(): SceneSpec {
    const hook: Vec3 = [0, 0, -quadGeometry(this.model).bodyHalfHeight];
    return { ...super.sceneSpec(), tethers: [{ from: { body: QUAD, point: hook }, to: { body: PAYLOAD, point: [0, 0, 0] }, length: this.current.cable_length, radius: 0.004, color: [0.12, 0.12, 0.14, 1] }] };
  }

  /** The rope's length now (domain randomization may draw a new one at each reset). */
  tetherLengths(): number[] {
    return [this.current.cable_length];
  }

  /** Action that makes thrust equal weight for the current params (hover thrust). */
  hoverAction(): number {
    const p = this.current;
    const w = (p['mass.body'] + p.payload_mass) * Math.abs(p.gravity);
    return (2 * (w / QUAD_ACTION_SIZE)) / this.maxThrust - 1;
  }

  protected override extraNominalParams(): PhysParams {
    const qp = this.qp ?? quadParams(this.model, this.config.robot as Partial<QuadParams> | undefined);
    const p: PhysParams = { payload_mass: qp.payloadMass, cable_length: qp.cableLength };
    for (let i = 0; i < QUAD_ACTION_SIZE; i++) p[`strength.rotor_${i}`] = 1;
    return p;
  }

  protected override applyExtraParams(p: PhysParams): void {
    const rb = this.robot.bodies[PAYLOAD];
    const m = p.payload_mass;
    const r2 = 0.4 * m * quadGeometry(this.model).payloadRadius ** 2;
    rb.setAdditionalMassProperties(m, { x: 0, y: 0, z: 0 }, { x: r2, y: r2, z: r2 }, { x: 0, y: 0, z: 0, w: 1 }, false);
    this.makeRope(p.cable_length);
  }

  private makeRope(length: number): void {
    if (this.rope) this.world.removeImpulseJoint(this.rope, false);
    const data = this.R.JointData.rope(length, { x: 0, y: 0, z: -quadGeometry(this.model).bodyHalfHeight }, { x: 0, y: 0, z: 0 });
    this.rope = this.world.createImpulseJoint(data, this.robot.bodies[QUAD], this.robot.bodies[PAYLOAD], true);
    this.rope.setContactsEnabled(false);
  }

  protected override buildWorld(): void {
    this.rope = null;
    super.buildWorld();
  }

  reference(t: number): { p: Vec3; v: Vec3; a: Vec3 } {
    const c = this.cfg.referenceCenter, r = this.cfg.referenceRadius, w = (2 * Math.PI) / this.cfg.referencePeriod;
    switch (this.cfg.reference) {
      case 'circle':
        return { p: [c[0] + r * Math.cos(w * t) - r, c[1] + r * Math.sin(w * t), c[2]], v: [-r * w * Math.sin(w * t), r * w * Math.cos(w * t), 0], a: [-r * w * w * Math.cos(w * t), -r * w * w * Math.sin(w * t), 0] };
      case 'figure8':
        return { p: [c[0] + r * Math.sin(w * t), c[1] + (r / 2) * Math.sin(2 * w * t), c[2]], v: [r * w * Math.cos(w * t), r * w * Math.cos(2 * w * t), 0], a: [-r * w * w * Math.sin(w * t), -2 * r * w * w * Math.sin(2 * w * t), 0] };
      default:
        return { p: [c[0], c[1], c[2]], v: [0, 0, 0], a: [0, 0, 0] };
    }
  }

  /** The reference over one period as `n` xyz triples (world frame; a hover is one point), for drawing. */
  referencePath(n = 128): number[] {
    if (this.cfg.reference === 'hover') return [...this.reference(0).p];
    const out: number[] = [];
    for (let i = 0; i <= n; i++) out.push(...this.reference((i / n) * this.cfg.referencePeriod).p);
    return out;
  }

  /** Where the tracked body (config.track: the payload by default) is now, world frame. */
  trackedPoint(): Vec3 {
    return this.tracked();
  }

  protected initialState(rng: Rng, noNoise: boolean): InitialState {
    const s = noNoise ? 0 : this.cfg.resetNoiseScale;
    const u = () => (s ? rng.range(-s, s) : 0);
    const ref = this.reference(0).p;
    const lift = this.cfg.track === 'payload' ? this.current.cable_length + quadGeometry(this.model).bodyHalfHeight : 0;
    return { basePos: [ref[0] + u(), ref[1] + u(), ref[2] + lift + u()], baseQuat: [u() * 0.1, u() * 0.1, 0, 1], baseLinVel: [u(), u(), u()], baseAngVel: [u(), u(), u()], q: [], qd: [] };
  }

  protected override setInitialState(st: InitialState): void {
    super.setInitialState(st);
    // payload hangs straight below on a taut cable, at rest
    const p = st.basePos;
    const rb = this.robot.bodies[PAYLOAD];
    rb.setTranslation({ x: p[0], y: p[1], z: p[2] - quadGeometry(this.model).bodyHalfHeight - this.current.cable_length }, false);
    rb.setRotation({ x: 0, y: 0, z: 0, w: 1 }, false);
    rb.setLinvel({ x: st.baseLinVel[0], y: st.baseLinVel[1], z: st.baseLinVel[2] }, false);
    rb.setAngvel({ x: 0, y: 0, z: 0 }, false);
  }

  protected override computeTorques(a: Float64Array): void {
    for (let i = 0; i < QUAD_ACTION_SIZE; i++) {
      this.thrust[i] = ((this.maxThrust * (a[i] + 1)) / 2) * (this.current[`strength.rotor_${i}`] ?? 1) * this.rotorScale[i];
    }
  }

  protected override beforeWorldStep(): void {
    const rb = this.robot.bodies[QUAD];
    const s = this.art.state;
    const q: [number, number, number, number] = [s[S.qx], s[S.qy], s[S.qz], s[S.qw]];
    const z = qrotate(q, [0, 0, 1]);
    rb.resetForces(false);
    rb.resetTorques(false);
    let yaw = 0;
    for (let i = 0; i < QUAD_ACTION_SIZE; i++) {
      const T = this.thrust[i];
      const r = this.rotors[i];
      const pw = qrotate(q, r.pos);
      rb.addForceAtPoint({ x: z[0] * T, y: z[1] * T, z: z[2] * T }, { x: s[S.x] + pw[0], y: s[S.y] + pw[1], z: s[S.z] + pw[2] }, false);
      yaw += r.spin * this.qp.yawPerThrust * T;
    }
    rb.addTorque({ x: z[0] * yaw, y: z[1] * yaw, z: z[2] * yaw }, false);
  }

  override applyFault(fault: Fault): void {
    if (fault.kind === 'weakenMotor' && (typeof fault.joint === 'number' || fault.joint.startsWith('rotor_'))) {
      const i = typeof fault.joint === 'number' ? fault.joint : +fault.joint.slice(6);
      this.rotorScale[i] = fault.factor;
      this.firedFaults.push(fault);
      return;
    }
    if (fault.kind === 'cripple') {
      this.rotorScale[fault.leg] = 0;
      this.firedFaults.push(fault);
      return;
    }
    super.applyFault(fault);
  }

  /** A step; info.tracking_error is the tracked body's distance to the reference at its end (m, = |obs[0..2]|). */
  override step(action: ArrayLike<number>) {
    const r = super.step(action);
    r.info.tracking_error = Math.hypot(r.obs[QUAD_OBS.errX], r.obs[QUAD_OBS.errY], r.obs[QUAD_OBS.errZ]);
    return r;
  }

  override reset(opts: Parameters<ArticulatedEnv['reset']>[0] = {}) {
    this.rotorScale.fill(1);
    return super.reset(opts);
  }

  private tracked(): Vec3 {
    return this.art.bodyPos(this.cfg.track === 'payload' ? PAYLOAD : QUAD);
  }

  protected observe(out: Float32Array): void {
    const s = this.art.state;
    const P = PAYLOAD * S.size; // the payload's state
    const ref = this.reference(this.stepCount * this.dt);
    const tp = this.tracked();
    out[QUAD_OBS.errX] = tp[0] - ref.p[0];
    out[QUAD_OBS.errY] = tp[1] - ref.p[1];
    out[QUAD_OBS.errZ] = tp[2] - ref.p[2];
    out[QUAD_OBS.qw] = s[S.qw];
    out[QUAD_OBS.qx] = s[S.qx];
    out[QUAD_OBS.qy] = s[S.qy];
    out[QUAD_OBS.qz] = s[S.qz];
    out[QUAD_OBS.vx] = s[S.vx];
    out[QUAD_OBS.vy] = s[S.vy];
    out[QUAD_OBS.vz] = s[S.vz];
    const wl = qrotate(qconj([s[S.qx], s[S.qy], s[S.qz], s[S.qw]]), [s[S.wx], s[S.wy], s[S.wz]]);
    out[QUAD_OBS.wx] = wl[0];
    out[QUAD_OBS.wy] = wl[1];
    out[QUAD_OBS.wz] = wl[2];
    out[QUAD_OBS.payloadX] = s[P + S.x] - s[S.x];
    out[QUAD_OBS.payloadY] = s[P + S.y] - s[S.y];
    out[QUAD_OBS.payloadZ] = s[P + S.z] - s[S.z];
    out[QUAD_OBS.payloadVx] = s[P + S.vx];
    out[QUAD_OBS.payloadVy] = s[P + S.vy];
    out[QUAD_OBS.payloadVz] = s[P + S.vz];
    out[QUAD_OBS.refVx] = ref.v[0];
    out[QUAD_OBS.refVy] = ref.v[1];
    out[QUAD_OBS.refVz] = ref.v[2];
    out[QUAD_OBS.refAx] = ref.a[0];
    out[QUAD_OBS.refAy] = ref.a[1];
    out[QUAD_OBS.refAz] = ref.a[2];
  }

  protected evaluate(a: Float64Array, xBefore: number) {
    const s = this.art.state;
    // the reference at the step's end (stepCount is incremented after evaluate)
    const ref = this.reference(this.stepCount * this.dt + this.dt);
    const tp = this.tracked();
    const err = Math.hypot(tp[0] - ref.p[0], tp[1] - ref.p[1], tp[2] - ref.p[2]);
    let finite = true;
    for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i])) finite = false;
    const up = qrotate([s[S.qx], s[S.qy], s[S.qz], s[S.qw]], [0, 0, 1])[2];
    const crashed = !finite || s[S.z] < CRASH.minHeight || up < 0 || err > CRASH.maxError;
    const { total, ...parts } = quadReward(this.cfg, err, a);
    return { reward: total, parts, terminated: crashed, xVelocity: (s[S.x] - xBefore) / this.dt };
  }

  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array {
    return quadRewardFromTransition(this.cfg, obs, action, nextObs, this.observationSize, this.actionSize, out);
  }
}
