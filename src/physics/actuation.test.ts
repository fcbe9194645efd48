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

describe('subtrees', () => {
  it('are ranges of one depth-first order, children in joint order', async () => {
    const { subtreeRanges } = await import('./actuation.js');
    // 0 -> 1 -> 3, 0 -> 2, 1 -> 4
    const joints = [[0, 1], [0, 2], [1, 3], [1, 4]].map(([parentBody, childBody]) => ({ parentBody, childBody }));
    const { order, start, end } = subtreeRanges(5, joints);
    const sub = (b: number) => [...order.subarray(start[b], end[b])];
    expect([...order]).toEqual([0, 1, 3, 4, 2]);
    expect(sub(0)).toEqual([0, 1, 3, 4, 2]);
    expect(sub(1)).toEqual([1, 3, 4]);
    expect(sub(2)).toEqual([2]);
    expect(sub(4)).toEqual([4]);
    // a cycle (never built from a URDF) still terminates and gives every body a range
    const loop = subtreeRanges(3, [{ parentBody: 0, childBody: 1 }, { parentBody: 1, childBody: 2 }, { parentBody: 2, childBody: 0 }]);
    expect([...loop.order].sort()).toEqual([0, 1, 2]);
  });

  it('an 8000-link chain builds (the recursive walk overflowed the stack) and keeps linear memory', { timeout: 60_000 }, () => {
    const n = 8000;
    const inertial = { mass: 0.1, origin: { xyz: [0, 0, 0] as [number, number, number], quat: [0, 0, 0, 1] as [number, number, number, number] }, inertia: { ixx: 1e-3, iyy: 1e-3, izz: 1e-3, ixy: 0, ixz: 0, iyz: 0 } };
    const model: RobotModel = {
      name: 'chain',
      root: 'world',
      links: [{ name: 'world', visuals: [], collisions: [] }, ...Array.from({ length: n }, (_, i) => ({ name: `l${i}`, inertial, visuals: [], collisions: [] }))],
      joints: [
        { name: 'fix', type: 'fixed', parent: 'world', child: 'l0', origin: { xyz: [0, 0, 1], quat: [0, 0, 0, 1] }, axis: [0, 0, 1] },
        ...Array.from({ length: n - 1 }, (_, i) => ({
          name: `j${i + 1}`, type: 'revolute' as const, parent: `l${i}`, child: `l${i + 1}`, origin: { xyz: [0, 0, 0.01] as [number, number, number], quat: [0, 0, 0, 1] as [number, number, number, number] }, axis: [0, 1, 0] as [number, number, number],
          limit: { lower: -1, upper: 1, effort: 1, velocity: 1 },
        })),
      ],
    };
    const world = new R.World({ x: 0, y: 0, z: -9.81 });
    const robot = buildRobot(R, world, model);
    const art = new Articulation(R, robot);
    expect(art.nb).toBe(n);
    expect(art.subtree(0).length).toBe(n);
    expect(art.subtree(n - 1).length).toBe(1);
    expect(art.subtree(n / 2)[0]).toBe(n / 2);
    expect(art.subtree(0).buffer).toBe(art.subtree(1).buffer); // views of one array, not per-body copies
    expect(art.projectLimits(0.01)).toBe(false);
    expect(art.projectSeparation(0.01)).toBe(false);
    world.free();
  });
});
