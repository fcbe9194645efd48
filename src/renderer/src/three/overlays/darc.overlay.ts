/**
 * The DARC view's trail (DarcFrame, main/service/darc-scene.ts): the robot's root body path over
 * the last steps, each point coloured by that step's dr (red: the target would not do this; scale
 * shared with the legend, state/darc.ts), and a line from the robot's root body to its ghost's,
 * the translucent copy of the other domain (its bodies are the scene's second half).
 */
import * as THREE from 'three';
import type { DarcFrame } from '../../../../shared/snapshot';
import { drColour } from '../../state/darc';
import type { OverlayModule } from './overlay';

const MAX = 1024;

interface State {
  trail: THREE.Line;
  dots: THREE.Points;
  link: THREE.Line;
  /** the ghost's root body index (the first body of the scene's second half) */
  ghostRoot: number;
  drawn: unknown;
}

const isFrame = (d: unknown): d is DarcFrame => !!d && (d as DarcFrame).trail instanceof Float32Array;

const darc: OverlayModule<State> = {
  kind: 'darc',
  create({ world, spec }) {
    const geo = new THREE.BufferGeometry();
    geo.setAttribute('position', new THREE.BufferAttribute(new Float32Array(MAX * 3), 3));
    geo.setAttribute('color', new THREE.BufferAttribute(new Float32Array(MAX * 3), 3));
    const trail = new THREE.Line(geo, new THREE.LineBasicMaterial({ vertexColors: true }));
    const dots = new THREE.Points(geo, new THREE.PointsMaterial({ vertexColors: true, size: 0.035, sizeAttenuation: true }));
    const linkGeo = new THREE.BufferGeometry();
    linkGeo.setAttribute('position', new THREE.BufferAttribute(new Float32Array(6), 3));
    const link = new THREE.Line(linkGeo, new THREE.LineDashedMaterial({ color: 0x8cc0ff, dashSize: 0.03, gapSize: 0.02, transparent: true, opacity: 0.9 }));
    for (const o of [trail, dots, link]) {
      o.frustumCulled = false;
      o.visible = false;
      world.add(o);
    }
    return { trail, dots, link, ghostRoot: Math.floor(spec.bodies.length / 2), drawn: null };
  },
  update(st, data, frame) {
    const ok = isFrame(data);
    st.trail.visible = st.dots.visible = ok && data.trail.length >= 8;
    // robot root -> ghost root
    const a = frame.bodyMatrices[0], b = frame.bodyMatrices[st.ghostRoot];
    st.link.visible = ok && !!a && !!b && st.ghostRoot > 0;
    if (st.link.visible) {
      const p = st.link.geometry.getAttribute('position') as THREE.BufferAttribute;
      const pa = new THREE.Vector3().setFromMatrixPosition(a), pb = new THREE.Vector3().setFromMatrixPosition(b);
      p.setXYZ(0, pa.x, pa.y, pa.z);
      p.setXYZ(1, pb.x, pb.y, pb.z);
      p.needsUpdate = true;
      st.link.computeLineDistances();
    }
    if (!ok || data === st.drawn) return;
    st.drawn = data;
    const n = Math.min(MAX, Math.floor(data.trail.length / 4));
    const first = Math.floor(data.trail.length / 4) - n;
    const pos = st.trail.geometry.getAttribute('position') as THREE.BufferAttribute;
    const col = st.trail.geometry.getAttribute('color') as THREE.BufferAttribute;
    for (let i = 0; i < n; i++) {
      const o = (first + i) * 4;
      (pos.array as Float32Array).set(data.trail.subarray(o, o + 3), i * 3);
      drColour(data.trail[o + 3], undefined, col.array as Float32Array, i * 3);
    }
    pos.needsUpdate = true;
    col.needsUpdate = true;
    st.trail.geometry.setDrawRange(0, n);
  },
  dispose(st) {
    for (const o of [st.trail, st.dots, st.link]) {
      o.removeFromParent();
      (o.material as THREE.Material).dispose();
    }
    st.trail.geometry.dispose();
    st.link.geometry.dispose();
  },
};
export default darc;
