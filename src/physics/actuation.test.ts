import { beforeAll, describe, expect, it } from 'vitest';
import { loadRapier, type Rapier } from './rapier.js';
import { buildRobot } from './robot/builder.js';
import { Articulation } from './actuation.js';
import type { RobotModel } from './robot/model.js';

let R: Rapier;
beforeAll(async () => {
  R = await loadRapier();
});

function hingeModel(limit?: [number, number]): RobotModel {
  const inertial = (m: number, i: number) => ({ mass: m, origin: { xyz: [0, 0, 0] as [number, number, number], quat: [0, 0, 0, 1] as [number, number, number, number] }, inertia: { ixx: i, iyy: i, izz: i, ixy: 0, ixz: 0, iyz: 0 } });
  return {
    name: 'hinge',
    root: 'world',
    links: [
      { name: 'world', visuals: [], collisions: [] },
      { name: 'base', inertial: inertial(1, 1), visuals: [], collisions: [] },
      { name: 'arm', inertial: inertial(0.1, 0.01), visuals: [], collisions: [] },
    ],
    joints: [
      { name: 'fix', type: 'fixed', parent: 'world', child: 'base', origin: { xyz: [0, 0, 1], quat: [0, 0, 0, 1] }, axis: [0, 0, 1] },
      {
        name: 'j', type: limit ? 'revolute' : 'continuous', parent: 'base', child: 'arm', origin: { xyz: [0, 0, 0], quat: [0, 0, 0, 1] }, axis: [0, 0, 1],
        dynamics: { damping: 1, friction: 0 }, armature: 1, gear: 1,
        limit: limit ? { lower: limit[0], upper: limit[1], effort: 10, velocity: 10 } : undefined,
      },
    ],
  };
}

describe('implicit actuator (motor + damping + armature)', () => {
  it('matches qdot(t) = tau/c (1 - exp(-c t / (I + a))) on a single hinge', () => {
    const world = new R.World({ x: 0, y: 0, z: 0 });
    world.timestep = 0.005;
    world.numSolverIterations = 4;
    const art = new Articulation(R, buildRobot(R, world, hingeModel()));
    const tau = new Float64Array([10]);
    for (let k = 0; k < 100; k++) {
      art.actuate(tau, world.timestep);
      world.step();
      art.readState();
    }
    const exact = 10 * (1 - Math.exp(-0.5 / 1.01));
    expect(Math.abs(art.qd[0] - exact) / exact).toBeLessThan(0.02);
    world.free();
  });

  it('holds a limit against a 150 N m torque on a light link', () => {
    const world = new R.World({ x: 0, y: 0, z: 0 });
    world.timestep = 0.005;
    const art = new Articulation(R, buildRobot(R, world, hingeModel([-0.5, 0.5])));
    const tau = new Float64Array([150]);
    for (let k = 0; k < 200; k++) {
      art.actuate(tau, world.timestep);
      world.step();
      art.readState();
    }
    expect(art.q[0]).toBeGreaterThan(0.45);
    expect(art.maxLimitViolation()).toBeLessThan(0.01);
    expect(art.maxJointSeparation()).toBeLessThan(1e-3);
    world.free();
  });
});
