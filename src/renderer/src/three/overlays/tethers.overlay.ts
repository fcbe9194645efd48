/**
 * The scene's cables (SceneSpec.tethers), placed from the body poses every frame; the data is
 * each cable's rest length now (a reset may randomize it), so a slack cable sags by it.
 */
import * as THREE from 'three';
import { Tethers } from '../tethers';
import type { OverlayModule } from './overlay';

const tethers: OverlayModule<Tethers | null> = {
  kind: 'tethers',
  create({ world, spec }) {
    if (!spec.tethers?.length) return null;
    const down = spec.upAxis === 'z' ? new THREE.Vector3(0, 0, -1) : new THREE.Vector3(0, -1, 0);
    const t = new Tethers(spec.tethers, down, spec.groundHalfSize > 0 ? 0 : undefined);
    world.add(t.group);
    return t;
  },
  update(t, data, frame) {
    if (!t) return;
    if (Array.isArray(data)) t.setLengths(data as number[]);
    t.update(frame.bodyMatrices);
  },
  dispose(t) {
    t?.group.removeFromParent();
    t?.dispose();
  },
};
export default tethers;
