/**
 * QuadPayload-v0: a quadrotor carrying a payload on a cable (after Belkhale et al. 2021).
 *
 * Bodies: the quadrotor (body 0) and the payload (body 1), joined by a Rapier rope joint
 * (max-distance constraint: slack when compressed, taut at `cable_length`).
 * Action (4): rotor commands in [-1, 1]; thrust_i = T_max (a_i + 1) / 2 along body +z at rotor i,
 * with T_max = thrustToHover * (m_body + m_payload)_nominal * g / 4, so a = 0 is the nominal
 * hover; each rotor also makes a reaction yaw torque spin_i * yawPerThrust * thrust_i.
 * Task: the TRACKED body (config.track, default 'payload') follows a reference: 'hover' (a fixed
 * point), 'circle' or 'figure8' (lemniscate) in the horizontal plane at the reference height.
 * Observation (22): tracked-body position minus reference (3), quad quaternion (w, x, y, z) (4),
 * quad linear velocity (3), quad angular velocity in the body frame (3), payload position minus
 * quad position (3), payload linear velocity (3), reference velocity (3).
 * Reward: healthy (1) - trackWeight * |tracking error| - ctrlCostWeight * |a|^2.
 * Termination (crash): quad below 0.05 m, tilt over 90 degrees, more than 4 m off the reference,
 * or a non-finite state. x_position/x_velocity in info are the quad's.
 * rewardFromTransition is exact (the error is in nextObs[0..3]).
 */
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Rapier } from '../rapier.js';
import { quadGeometry, quadParams, quadrotorModel, rotorLayout, type QuadParams } from '../robots/quadrotor.js';
import { ArticulatedEnv, type InitialState } from './base.js';
import type { EnvConfig, Fault, PhysParams } from './types.js';
import type { Rng } from '../rng.js';
import { qconj, qrotate } from '../math.js';
import type { SceneSpec, Vec3 } from '../../shared/scene.js';

export type QuadReference = 'hover' | 'circle' | 'figure8';

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
  substeps: number; solverIterations: number;
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

export class QuadPayloadEnv extends ArticulatedEnv {
  readonly id = 'QuadPayload-v0';
  readonly observationSize = 22;
  readonly actionSize = 4;
  private readonly cfg: QuadResolved;
  private readonly qp: QuadParams;
  private readonly rotors: { pos: Vec3; spin: number }[];
  readonly maxThrust: number;
  private thrust = new Float64Array(4);
  private rotorScale = new Float64Array(4).fill(1);
  private rope: RAPIER.ImpulseJoint | null = null;

  constructor(R: Rapier, config: QuadConfig = {}) {
    const cfg: QuadResolved = { ...QUAD_DEFAULT_CONFIG, ...config } as QuadResolved;
    const model = quadrotorModel();
    const qp = quadParams(model, cfg.robot);
    super(R, model, { timestep: 0.01, frameSkip: 2, gravity: -9.81, substeps: cfg.substeps, solverIterations: cfg.solverIterations }, cfg, 500);
    this.cfg = cfg;
    this.qp = qp;
    this.rotors = rotorLayout(model);
    this.maxThrust = (qp.thrustToHover * (quadGeometry(model).bodyMass + qp.payloadMass) * 9.81) / 4;
    delete this.nominal['mass.payload'];
    delete this.nominal['friction.payload'];
    this.current = { ...this.nominal };
  }

  /** The scene with its cable, from the rope's anchor under the body to the payload's centre. */
  override sceneSpec(): SceneSpec {
    const hook: Vec3 = [0, 0, -quadGeometry(this.model).bodyHalfHeight];
    return { ...super.sceneSpec(), tethers: [{ from: { body: 0, point: hook }, to: { body: 1, point: [0, 0, 0] }, length: this.current.cable_length, radius: 0.004, color: [0.12, 0.12, 0.14, 1] }] };
  }

  /** The rope's length now (domain randomization may draw a new one at each reset). */
  tetherLengths(): number[] {
    return [this.current.cable_length];
  }

  /** Action that makes thrust equal weight for the current params (hover thrust). */
  hoverAction(): number {
    const p = this.current;
    const w = (p['mass.body'] + p.payload_mass) * Math.abs(p.gravity);
    return (2 * (w / 4)) / this.maxThrust - 1;
  }

  protected override extraNominalParams(): PhysParams {
    const qp = this.qp ?? quadParams(this.model, this.config.robot as Partial<QuadParams> | undefined);
    const p: PhysParams = { payload_mass: qp.payloadMass, cable_length: qp.cableLength };
    for (let i = 0; i < 4; i++) p[`strength.rotor_${i}`] = 1;
    return p;
  }

  protected override applyExtraParams(p: PhysParams): void {
    const rb = this.robot.bodies[1];
    const m = p.payload_mass;
    const r2 = 0.4 * m * quadGeometry(this.model).payloadRadius ** 2;
    rb.setAdditionalMassProperties(m, { x: 0, y: 0, z: 0 }, { x: r2, y: r2, z: r2 }, { x: 0, y: 0, z: 0, w: 1 }, false);
    this.makeRope(p.cable_length);
  }

  private makeRope(length: number): void {
    if (this.rope) this.world.removeImpulseJoint(this.rope, false);
    const data = this.R.JointData.rope(length, { x: 0, y: 0, z: -quadGeometry(this.model).bodyHalfHeight }, { x: 0, y: 0, z: 0 });
    this.rope = this.world.createImpulseJoint(data, this.robot.bodies[0], this.robot.bodies[1], true);
    this.rope.setContactsEnabled(false);
  }

  protected override buildWorld(): void {
    this.rope = null;
    super.buildWorld();
  }

  reference(t: number): { p: Vec3; v: Vec3 } {
    const c = this.cfg.referenceCenter, r = this.cfg.referenceRadius, w = (2 * Math.PI) / this.cfg.referencePeriod;
    switch (this.cfg.reference) {
      case 'circle':
        return { p: [c[0] + r * Math.cos(w * t) - r, c[1] + r * Math.sin(w * t), c[2]], v: [-r * w * Math.sin(w * t), r * w * Math.cos(w * t), 0] };
      case 'figure8':
        return { p: [c[0] + r * Math.sin(w * t), c[1] + (r / 2) * Math.sin(2 * w * t), c[2]], v: [r * w * Math.cos(w * t), r * w * Math.cos(2 * w * t), 0] };
      default:
        return { p: [c[0], c[1], c[2]], v: [0, 0, 0] };
    }
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
    const rb = this.robot.bodies[1];
    rb.setTranslation({ x: p[0], y: p[1], z: p[2] - quadGeometry(this.model).bodyHalfHeight - this.current.cable_length }, false);
    rb.setRotation({ x: 0, y: 0, z: 0, w: 1 }, false);
    rb.setLinvel({ x: st.baseLinVel[0], y: st.baseLinVel[1], z: st.baseLinVel[2] }, false);
    rb.setAngvel({ x: 0, y: 0, z: 0 }, false);
  }

  protected override computeTorques(a: Float64Array): void {
    for (let i = 0; i < 4; i++) {
      this.thrust[i] = ((this.maxThrust * (a[i] + 1)) / 2) * (this.current[`strength.rotor_${i}`] ?? 1) * this.rotorScale[i];
    }
  }

  protected override beforeWorldStep(): void {
    const rb = this.robot.bodies[0];
    const s = this.art.state;
    const q: [number, number, number, number] = [s[3], s[4], s[5], s[6]];
    const z = qrotate(q, [0, 0, 1]);
    rb.resetForces(false);
    rb.resetTorques(false);
    let yaw = 0;
    for (let i = 0; i < 4; i++) {
      const T = this.thrust[i];
      const r = this.rotors[i];
      const pw = qrotate(q, r.pos);
      rb.addForceAtPoint({ x: z[0] * T, y: z[1] * T, z: z[2] * T }, { x: s[0] + pw[0], y: s[1] + pw[1], z: s[2] + pw[2] }, false);
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

  override reset(opts: Parameters<ArticulatedEnv['reset']>[0] = {}) {
    this.rotorScale.fill(1);
    return super.reset(opts);
  }

  private tracked(): Vec3 {
    return this.art.bodyPos(this.cfg.track === 'payload' ? 1 : 0);
  }

  protected observe(out: Float32Array): void {
    const s = this.art.state;
    const ref = this.reference(this.stepCount * this.dt);
    const tp = this.tracked();
    out[0] = tp[0] - ref.p[0];
    out[1] = tp[1] - ref.p[1];
    out[2] = tp[2] - ref.p[2];
    out[3] = s[6];
    out[4] = s[3];
    out[5] = s[4];
    out[6] = s[5];
    out[7] = s[7];
    out[8] = s[8];
    out[9] = s[9];
    const wl = qrotate(qconj([s[3], s[4], s[5], s[6]]), [s[10], s[11], s[12]]);
    out[10] = wl[0];
    out[11] = wl[1];
    out[12] = wl[2];
    out[13] = s[13] - s[0];
    out[14] = s[14] - s[1];
    out[15] = s[15] - s[2];
    out[16] = s[20];
    out[17] = s[21];
    out[18] = s[22];
    out[19] = ref.v[0];
    out[20] = ref.v[1];
    out[21] = ref.v[2];
  }

  protected evaluate(a: Float64Array, xBefore: number) {
    const s = this.art.state;
    const ref = this.reference(this.stepCount * this.dt + this.dt);
    const tp = this.tracked();
    const err = Math.hypot(tp[0] - ref.p[0], tp[1] - ref.p[1], tp[2] - ref.p[2]);
    let finite = true;
    for (let i = 0; i < s.length; i++) if (!Number.isFinite(s[i])) finite = false;
    const up = qrotate([s[3], s[4], s[5], s[6]], [0, 0, 1])[2];
    const crashed = !finite || s[2] < 0.05 || up < 0 || err > 4;
    let ctrl = 0;
    for (let k = 0; k < 4; k++) ctrl += a[k] * a[k];
    const track = -this.cfg.trackWeight * err;
    const ctrlCost = this.cfg.ctrlCostWeight * ctrl;
    const survive = this.cfg.healthyReward;
    return { reward: survive + track - ctrlCost, parts: { survive, track, ctrl: -ctrlCost }, terminated: crashed, xVelocity: (s[0] - xBefore) / this.dt };
  }

  rewardFromTransition(obs: Float32Array, action: Float32Array, nextObs: Float32Array, out?: Float32Array): Float32Array {
    const no = this.observationSize, na = this.actionSize;
    const n = Math.floor(obs.length / no);
    const r = out ?? new Float32Array(n);
    const c = this.cfg;
    for (let i = 0; i < n; i++) {
      const o = i * no;
      const err = Math.hypot(nextObs[o], nextObs[o + 1], nextObs[o + 2]);
      let ctrl = 0;
      for (let k = 0; k < na; k++) {
        const u = Math.max(-1, Math.min(1, action[i * na + k]));
        ctrl += u * u;
      }
      r[i] = c.healthyReward - c.trackWeight * err - c.ctrlCostWeight * ctrl;
    }
    return r;
  }
}
