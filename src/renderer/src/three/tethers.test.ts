import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { Tethers, segmentMatrix } from './tethers';

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
    const m = (t.group.children[0] as THREE.Mesh).matrix;
    const top = new THREE.Vector3(0, 0.5, 0).applyMatrix4(m), bottom = new THREE.Vector3(0, -0.5, 0).applyMatrix4(m);
    const hook = new THREE.Vector3(2, 0, 1.45), load = new THREE.Vector3(2.3, 0, 0.6);
    expect(Math.min(top.distanceTo(hook), bottom.distanceTo(hook))).toBeLessThan(1e-9);
    expect(Math.min(top.distanceTo(load), bottom.distanceTo(load))).toBeLessThan(1e-9);
    t.dispose();
  });
});
