import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UrdfError } from './errors.js';
import { memoryFs } from './fs.js';
import { loadUrdf } from './load.js';
import { hullPoints } from './meshes/index.js';
import { inspectUrdf, loadUrdfFile, rosPackagePath } from './node.js';
import { fixture, FIXTURES } from './test-util.js';

const WS = FIXTURES + 'ros_ws';

/** Max |coordinate| per axis. */
function boundsOf(p: Float32Array): number[] {
  const m = [0, 0, 0];
  for (let i = 0; i < p.length; i++) m[i % 3] = Math.max(m[i % 3], Math.abs(p[i]));
  return m;
}

async function rejectsUrdf(p: Promise<unknown>): Promise<UrdfError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UrdfError);
    return e as UrdfError;
  }
  throw new Error('expected a UrdfError');
}

describe('loadUrdfFile', () => {
  it('loads a ROS description package with package:// Collada meshes from two packages', async () => {
    const r = await loadUrdfFile(fixture('ros_ws/src/demo_description/urdf/demo.urdf'), { packagePath: [WS], useRosPackagePath: false });
    expect(r.model.links).toHaveLength(5);
    expect(r.meshRefs).toHaveLength(5);
    expect([...r.meshes.keys()].map((p) => p.split('/').pop())).toEqual(['base.dae', 'base_collision.stl', 'upper_arm.DAE', 'forearm.dae']);
    for (const ref of r.meshRefs) expect(r.meshes.get(ref.path)).toBeDefined();
    const upper = r.model.links.find((l) => l.name === 'upper_arm')!.visuals[0].geometry;
    expect(upper).toMatchObject({ kind: 'meshref', scale: [1, 1, 2] });
    // hull points for the collision mesh: a box has 8
    const col = r.model.links.find((l) => l.name === 'base_link')!.collisions[0].geometry;
    if (col.kind !== 'meshref') throw new Error('expected a mesh');
    expect(hullPoints(r.meshes.get(col.path)!, col.scale).length).toBe(24);
  });

  it("can ignore Collada's up axis as RViz does", async () => {
    const path = fixture('ros_ws/src/demo_description/urdf/demo.urdf');
    const a = await loadUrdfFile(path, { packagePath: [WS], useRosPackagePath: false });
    const b = await loadUrdfFile(path, { packagePath: [WS], useRosPackagePath: false, colladaUpAxis: 'ignore' });
    const key = [...a.meshes.keys()].find((k) => k.endsWith('upper_arm.DAE'))!;
    expect(a.meshes.get(key)).not.toBe(b.meshes.get(key));
    expect(boundsOf(b.meshes.get(key)!.positions)[1]).toBeCloseTo(0.02, 6); // y extent kept: 4 cm box, half 2 cm
    expect(boundsOf(a.meshes.get(key)!.positions)[1]).toBeCloseTo(0.03, 6); // rotated: z (6 cm) became y
    expect(b.warnings.some((w) => /up_axis/.test(w.message))).toBe(false);
  });

  it('fails with missing-mesh when a package is not on the search path', async () => {
    const e = await rejectsUrdf(loadUrdfFile(fixture('ros_ws/src/demo_description/urdf/demo.urdf'), { useRosPackagePath: false }));
    expect(e.code).toBe('missing-mesh');
    expect(e.message).toMatch(/package:\/\/demo_meshes\/meshes\/forearm\.dae/);
    expect(e.line).toBe(71);
    expect(e.file).toMatch(/demo\.urdf$/);
  });

  it('takes packages from ROS_PACKAGE_PATH', async () => {
    expect(rosPackagePath({ ROS_PACKAGE_PATH: `/a:${WS}:` })).toEqual(['/a', WS]);
    const old = process.env.ROS_PACKAGE_PATH;
    process.env.ROS_PACKAGE_PATH = WS;
    try {
      const r = await loadUrdfFile(fixture('ros_ws/src/demo_description/urdf/demo.urdf'));
      expect(r.meshes.size).toBe(4);
    } finally {
      if (old === undefined) delete process.env.ROS_PACKAGE_PATH;
      else process.env.ROS_PACKAGE_PATH = old;
    }
  });

  it('loads a pybullet-style quadruped with OBJ + MTL and STL feet', async () => {
    const r = await loadUrdfFile(fixture('quadruped/quadruped.urdf'));
    expect(r.meshes.size).toBe(4);
    const body = r.meshes.get(r.meshRefs[0].path)!;
    expect(body.parts.map((p) => p.color)).toEqual([[1, 0, 0, 1], [0, 0, 1, 1]]);
  });

  it('reports broken and missing files with typed errors', async () => {
    const bad = await rejectsUrdf(loadUrdfFile(fixture('broken/bad_mesh.urdf')));
    expect(bad.code).toBe('bad-mesh');
    expect(bad.line).toBe(5);
    expect((await rejectsUrdf(loadUrdfFile(fixture('broken/missing_mesh.urdf')))).code).toBe('missing-mesh');
    const s = await inspectUrdf(fixture('broken/missing_mesh.urdf'), { missingMeshes: 'warn' });
    expect(s.meshes).toEqual({ stl: 1, obj: 0, dae: 0 });
    expect(s.warnings.some((w) => /not found/.test(w))).toBe(true);
    expect((await rejectsUrdf(loadUrdfFile(fixture('broken/nope.urdf')))).code).toBe('io');
    expect((await rejectsUrdf(loadUrdfFile(fixture('broken/cycle.urdf')))).code).toBe('cycle');
  });

  it('works on an in-memory file system (files dropped into the browser shell)', () => {
    const stl = readFileSync(FIXTURES + 'quadruped/meshes/foot.stl');
    const urdf = `<robot name="drop"><link name="a"><visual><geometry><mesh filename="package://drop_description/meshes/foot.stl"/></geometry></visual></link></robot>`;
    const fs = memoryFs({ '/drop/drop_description/urdf/r.urdf': urdf, '/drop/drop_description/meshes/foot.stl': stl });
    const r = loadUrdf(urdf, '/drop/drop_description/urdf/r.urdf', fs);
    expect(r.meshes.get('/drop/drop_description/meshes/foot.stl')?.indices.length).toBe(36);
  });
});

describe('inspectUrdf', () => {
  it('summarizes the file as written, before merging', async () => {
    const s = await inspectUrdf(fixture('arm/arm.urdf'));
    expect(s).toMatchObject({
      name: 'fixed_arm', root: 'world', links: 8, joints: 7, totalMass: 4.1,
      jointTypes: { revolute: 2, continuous: 1, prismatic: 0, fixed: 4, floating: 0, planar: 0 },
      meshes: { stl: 0, obj: 0, dae: 0 },
    });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('counts distinct mesh files per format and lists warnings as lines', async () => {
    const s = await inspectUrdf(fixture('ros_ws/src/demo_description/urdf/demo.urdf'), { packagePath: [WS], useRosPackagePath: false });
    expect(s.meshes).toEqual({ stl: 1, obj: 0, dae: 3 });
    expect(s.totalMass).toBe(6.5);
    expect(s.warnings).toHaveLength(3);
    expect(s.warnings[0]).toMatch(/demo\.urdf:\d+: <transmission name="shoulder_trans">: /);
    expect(s.warnings[2]).toMatch(/upper_arm\.DAE: Collada <up_axis> Y_UP rotated to Z up/);
    const q = await inspectUrdf(fixture('quadruped/quadruped.urdf'));
    expect(q).toMatchObject({ links: 13, joints: 12, totalMass: 13.2, meshes: { stl: 2, obj: 2, dae: 0 } });
    const h = await inspectUrdf(fixture('humanoid/humanoid.urdf'));
    expect(h).toMatchObject({ links: 21, joints: 20, jointTypes: { revolute: 15, continuous: 1, prismatic: 4 } });
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-check with Debian's check_urdf (liburdfdom-tools), when it is installed.
let hasCheckUrdf = false;
try {
  execFileSync('check_urdf', ['--help'], { stdio: 'ignore' });
  hasCheckUrdf = true;
} catch (e) {
  hasCheckUrdf = (e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as { status?: number }).status !== 127;
}

/** Root, links and parent->child edges from check_urdf's tree printout. */
function checkUrdf(path: string): { name: string; root: string; links: string[]; edges: string[] } {
  const out = execFileSync('check_urdf', [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const name = /robot name is: (\S+)/.exec(out)![1];
  const root = /root Link: (\S+)/.exec(out)![1];
  const links = [root];
  const edges: string[] = [];
  const stack: { depth: number; name: string }[] = [{ depth: 0, name: root }];
  for (const line of out.split('\n')) {
    const m = /^(\s*)child\(\d+\):\s+(\S+)/.exec(line);
    if (!m) continue;
    const depth = m[1].length;
    while (stack.length > 1 && stack[stack.length - 1].depth >= depth) stack.pop();
    edges.push(`${stack[stack.length - 1].name}->${m[2]}`);
    links.push(m[2]);
    stack.push({ depth, name: m[2] });
  }
  return { name, root, links, edges };
}

describe.skipIf(!hasCheckUrdf)('agrees with check_urdf (skipped: check_urdf not installed; apt-get install liburdfdom-tools)', () => {
  const files: [string, string[]][] = [
    ['ros_ws/src/demo_description/urdf/demo.urdf', [WS]],
    ['quadruped/quadruped.urdf', []],
    ['arm/arm.urdf', []],
    ['humanoid/humanoid.urdf', []],
    ['quirks/quirks.urdf', []],
  ];
  for (const [rel, packagePath] of files) {
    it(rel, async () => {
      const ref = checkUrdf(fixture(rel));
      const r = await loadUrdfFile(fixture(rel), { packagePath, useRosPackagePath: false, loadMeshes: false });
      expect(r.model.name).toBe(ref.name);
      expect(r.model.root).toBe(ref.root);
      expect(r.model.links.map((l) => l.name).sort()).toEqual(ref.links.sort());
      expect(r.model.joints.length).toBe(ref.links.length - 1);
      expect(r.model.joints.map((j) => `${j.parent}->${j.child}`).sort()).toEqual(ref.edges.sort());
    });
  }
  it('rejects the broken files check_urdf rejects', async () => {
    for (const f of ['malformed', 'missing_link', 'cycle', 'two_roots', 'duplicate_link', 'not_robot']) {
      expect(() => checkUrdf(fixture(`broken/${f}.urdf`))).toThrow();
      await rejectsUrdf(loadUrdfFile(fixture(`broken/${f}.urdf`)));
    }
  });
});
