/**
 * Cables between bodies (SceneSpec.tethers), drawn as thin cylinders re-placed from the body
 * poses every frame. A slack cable is drawn straight: poses carry no cable shape.
 */
import * as THREE from 'three';
import type { TetherSpec } from '../../../shared/scene';

const UP = new THREE.Vector3(0, 1, 0);

/** The matrix that takes a unit cylinder (along y, centred, radius 1) onto the segment a-b. */
export function segmentMatrix(a: THREE.Vector3, b: THREE.Vector3, radius: number, out = new THREE.Matrix4()): THREE.Matrix4 {
  const d = new THREE.Vector3().subVectors(b, a);
  const len = d.length();
  const q = len > 1e-9 ? new THREE.Quaternion().setFromUnitVectors(UP, d.divideScalar(len)) : new THREE.Quaternion();
  return out.compose(new THREE.Vector3().addVectors(a, b).multiplyScalar(0.5), q, new THREE.Vector3(radius, len, radius));
}

export class Tethers {
  readonly group = new THREE.Group();
  private readonly meshes: THREE.Mesh[];
  private readonly geometry = new THREE.CylinderGeometry(1, 1, 1, 8, 1, true);
  private readonly a = new THREE.Vector3();
  private readonly b = new THREE.Vector3();

  constructor(private readonly specs: readonly TetherSpec[]) {
    this.meshes = specs.map((t) => {
      const m = new THREE.Mesh(this.geometry, new THREE.MeshStandardMaterial({ color: new THREE.Color(t.color[0], t.color[1], t.color[2]), roughness: 0.8 }));
      m.matrixAutoUpdate = false;
      m.castShadow = true;
      m.frustumCulled = false;
      this.group.add(m);
      return m;
    });
  }

  /** Re-places every cable from the bodies' world matrices (the scene's own frame). */
  update(bodies: readonly THREE.Matrix4[]): void {
    this.specs.forEach((t, i) => {
      const fa = bodies[t.from.body], fb = bodies[t.to.body];
      if (!fa || !fb) return;
      this.a.set(...t.from.point).applyMatrix4(fa);
      this.b.set(...t.to.point).applyMatrix4(fb);
      segmentMatrix(this.a, this.b, t.radius, this.meshes[i].matrix);
      this.meshes[i].matrixWorldNeedsUpdate = true;
    });
  }

  dispose(): void {
    this.group.removeFromParent();
    for (const m of this.meshes) (m.material as THREE.Material).dispose();
    this.geometry.dispose();
  }
}
