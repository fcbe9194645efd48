/**
 * A quadrotor with a suspended payload (after Belkhale et al. 2021): an X-frame body with four
 * rotors and a point-like payload hanging from the body's centre on a cable. The cable is not a
 * link of the model (it is a distance constraint made by the env, with length as a parameter).
 */
import type { RobotModel, Vec3 } from '../robot/model.js';
import { linkFromGeoms, pose } from './common.js';

export interface QuadParams {
  /** body mass without payload, kg */
  bodyMass: number;
  /** rotor distance from the centre, m */
  armLength: number;
  /** payload mass, kg */
  payloadMass: number;
  payloadRadius: number;
  /** cable length, m (centre of body bottom to payload centre) */
  cableLength: number;
  /** yaw reaction torque per newton of thrust, m (k_m / k_f) */
  yawPerThrust: number;
  /** max thrust per rotor as a multiple of the nominal per-rotor hover thrust */
  thrustToHover: number;
}

export const QUAD_DEFAULTS: QuadParams = {
  bodyMass: 0.5,
  armLength: 0.12,
  payloadMass: 0.1,
  payloadRadius: 0.03,
  cableLength: 0.5,
  yawPerThrust: 0.016,
  thrustToHover: 2,
};

/** Rotor positions (body frame) and spin directions (+1 ccw seen from above). */
export function rotorLayout(armLength: number): { pos: Vec3; spin: number }[] {
  const a = armLength / Math.SQRT2;
  return [
    { pos: [a, a, 0], spin: 1 },
    { pos: [-a, a, 0], spin: -1 },
    { pos: [-a, -a, 0], spin: 1 },
    { pos: [a, -a, 0], spin: -1 },
  ];
}

export const QUAD_BODY_HALF_HEIGHT = 0.02;

export function quadrotorModel(p: Partial<QuadParams> = {}): RobotModel {
  const P = { ...QUAD_DEFAULTS, ...p };
  const grey: [number, number, number, number] = [0.3, 0.3, 0.35, 1];
  const a = P.armLength / Math.SQRT2;
  const plate = { geometry: { kind: 'box' as const, size: [0.1, 0.1, 2 * QUAD_BODY_HALF_HEIGHT] as Vec3 }, origin: pose() };
  const arms = [
    { geometry: { kind: 'box' as const, size: [2 * P.armLength, 0.02, 0.01] as Vec3 }, origin: pose([0, 0, 0], [0, 0, Math.sin(Math.PI / 8), Math.cos(Math.PI / 8)]) },
    { geometry: { kind: 'box' as const, size: [2 * P.armLength, 0.02, 0.01] as Vec3 }, origin: pose([0, 0, 0], [0, 0, Math.sin(-Math.PI / 8), Math.cos(-Math.PI / 8)]) },
  ];
  const rotors = rotorLayout(P.armLength).map((r, i) => ({
    name: `rotor_${i}`,
    geometry: { kind: 'cylinder' as const, radius: 0.05, length: 0.01 },
    origin: pose([r.pos[0], r.pos[1], QUAD_BODY_HALF_HEIGHT]),
    color: (i < 2 ? [0.9, 0.3, 0.2, 1] : [0.2, 0.5, 0.9, 1]) as [number, number, number, number],
  }));
  void a;
  const body = linkFromGeoms('body', [plate, ...arms, ...rotors], 1, grey);
  // scale density-derived inertial to the requested mass
  const k = P.bodyMass / body.inertial!.mass;
  const t = body.inertial!.inertia;
  body.inertial = {
    mass: P.bodyMass,
    origin: body.inertial!.origin,
    inertia: { ixx: t.ixx * k, iyy: t.iyy * k, izz: t.izz * k, ixy: t.ixy * k, ixz: t.ixz * k, iyz: t.iyz * k },
  };
  const payloadGeom = { name: 'payload_geom', geometry: { kind: 'sphere' as const, radius: P.payloadRadius }, origin: pose(), color: [0.95, 0.75, 0.1, 1] as [number, number, number, number] };
  const payload = linkFromGeoms('payload', [payloadGeom], 1, [0.95, 0.75, 0.1, 1]);
  const r2 = 0.4 * P.payloadMass * P.payloadRadius ** 2;
  payload.inertial = { mass: P.payloadMass, origin: pose(), inertia: { ixx: r2, iyy: r2, izz: r2, ixy: 0, ixz: 0, iyz: 0 } };
  return {
    name: 'quadrotor',
    root: 'body',
    links: [body, payload],
    // The payload is attached by the env's cable; 'floating' marks it as a free body in the model.
    joints: [{ name: 'cable', type: 'floating', parent: 'body', child: 'payload', origin: pose([0, 0, -QUAD_BODY_HALF_HEIGHT - P.cableLength]), axis: [0, 0, 1] }],
    source: 'builtin:quadrotor (Belkhale et al. 2021-like)',
  };
}
