import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { stretchMatrix } from './stretch';

describe('stretchMatrix', () => {
  it('halves lengths along the axis and keeps them across it, about the body origin', () => {
    const a = new THREE.Vector3(1, 1, 0).normalize();
    const m = stretchMatrix([a.x, a.y, a.z], 0.5);
    // a segment's far end, 0.4 m out along the axis, comes in to 0.2 m
    expect(a.clone().multiplyScalar(0.4).applyMatrix4(m).length()).toBeCloseTo(0.2, 12);
    // the capsule's radius direction is untouched
    const across = new THREE.Vector3(0, 0, 0.08);
    expect(across.clone().applyMatrix4(m).toArray()).toEqual(across.toArray());
    expect(stretchMatrix([0, 0, 1], 1).equals(new THREE.Matrix4())).toBe(true);
  });
});
