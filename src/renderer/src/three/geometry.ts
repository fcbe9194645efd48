/** Three.js geometry for the scene spec's shapes; cylinders and capsules along local Z (URDF). */
import * as THREE from 'three';
import type { GeometrySpec } from '../../../shared/scene';

export function buildGeometry(g: GeometrySpec): THREE.BufferGeometry {
  switch (g.kind) {
    case 'box':
      return new THREE.BoxGeometry(g.size[0], g.size[1], g.size[2]);
    case 'sphere':
      return new THREE.SphereGeometry(g.radius, 24, 16);
    case 'cylinder':
      return new THREE.CylinderGeometry(g.radius, g.radius, g.length, 24).rotateX(Math.PI / 2);
    case 'capsule':
      return new THREE.CapsuleGeometry(g.radius, g.length, 8, 16).rotateX(Math.PI / 2);
    case 'mesh': {
      const geo = new THREE.BufferGeometry();
      geo.setAttribute('position', new THREE.Float32BufferAttribute(g.positions, 3));
      geo.setIndex(g.indices);
      if (g.normals) geo.setAttribute('normal', new THREE.Float32BufferAttribute(g.normals, 3));
      else geo.computeVertexNormals();
      return geo;
    }
  }
}

/** Key under which identical visuals share one InstancedMesh. */
export function geometryKey(g: GeometrySpec, color: readonly number[]): string {
  if (g.kind === 'mesh') return `mesh:${g.label ?? ''}:${g.positions.length}:${g.positions.slice(0, 6).join(',')}:${color.join(',')}`;
  return `${JSON.stringify(g)}:${color.join(',')}`;
}
