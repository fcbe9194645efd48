/**
 * Cables between bodies (SceneSpec.tethers), re-placed from the body poses every frame. A cable
 * is drawn as a chain of thin cylinders: straight while its ends are as far apart as its length
 * (taut), and hanging in a parabolic sag of that length when they come closer (slack), the shape a
 * light cable takes under gravity to within what a viewer can tell.
 */
import * as THREE from 'three';
import type { TetherSpec } from '../../../shared/scene';

const UP = new THREE.Vector3(0, 1, 0);
/** Cylinders per cable: enough for a smooth sag at the sizes cables are seen. */
export const TETHER_SEGMENTS = 12;

// scratch for segmentMatrix, called for every segment of every cable each frame (compose copies them)
const dir = new THREE.Vector3(), mid = new THREE.Vector3(), scale = new THREE.Vector3(), turn = new THREE.Quaternion();

/** The matrix that takes a unit cylinder (along y, centred, radius 1) onto the segment a-b. */
export function segmentMatrix(a: THREE.Vector3, b: THREE.Vector3, radius: number, out = new THREE.Matrix4()): THREE.Matrix4 {
  const len = dir.subVectors(b, a).length();
  if (len > 1e-9) turn.setFromUnitVectors(UP, dir.divideScalar(len));
  else turn.identity();
  return out.compose(mid.addVectors(a, b).multiplyScalar(0.5), turn, scale.set(radius, len, radius));
}

/**
 * Points along a cable of rest length `length` hung from a to b: the chord when the ends are at
 * least `length` apart (or the length is unknown), else the chord bowed by 4 s u (1 - u) toward
 * `down` (made perpendicular to the chord), with the bow s found so the polyline is `length` long.
 * With a `floor` (height along -down), no point goes below it: a slack cable lies on the ground.
 */
export function cablePoints(a: THREE.Vector3, b: THREE.Vector3, length: number | undefined, down: THREE.Vector3, floor?: number, n = TETHER_SEGMENTS): THREE.Vector3[] {
  const p = hang(a, b, length, down, n);
  if (floor !== undefined)
    for (const q of p) {
      const below = floor + q.dot(down); // how far under the floor (height = -q . down)
      if (below > 0) q.addScaledVector(down, -below);
    }
  return p;
}

function hang(a: THREE.Vector3, b: THREE.Vector3, length: number | undefined, down: THREE.Vector3, n: number): THREE.Vector3[] {
  const chord = new THREE.Vector3().subVectors(b, a);
  const d = chord.length();
  const at = (s: number, bow: THREE.Vector3) =>
    Array.from({ length: n + 1 }, (_, i) => {
      const u = i / n;
      return new THREE.Vector3().copy(a).addScaledVector(chord, u).addScaledVector(bow, 4 * s * u * (1 - u));
    });
  if (length === undefined || !(length > d + 1e-6)) return at(0, down);
  // the sag hangs along gravity's part across the chord; a vertical cable bows sideways
  const c = d > 1e-9 ? chord.clone().divideScalar(d) : new THREE.Vector3(1, 0, 0);
  const bow = down.clone().addScaledVector(c, -down.dot(c));
  if (bow.length() < 0.1) bow.crossVectors(c, Math.abs(c.x) < 0.9 ? new THREE.Vector3(1, 0, 0) : new THREE.Vector3(0, 1, 0));
  bow.normalize();
  // the bow is across the chord, so each segment is (d / n along it, 4 s du(1 - u) across it)
  const polyLength = (s: number) => {
    let l = 0;
    for (let i = 1; i <= n; i++) {
      const u0 = (i - 1) / n, u1 = i / n;
      l += Math.hypot(d / n, 4 * s * (u1 * (1 - u1) - u0 * (1 - u0)));
    }
    return l;
  };
  // the polyline's length grows with the bow: bisect for the one of the cable's length
  let lo = 0, hi = length;
  for (let k = 0; k < 40; k++) {
    const mid = (lo + hi) / 2;
    if (polyLength(mid) < length) lo = mid;
    else hi = mid;
  }
  return at((lo + hi) / 2, bow);
}

export class Tethers {
  readonly group = new THREE.Group();
  private readonly meshes: THREE.InstancedMesh[];
  private readonly geometry = new THREE.CylinderGeometry(1, 1, 1, 8, 1, true);
  private readonly a = new THREE.Vector3();
  private readonly b = new THREE.Vector3();
  private readonly m = new THREE.Matrix4();
  private lengths: readonly number[] = [];

  /**
   * `down`: gravity's direction (a unit vector) in the frame the body matrices are given in;
   * `floor`: the ground's height along -down, if there is one.
   */
  constructor(
    private readonly specs: readonly TetherSpec[],
    private readonly down = new THREE.Vector3(0, 0, -1),
    private readonly floor?: number,
  ) {
    this.meshes = specs.map((t) => {
      const m = new THREE.InstancedMesh(this.geometry, new THREE.MeshStandardMaterial({ color: new THREE.Color(t.color[0], t.color[1], t.color[2]), roughness: 0.8 }), TETHER_SEGMENTS);
      m.castShadow = true;
      m.frustumCulled = false;
      this.group.add(m);
      return m;
    });
  }

  /** Current rest lengths, in `specs` order (they change when a reset randomizes them); unknown: drawn straight. */
  setLengths(lengths: readonly number[]): void {
    this.lengths = lengths;
  }

  /** Re-places every cable from the bodies' world matrices (the scene's own frame). */
  update(bodies: readonly THREE.Matrix4[]): void {
    this.specs.forEach((t, i) => {
      const fa = bodies[t.from.body], fb = bodies[t.to.body];
      if (!fa || !fb) return;
      this.a.set(...t.from.point).applyMatrix4(fa);
      this.b.set(...t.to.point).applyMatrix4(fb);
      const p = cablePoints(this.a, this.b, this.lengths[i] ?? t.length, this.down, this.floor === undefined ? undefined : this.floor + t.radius);
      const mesh = this.meshes[i];
      for (let k = 0; k < TETHER_SEGMENTS; k++) mesh.setMatrixAt(k, segmentMatrix(p[k], p[k + 1], t.radius, this.m));
      mesh.instanceMatrix.needsUpdate = true;
    });
  }

  dispose(): void {
    this.group.removeFromParent();
    for (const m of this.meshes) {
      (m.material as THREE.Material).dispose();
      m.dispose();
    }
    this.geometry.dispose();
  }
}
