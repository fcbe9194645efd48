import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { TETHER_SEGMENTS, Tethers, cablePoints, segmentMatrix } from './tethers';

describe('tethers', () => {
  it('maps a unit cylinder onto the segment between two points', () => {
    const a = new THREE.Vector3(1, 2, 3), b = new THREE.Vector3(1, 2, 2.2);
    const m = segmentMatrix(a, b, 0.01);
    // the cylinder's end caps (y = +-0.5) land on the two points
    const ends = [new THREE.Vector3(0, 0.5, 0).applyMatrix4(m), new THREE.Vector3(0, -0.5, 0).applyMatrix4(m)];
    const near = (p: THREE.Vector3, q: THREE.Vector3) => p.distanceTo(q) < 1e-9;
    expect((near(ends[0], a) && near(ends[1], b)) || (near(ends[0], b) && near(ends[1], a))).toBe(true);
    // and its radius is the cable's
    expect(new THREE.Vector3(1, 0, 0).applyMatrix4(m).sub(new THREE.Vector3(0, 0, 0).applyMatrix4(m)).length()).toBeCloseTo(0.01, 12);
  });

  it('follows the bodies: the cable hangs from the quad to the payload wherever they are', () => {
    const t = new Tethers([{ from: { body: 0, point: [0, 0, -0.05] }, to: { body: 1, point: [0, 0, 0] }, radius: 0.005, color: [0.1, 0.1, 0.1, 1] }]);
    const quad = new THREE.Matrix4().makeTranslation(2, 0, 1.5), payload = new THREE.Matrix4().makeTranslation(2.3, 0, 0.6);
    t.update([quad, payload]);
    const ends = segmentEnds(t.group.children[0] as THREE.InstancedMesh);
    const hook = new THREE.Vector3(2, 0, 1.45), load = new THREE.Vector3(2.3, 0, 0.6);
    // no length given: one straight line of segments from the hook to the load (float32 instance matrices)
    expect(ends[0][0].distanceTo(hook)).toBeLessThan(1e-6);
    expect(ends[TETHER_SEGMENTS - 1][1].distanceTo(load)).toBeLessThan(1e-6);
    const dir = load.clone().sub(hook).normalize();
    for (const [a, b] of ends) expect(b.clone().sub(a).normalize().dot(dir)).toBeCloseTo(1, 6);
    t.dispose();
  });

  it('a taut cable is straight; a slack one sags below its ends, as long as the rope', () => {
    const down = new THREE.Vector3(0, 0, -1);
    const a = new THREE.Vector3(0, 0, 1), b = new THREE.Vector3(0.3, 0, 0.5);
    const chord = a.distanceTo(b);
    const taut = cablePoints(a, b, chord, down);
    for (const p of taut) expect(p.clone().sub(a).cross(b.clone().sub(a)).length()).toBeLessThan(1e-9);
    const length = 0.8;
    const slack = cablePoints(a, b, length, down);
    let drawn = 0;
    for (let i = 1; i < slack.length; i++) drawn += slack[i].distanceTo(slack[i - 1]);
    expect(drawn).toBeCloseTo(length, 6);
    expect(slack[0].distanceTo(a)).toBeLessThan(1e-9);
    expect(slack[slack.length - 1].distanceTo(b)).toBeLessThan(1e-9);
    // the middle hangs below the chord's middle
    const mid = slack[slack.length >> 1], chordMid = a.clone().add(b).multiplyScalar(0.5);
    expect(mid.z).toBeLessThan(chordMid.z - 0.1);
    // a payload right under the hook with the rope slack: the cable bows sideways, still its length
    const under = cablePoints(a, new THREE.Vector3(0, 0, 0.6), length, down);
    let l2 = 0;
    for (let i = 1; i < under.length; i++) l2 += under[i].distanceTo(under[i - 1]);
    expect(l2).toBeCloseTo(length, 6);
    // both ends near the ground: the slack lies on it, not through it
    const onGround = cablePoints(new THREE.Vector3(0, 0, 0.05), new THREE.Vector3(0.2, 0, 0.02), length, down, 0.004);
    for (const p of onGround) expect(p.z).toBeGreaterThanOrEqual(0.004 - 1e-12);
  });

  it('draws the lengths the snapshots give, over the scene spec\'s', () => {
    const t = new Tethers([{ from: { body: 0, point: [0, 0, 0] }, to: { body: 1, point: [0, 0, 0] }, length: 0.5, radius: 0.005, color: [0.1, 0.1, 0.1, 1] }]);
    const bodies = [new THREE.Matrix4().makeTranslation(0, 0, 1), new THREE.Matrix4().makeTranslation(0.4, 0, 1)];
    const drawnLength = () => segmentEnds(t.group.children[0] as THREE.InstancedMesh).reduce((l, [a, b]) => l + a.distanceTo(b), 0);
    t.update(bodies);
    expect(drawnLength()).toBeCloseTo(0.5, 5);
    t.setLengths([0.9]);
    t.update(bodies);
    expect(drawnLength()).toBeCloseTo(0.9, 5);
    t.dispose();
  });
});

/** Both ends of each drawn segment (the unit cylinder's caps at y = +-0.5), hook end first. */
function segmentEnds(mesh: THREE.InstancedMesh): [THREE.Vector3, THREE.Vector3][] {
  const m = new THREE.Matrix4();
  return Array.from({ length: mesh.count }, (_, i) => {
    mesh.getMatrixAt(i, m);
    const p = new THREE.Vector3(0, 0.5, 0).applyMatrix4(m), q = new THREE.Vector3(0, -0.5, 0).applyMatrix4(m);
    // the cylinder's +y points from a to b (segmentMatrix), so the -y cap is the segment's start
    return [q, p];
  });
}
