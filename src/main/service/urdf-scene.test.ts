import { describe, expect, it } from 'vitest';
import { UrdfScene } from './urdf-scene';

const FIX = 'test/fixtures/urdf';

function run(s: UrdfScene, seconds: number): void {
  for (let t = 0; t < seconds; t += s.dt) s.step();
}

function q(s: UrdfScene, name: string): number {
  const i = s.built.joints.findIndex((j) => j.name === name);
  return s.articulation.q[i];
}

describe('UrdfScene', () => {
  it('kinematic mode places bodies from slider targets, and mimic joints follow', async () => {
    const s = await UrdfScene.create({ path: `${FIX}/gripper/gripper.urdf` });
    expect(s.mode).toBe('kinematic');
    expect(s.spec().bodies.map((b) => b.name).sort()).toEqual(['finger_a', 'finger_b', 'palm']);
    s.command('joints', { finger_a_joint: 0.5, finger_b_joint: 0.9 });
    const t = s.targetValues();
    expect(t.finger_a_joint).toBe(0.5);
    expect(t.finger_b_joint).toBeCloseTo(-0.4); // -1 * 0.5 + 0.1, the value given for it ignored
    s.step();
    const out = new Float32Array(s.spec().bodies.length * 7);
    s.writePoses(out);
    const b = s.built.bodyNames.indexOf('finger_a');
    // finger_a turned 0.5 rad about y: its quaternion is (0, sin .25, 0, cos .25)
    expect(out[b * 7 + 4]).toBeCloseTo(Math.sin(0.25), 5);
    expect(out[b * 7 + 6]).toBeCloseTo(Math.cos(0.25), 5);
    const p = s.built.bodyNames.indexOf('palm');
    expect(out[p * 7 + 2]).toBeCloseTo(0.5, 5);
    // out of range: clamped into the limits
    s.setTargets({ finger_a_joint: 5 });
    expect(s.targetValues().finger_a_joint).toBe(1);
    expect(() => s.setTargets({ nope: 1 })).toThrow(/no movable joint/);
    s.dispose();
  });

  it('dynamic mode holds the slider pose by PD, a limp arm falls, mimic is enforced', async () => {
    const arm = await UrdfScene.create({ path: `${FIX}/arm/arm.urdf`, q: { shoulder: 0.3, elbow: 0.8 } });
    arm.setMode('dynamic', 'pd', undefined);
    run(arm, 1);
    expect(Math.abs(q(arm, 'shoulder') - 0.3)).toBeLessThan(0.05);
    expect(Math.abs(q(arm, 'elbow') - 0.8)).toBeLessThan(0.05);
    expect(arm.hasNaN()).toBe(false);
    // a new target is followed
    arm.setTargets({ elbow: -0.5 });
    run(arm, 1);
    expect(Math.abs(q(arm, 'elbow') + 0.5)).toBeLessThan(0.05);
    arm.setMode(undefined, 'limp', undefined);
    run(arm, 1);
    expect(Math.abs(q(arm, 'elbow') + 0.5)).toBeGreaterThan(0.3);
    arm.dispose();

    const g = await UrdfScene.create({ path: `${FIX}/gripper/gripper.urdf`, q: { finger_a_joint: 0.6 }, mode: 'dynamic', hold: 'limp' });
    g.setMode(undefined, 'pd', undefined);
    run(g, 0.5);
    expect(q(g, 'finger_a_joint')).toBeCloseTo(0.6, 1);
    expect(q(g, 'finger_b_joint')).toBeCloseTo(-0.5, 1);
    g.dispose();
  });

  it('a floating robot falls under gravity onto the ground', async () => {
    const s = await UrdfScene.create({ path: `${FIX}/quadruped/quadruped.urdf`, hold: 'limp' });
    expect(s.spec().followBody).toBe(0);
    const h0 = s.telemetry().base_height;
    s.setMode('dynamic', undefined, undefined);
    run(s, 1.5);
    const h1 = s.articulation.state[2];
    expect(h1).toBeLessThan(h0 - 0.01); // dropped from 2 cm above the ground onto its feet
    expect(h1).toBeGreaterThan(0);
    expect(s.hasNaN()).toBe(false);
    // fixing the base stops the fall
    s.setMode(undefined, undefined, true);
    const h2 = s.articulation.state[2];
    run(s, 0.5);
    expect(s.articulation.state[2]).toBeCloseTo(h2, 4);
    s.dispose();
  });
});
