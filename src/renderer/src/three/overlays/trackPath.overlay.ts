/**
 * A tracking task's reference path and the tracked body's trail (world frame): the data is
 * `{ reference, trail }`, each xyz triples; the reference is drawn as a closed pale line (a
 * hover is one point, drawn as a small ring marker), the trail as a line that fades from the
 * oldest point to the newest. The quadrotor scene sends its payload's last seconds as the trail.
 * A sparse trail (one point per 0.2 s command, the adaptation scene's) is drawn as a centripetal
 * Catmull-Rom curve through its points, as the pose blend draws the bodies between frames: the
 * swinging payload does not move in straight segments. An optional `ghostTrail` (the adaptation
 * scene's unadapted twin) is drawn in the ghost's pale blue.
 */
import * as THREE from 'three';
import type { OverlayModule } from './overlay';

const MAX_REF = 1024;
const MAX_TRAIL = 1024;
const TRAIL_RGB = new THREE.Color(0xffb347);

export interface TrackPathData {
  reference: number[];
  trail: number[];
  ghostTrail?: number[];
}

interface State {
  group: THREE.Group;
  reference: THREE.Line;
  marker: THREE.Mesh;
  trail: THREE.Line;
  ghostTrail: THREE.Line;
  /** the reference last uploaded (the same path comes every frame) */
  drawn: number[];
}

function line(max: number, material: THREE.LineBasicMaterial, colours: boolean): THREE.Line {
  const geo = new THREE.BufferGeometry();
  geo.setAttribute('position', new THREE.BufferAttribute(new Float32Array(max * 3), 3));
  if (colours) geo.setAttribute('color', new THREE.BufferAttribute(new Float32Array(max * 3), 3));
  const l = new THREE.Line(geo, material);
  l.frustumCulled = false;
  l.visible = false;
  return l;
}

/** A trail of at most this many points is sparse, and drawn with this many segments between two points. */
const SPARSE = 128;
const SUBDIVISION = 8;

/** The newest trail points that fit (xyz triples); a sparse trail is subdivided along a smooth curve through them. */
export function drawnTrail(trail: readonly number[]): number[] {
  const n = Math.min(MAX_TRAIL, Math.floor(trail.length / 3));
  const start = Math.floor(trail.length / 3) - n; // keep the newest points
  const raw = trail.slice(start * 3, (start + n) * 3);
  if (n < 3 || n > SPARSE) return raw;
  const curve = new THREE.CatmullRomCurve3(Array.from({ length: n }, (_, i) => new THREE.Vector3(raw[i * 3], raw[i * 3 + 1], raw[i * 3 + 2])), false, 'centripetal');
  return curve.getPoints((n - 1) * SUBDIVISION).flatMap((p) => [p.x, p.y, p.z]);
}

const sameNumbers = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

const trackPath: OverlayModule<State> = {
  kind: 'trackPath',
  create({ world }) {
    const group = new THREE.Group();
    const reference = line(MAX_REF, new THREE.LineBasicMaterial({ color: 0x8fe3b0, transparent: true, opacity: 0.8 }), false);
    const trail = line(MAX_TRAIL, new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, opacity: 0.95 }), true);
    const ghostTrail = line(MAX_TRAIL, new THREE.LineBasicMaterial({ color: 0x9fd3ff, transparent: true, opacity: 0.75 }), false);
    const marker = new THREE.Mesh(new THREE.TorusGeometry(0.06, 0.006, 8, 32), new THREE.MeshBasicMaterial({ color: 0x8fe3b0 }));
    marker.visible = false;
    group.add(reference, trail, ghostTrail, marker);
    world.add(group);
    return { group, reference, marker, trail, ghostTrail, drawn: [] };
  },
  update(st, data) {
    const d = data as Partial<TrackPathData> | undefined;
    const ref = Array.isArray(d?.reference) ? d.reference : [];
    const trail = Array.isArray(d?.trail) ? d.trail : [];
    if (!sameNumbers(ref, st.drawn)) {
      st.drawn = ref;
      const n = Math.min(MAX_REF, Math.floor(ref.length / 3));
      st.reference.visible = n > 1;
      st.marker.visible = n === 1;
      if (n === 1) st.marker.position.set(ref[0], ref[1], ref[2]);
      if (n > 1) {
        const attr = st.reference.geometry.getAttribute('position') as THREE.BufferAttribute;
        (attr.array as Float32Array).set(ref.slice(0, n * 3));
        attr.needsUpdate = true;
        st.reference.geometry.setDrawRange(0, n);
      }
    }
    const ghost = drawnTrail(Array.isArray(d?.ghostTrail) ? d.ghostTrail : []);
    st.ghostTrail.visible = ghost.length > 3;
    if (st.ghostTrail.visible) {
      const gp = st.ghostTrail.geometry.getAttribute('position') as THREE.BufferAttribute;
      (gp.array as Float32Array).set(ghost);
      gp.needsUpdate = true;
      st.ghostTrail.geometry.setDrawRange(0, ghost.length / 3);
    }
    const points = drawnTrail(trail);
    const m = points.length / 3;
    st.trail.visible = m > 1;
    if (m < 2) return;
    const pos = st.trail.geometry.getAttribute('position') as THREE.BufferAttribute;
    const col = st.trail.geometry.getAttribute('color') as THREE.BufferAttribute;
    (pos.array as Float32Array).set(points);
    const c = col.array as Float32Array;
    for (let i = 0; i < m; i++) {
      const k = 0.15 + (0.85 * i) / (m - 1); // old points fade towards the background
      c[i * 3] = TRAIL_RGB.r * k;
      c[i * 3 + 1] = TRAIL_RGB.g * k;
      c[i * 3 + 2] = TRAIL_RGB.b * k;
    }
    pos.needsUpdate = true;
    col.needsUpdate = true;
    st.trail.geometry.setDrawRange(0, m);
  },
  dispose(st) {
    st.group.removeFromParent();
    for (const o of [st.reference, st.trail, st.ghostTrail, st.marker]) {
      o.geometry.dispose();
      (o.material as THREE.Material).dispose();
    }
  },
};
export default trackPath;
