/** The importer's outputs are what Rapier accepts: hull points and principal mass properties. */
import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { hullPoints } from './meshes/index.js';
import { loadUrdfFile } from './node.js';
import { prepareForPhysics, principalInertial } from './semantics.js';
import { fixture, FIXTURES } from './test-util.js';

beforeAll(async () => {
  await RAPIER.init();
});

describe('feeding Rapier', () => {
  it('every loaded mesh gives a convex hull', async () => {
    for (const [rel, packagePath] of [['ros_ws/src/demo_description/urdf/demo.urdf', [FIXTURES + 'ros_ws']], ['quadruped/quadruped.urdf', []]] as const) {
      const r = await loadUrdfFile(fixture(rel), { packagePath: [...packagePath], useRosPackagePath: false });
      for (const mesh of r.meshes.values()) {
        const desc = RAPIER.ColliderDesc.convexHull(hullPoints(mesh, [1, 1, 1]));
        expect(desc).not.toBeNull();
      }
    }
  });

  it('merged bodies keep their mass and inertia in Rapier', async () => {
    const r = await loadUrdfFile(fixture('arm/arm.urdf'));
    const pm = prepareForPhysics(r.model);
    const world = new RAPIER.World({ x: 0, y: 0, z: -9.81 });
    const link2 = pm.model.links.find((l) => l.name === 'link2')!;
    const p = principalInertial(link2.inertial!);
    const v = (a: number[]) => ({ x: a[0], y: a[1], z: a[2] });
    const body = world.createRigidBody(
      RAPIER.RigidBodyDesc.dynamic().setAdditionalMassProperties(p.mass, v(p.com), v(p.principal), { x: p.frame[0], y: p.frame[1], z: p.frame[2], w: p.frame[3] }),
    );
    for (let i = 0; i < 60; i++) world.step();
    expect(body.mass()).toBeCloseTo(1.1, 5);
    const c = body.localCom();
    expect(c.z).toBeCloseTo(link2.inertial!.origin.xyz[2], 5);
    const t = body.translation();
    expect(Number.isFinite(t.z) && t.z < 0).toBe(true);
    world.free();
  });
});
