import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linkPoses, movableJoints } from './kinematics.js';
import { rotate } from './math.js';
import { parseUrdf } from './parse.js';
import { prepareForPhysics } from './semantics.js';
import { fixture } from './test-util.js';

const load = (rel: string) => parseUrdf(readFileSync(fixture(rel), 'utf8')).model;
const close = (a: number[], b: number[]) => b.forEach((v, k) => expect(a[k]).toBeCloseTo(v, 9));

describe('forward kinematics', () => {
  const arm = load('arm/arm.urdf');

  it('places links at q = 0', () => {
    const p = linkPoses(arm);
    close(p.link2.xyz, [0, 0, 0.1 + 0.05 + 0.4]);
    close(p.tool.xyz, [0, 0, 0.55 + 0.32]);
    close(p.camera_link.xyz, [0, 0.05, 0.87]);
  });

  it('bends the elbow about its axis (y): the tool swings towards +x', () => {
    const p = linkPoses(arm, { elbow: Math.PI / 2 });
    close(p.link2.xyz, [0, 0, 0.55]);
    close(p.tool.xyz, [0.32, 0, 0.55]);
    close(rotate(p.tool.quat, [0, 0, 1]), [1, 0, 0]);
  });

  it('moves mimic joints with their leaders', () => {
    const h = load('humanoid/humanoid.urdf');
    expect(movableJoints(h)).toHaveLength(20);
    const p0 = linkPoses(h);
    const p = linkPoses(h, { l_gripper: 0.02 });
    // finger_a opens along +y, finger_b (multiplier -1) along -y, in the hand frame
    expect(p.l_finger_a.xyz[1] - p0.l_finger_a.xyz[1]).toBeCloseTo(0.02, 9);
    expect(p.l_finger_b.xyz[1] - p0.l_finger_b.xyz[1]).toBeCloseTo(-0.02, 9);
  });

  it('agrees with the merged physics model', () => {
    const pm = prepareForPhysics(arm);
    const q = { shoulder: 0.3, elbow: -0.7, spinner_joint: 1.1 };
    const a = linkPoses(arm, q);
    const b = linkPoses(pm.model, q, pm.basePose);
    for (const body of ['base_link', 'link1', 'link2', 'spinner']) {
      close(b[body].xyz, a[body].xyz);
      close(b[body].quat, a[body].quat);
    }
  });
});
