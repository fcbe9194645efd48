/**
 * A quadrotor with a suspended payload (after Belkhale et al. 2021): the robot is
 * assets/robots/quadrotor.urdf (X-frame body with four rotor discs, payload sphere placed by the
 * floating joint `cable`); the cable itself is a rope constraint made by the env. This file holds
 * the rotor actuator table (thrust and yaw constants, spin directions) and reads the env's
 * geometric quantities back from the URDF.
 */
import type { RobotModel, Vec3 } from '../robot/model.js';
import { loadBuiltinRobot } from './load.js';

/** Rotor actuators (not expressible in URDF). */
export const QUAD_ROTORS = {
  /** yaw reaction torque per newton of thrust, m (k_m / k_f) */
  yawPerThrust: 0.016,
  /** max thrust per rotor as a multiple of the nominal per-rotor hover thrust */
  thrustToHover: 2,
  /** spin direction of rotor_0..rotor_3 (+1 ccw seen from above) */
  spin: [1, -1, 1, -1] as readonly number[],
};

/** What the env reads from the URDF (body 'body', payload 'payload', joint 'cable'). */
export interface QuadGeometry {
  /** body mass without payload, kg */
  bodyMass: number;
  /** rotor distance from the centre, m */
  armLength: number;
  /** half height of the body plate: the cable hangs from (0, 0, -bodyHalfHeight) */
  bodyHalfHeight: number;
  payloadMass: number;
  payloadRadius: number;
  /** cable length, m (centre of the body's bottom face to payload centre) */
  cableLength: number;
}

export function quadGeometry(model: RobotModel): QuadGeometry {
  const where = model.source ?? model.name;
  const link = (n: string) => model.links.find((l) => l.name === n) ?? fail(`no link "${n}"`);
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  const body = link('body'), payload = link('payload');
  const plate = body.collisions[0]?.geometry;
  if (plate?.kind !== 'box') fail('the first collision of "body" must be the plate box');
  const rotor0 = body.collisions.find((c) => c.name === 'rotor_0') ?? fail('no collision "rotor_0" on "body"');
  const ball = payload.collisions[0]?.geometry;
  if (ball?.kind !== 'sphere') fail('the payload collision must be a sphere');
  const cable = model.joints.find((j) => j.name === 'cable') ?? fail('no joint "cable"');
  const bodyHalfHeight = (plate as { size: Vec3 }).size[2] / 2;
  return {
    bodyMass: body.inertial?.mass ?? fail('"body" has no inertial'),
    armLength: Math.hypot(rotor0.origin.xyz[0], rotor0.origin.xyz[1]),
    bodyHalfHeight,
    payloadMass: payload.inertial?.mass ?? fail('"payload" has no inertial'),
    payloadRadius: (ball as { radius: number }).radius,
    cableLength: -cable.origin.xyz[2] - bodyHalfHeight,
  };
}

/** Env-level overrides: the rotor constants and the payload/cable nominal values (both are also DR params). */
export interface QuadParams {
  yawPerThrust: number;
  thrustToHover: number;
  payloadMass: number;
  cableLength: number;
}

/** Rotor positions (body frame, in the rotor plane z = 0: the URDF's rotor_i discs) and spin directions. */
export function rotorLayout(model: RobotModel): { pos: Vec3; spin: number }[] {
  const body = model.links.find((l) => l.name === 'body');
  return QUAD_ROTORS.spin.map((spin, i) => {
    const c = body?.collisions.find((x) => x.name === `rotor_${i}`);
    if (!c) throw new Error(`${model.source ?? model.name}: no collision "rotor_${i}" on link "body"`);
    return { pos: [c.origin.xyz[0], c.origin.xyz[1], 0], spin };
  });
}

/** The env's parameters: URDF values and the rotor table, then `overrides` (config.robot). */
export function quadParams(model: RobotModel, overrides: Partial<QuadParams> = {}): QuadParams {
  const g = quadGeometry(model);
  return { yawPerThrust: QUAD_ROTORS.yawPerThrust, thrustToHover: QUAD_ROTORS.thrustToHover, payloadMass: g.payloadMass, cableLength: g.cableLength, ...overrides };
}

export function quadrotorModel(): RobotModel {
  const m = loadBuiltinRobot('quadrotor');
  m.source = `builtin:quadrotor (${m.source})`;
  return m;
}
