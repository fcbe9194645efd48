/** A planned future path (xyz triples, world frame), e.g. MPC's best plan, as a dashed line. */
import * as THREE from 'three';
import type { OverlayModule } from './overlay';

const MAX = 512;

const ghostPath: OverlayModule<THREE.Line> = {
  kind: 'ghostPath',
  create({ world }) {
    const geo = new THREE.BufferGeometry();
    geo.setAttribute('position', new THREE.BufferAttribute(new Float32Array(MAX * 3), 3));
    const mat = new THREE.LineDashedMaterial({ color: 0x9fd3ff, dashSize: 0.06, gapSize: 0.04, transparent: true, opacity: 0.85 });
    const line = new THREE.Line(geo, mat);
    line.frustumCulled = false;
    line.visible = false;
    world.add(line);
    return line;
  },
  update(line, data) {
    const points = Array.isArray(data) ? (data as number[]) : null;
    const n = points ? Math.min(MAX, Math.floor(points.length / 3)) : 0;
    line.visible = n > 1;
    if (n < 2 || !points || line.userData.drawn === points) return;
    line.userData.drawn = points;
    const attr = line.geometry.getAttribute('position') as THREE.BufferAttribute;
    (attr.array as Float32Array).set(points.slice(0, n * 3));
    attr.needsUpdate = true;
    line.geometry.setDrawRange(0, n);
    line.computeLineDistances();
  },
  dispose(line) {
    line.removeFromParent();
    line.geometry.dispose();
    (line.material as THREE.Material).dispose();
  },
};
export default ghostPath;
