/**
 * Drawing a body whose collider a fault reshaped (a broken leg's shrunk lower segment): its
 * visuals are scaled along the same body-frame axis, about the body origin, by the same factor.
 */
import * as THREE from 'three';
import type { BodyStretch } from '../../../shared/scene';

/** I + (factor - 1) a a^T: lengths along unit axis a scale by factor, across it they stay. */
export function stretchMatrix(axis: readonly number[], factor: number): THREE.Matrix4 {
  const [x, y, z] = axis;
  const k = factor - 1;
  return new THREE.Matrix4().set(
    1 + k * x * x, k * x * y, k * x * z, 0,
    k * y * x, 1 + k * y * y, k * y * z, 0,
    k * z * x, k * z * y, 1 + k * z * z, 0,
    0, 0, 0, 1,
  );
}

/** A key that changes when the set of stretches does (cheap to compare per snapshot). */
export function stretchKey(list: readonly BodyStretch[]): string {
  return list.map((s) => `${s.body}:${s.factor}:${s.axis.join(',')}`).join(';');
}
