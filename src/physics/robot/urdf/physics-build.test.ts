import { describe, expect, it } from 'vitest';
import { loadUrdfFileSync } from './node';
import { urdfBuildable, WORLD_LINK } from './physics-build';

const FIX = 'test/fixtures/urdf';

describe('urdfBuildable', () => {
  it('fixes a world-rooted arm through a synthetic world link, bodies merged', () => {
    const b = urdfBuildable(loadUrdfFileSync(`${FIX}/arm/arm.urdf`));
    expect(b.fixedBase).toBe(true);
    expect(b.model.root).toBe(WORLD_LINK);
    expect(b.model.joints[0]).toMatchObject({ parent: WORLD_LINK, child: 'base_link', type: 'fixed' });
    expect(b.model.joints.filter((j) => j.type === 'fixed')).toHaveLength(1); // the wrist chain merged
    expect(b.basePose.xyz[2]).toBeCloseTo(0.1);
    // floating on request: no synthetic root
    const f = urdfBuildable(loadUrdfFileSync(`${FIX}/arm/arm.urdf`), { fixedBase: false });
    expect(f.fixedBase).toBe(false);
    expect(f.model.root).toBe('base_link');
  });

  it('stands a floating robot on the ground, meshes drawn, mesh collisions as hull points', () => {
    const b = urdfBuildable(loadUrdfFileSync(`${FIX}/quadruped/quadruped.urdf`));
    expect(b.fixedBase).toBe(false);
    // legs 0.5 m long plus a 0.025 m foot sphere below the body origin, lifted 2 cm clear
    expect(b.basePose.xyz[2]).toBeCloseTo(0.5 + 0.025 + 0.02, 3);
    const body = b.visuals.get('body')!;
    expect(body.some((v) => v.role === 'visual' && v.geometry.kind === 'mesh')).toBe(true);
    expect(body.some((v) => v.role === 'collision')).toBe(true);
    const demo = urdfBuildable(loadUrdfFileSync(`${FIX}/ros_ws/src/demo_description/urdf/demo.urdf`, { packagePath: [`${FIX}/ros_ws/src`] }));
    const hull = demo.model.links.flatMap((l) => l.collisions).find((c) => c.geometry.kind === 'mesh');
    expect(hull && hull.geometry.kind === 'mesh' && hull.geometry.positions.length).toBeGreaterThanOrEqual(12);
  });
});
