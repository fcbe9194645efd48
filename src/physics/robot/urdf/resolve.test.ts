import { describe, expect, it } from 'vitest';
import { memoryFs } from './fs.js';
import { nodeFs } from './node.js';
import { basename, dirname, joinPath, normalizePath } from './pathutil.js';
import { createUrdfResolver } from './resolve.js';
import { FIXTURES } from './test-util.js';

describe('path helpers', () => {
  it('normalizes posix and windows paths', () => {
    expect(normalizePath('/a/./b/../c//d/')).toBe('/a/c/d');
    expect(normalizePath('C:\\robots\\x\\..\\y.urdf')).toBe('C:/robots/y.urdf');
    expect(joinPath('/a/b', '../c')).toBe('/a/c');
    expect(joinPath('/a/b', '/abs')).toBe('/abs');
    expect(dirname('/a/b/c.urdf')).toBe('/a/b');
    expect(dirname('C:/x.urdf')).toBe('C:/');
    expect(basename('/a/b/c.urdf')).toBe('c.urdf');
  });
});

describe('createUrdfResolver on the fixture workspace', () => {
  const urdfPath = FIXTURES + 'ros_ws/src/demo_description/urdf/demo.urdf';
  const ws = FIXTURES + 'ros_ws';

  it('finds a package by the URDF folder and its parents', () => {
    const r = createUrdfResolver({ fs: nodeFs, urdfPath });
    expect(r('package://demo_description/meshes/base.dae', 'mesh')).toBe(normalizePath(FIXTURES + 'ros_ws/src/demo_description/meshes/base.dae'));
    // another package, not on the search path: not found
    expect(r('package://demo_meshes/meshes/forearm.dae', 'mesh')).toBeNull();
  });

  it('finds packages below search roots, by package.xml name (folder named otherwise)', () => {
    const r = createUrdfResolver({ fs: nodeFs, urdfPath, packagePath: [ws] });
    expect(r('package://demo_meshes/meshes/forearm.dae', 'mesh')).toBe(
      normalizePath(FIXTURES + 'ros_ws/src/shared/demo_meshes_repo/meshes/forearm.dae'),
    );
    expect(r.findPackage('demo_meshes')).toEqual([normalizePath(FIXTURES + 'ros_ws/src/shared/demo_meshes_repo')]);
    // a plain folder name counts as a package too
    expect(r.findPackage('shared')).toEqual([normalizePath(FIXTURES + 'ros_ws/src/shared')]);
    // a search root that is itself a package
    const r2 = createUrdfResolver({ fs: nodeFs, packagePath: [FIXTURES + 'ros_ws/src/shared/demo_meshes_repo'] });
    expect(r2('package://demo_meshes/textures/skin.png', 'texture')).toMatch(/skin\.png$/);
  });

  it('resolves relative, absolute and file:// paths', () => {
    const r = createUrdfResolver({ fs: nodeFs, urdfPath });
    const abs = normalizePath(FIXTURES + 'ros_ws/src/demo_description/meshes/base.dae');
    expect(r('../meshes/base.dae', 'mesh')).toBe(abs);
    expect(r(abs, 'mesh')).toBe(abs);
    expect(r('file://' + abs, 'mesh')).toBe(abs);
    expect(r('file://' + abs.replace('base.dae', 'no%20such.dae'), 'mesh')).toBeNull();
    expect(r('http://example.com/x.stl', 'mesh')).toBeNull();
    expect(r.warnings.some((w) => /scheme/.test(w.message))).toBe(true);
  });
});

describe('createUrdfResolver on an in-memory file system (dropped folder)', () => {
  const fs = memoryFs({
    '/drop/my_robot-main/urdf/robot.urdf': '<robot/>',
    '/drop/my_robot-main/meshes/Base_Link.STL': 'solid x',
    '/drop/my_robot-main/meshes/arm.dae': '<COLLADA/>',
    '/ws/src/deep/er/pkg_a/package.xml': '<package><name>pkg_a</name></package>',
    '/ws/src/deep/er/pkg_a/m.obj': 'v 0 0 0',
    '/ws/src/deep/er/still/too/deep/pkg_b/package.xml': '<package><name>pkg_b</name></package>',
    '/ws/src/deep/er/still/too/deep/pkg_b/m.obj': 'v 0 0 0',
  });
  const urdfPath = '/drop/my_robot-main/urdf/robot.urdf';

  it('falls back to paths next to the URDF when the package is unknown, with a warning', () => {
    const r = createUrdfResolver({ fs, urdfPath });
    expect(r('package://my_robot/meshes/arm.dae', 'mesh')).toBe('/drop/my_robot-main/meshes/arm.dae');
    expect(r.warnings.some((w) => w.code === 'package-fallback')).toBe(true);
    expect(r('model://my_robot-main/meshes/arm.dae', 'mesh')).toBe('/drop/my_robot-main/meshes/arm.dae');
  });

  it('resolves relative paths written against the package root, with a warning', () => {
    const r = createUrdfResolver({ fs, urdfPath });
    expect(r('meshes/arm.dae', 'mesh')).toBe('/drop/my_robot-main/meshes/arm.dae');
    expect(r.warnings.some((w) => /parent folder/.test(w.message))).toBe(true);
    expect(r('meshes/none.dae', 'mesh')).toBeNull();
  });

  it('accepts a file whose name differs only in case, with a warning', () => {
    const r = createUrdfResolver({ fs, urdfPath });
    expect(r('../meshes/base_link.stl', 'mesh')).toBe('/drop/my_robot-main/meshes/Base_Link.STL');
    expect(r.warnings.some((w) => /differs in case/.test(w.message))).toBe(true);
  });

  it('searches a few levels deep, not forever', () => {
    const r = createUrdfResolver({ fs, urdfPath, packagePath: ['/ws'] });
    expect(r('package://pkg_a/m.obj', 'mesh')).toBe('/ws/src/deep/er/pkg_a/m.obj');
    expect(r('package://pkg_b/m.obj', 'mesh')).toBeNull();
    const deeper = createUrdfResolver({ fs, urdfPath, packagePath: ['/ws'], maxDepth: 8 });
    expect(deeper('package://pkg_b/m.obj', 'mesh')).toBe('/ws/src/deep/er/still/too/deep/pkg_b/m.obj');
  });
});
