import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RobotFiles, safeRelativePath } from './robot-files';
import { WorkbenchService } from './workbench';

const FIX = 'test/fixtures/urdf';
const b64 = (p: string) => readFileSync(p).toString('base64');

describe('robot uploads', () => {
  it('rejects paths that leave the upload folder', () => {
    for (const bad of ['../x.urdf', '/etc/passwd', 'a/../../b', 'C:/win.ini', 'a//b', 'a\u0000b', '..\\x']) expect(() => safeRelativePath(bad)).toThrow();
    expect(safeRelativePath('robot\\meshes/./a.stl')).toBe('robot/meshes/a.stl');
  });

  it('writes files and chunks, caps sizes, and lists URDFs', () => {
    const files = new RobotFiles();
    try {
      const a = files.upload(undefined, [{ path: 'r/robot.urdf', base64: Buffer.from('<robot').toString('base64') }]);
      const b = files.upload(a.uploadId, [{ path: 'r/robot.urdf', base64: Buffer.from(' name="x"/>').toString('base64'), offset: 6 }]);
      expect(b).toMatchObject({ files: 1, bytes: 17, urdfs: ['r/robot.urdf'] });
      expect(readFileSync(files.uploadedFile(a.uploadId, 'r/robot.urdf'), 'utf8')).toBe('<robot name="x"/>');
      expect(() => files.upload(a.uploadId, [{ path: 'r/robot.urdf', base64: 'AA==', offset: 3 }])).toThrow(/chunk at 3/);
      expect(() => files.upload(a.uploadId, [{ path: '../evil', base64: 'AA==' }])).toThrow(/not allowed/);
      expect(() => files.upload('nope', [{ path: 'x', base64: 'AA==' }])).toThrow(/no upload/);
      expect(() => files.uploadedFile(a.uploadId, 'r/other.urdf')).toThrow(/not in upload/);
    } finally {
      files.dispose();
    }
  });
});

describe('robot.open', () => {
  const service = new WorkbenchService({ shell: 'browser', shellReason: 'test' });
  afterAll(() => service.dispose());

  it('opens an uploaded robot with a mesh folder, takes joint targets and modes', async () => {
    const dir = `${FIX}/quadruped`;
    const names = ['quadruped.urdf', 'meshes/body.obj', 'meshes/body.mtl', 'meshes/leg.obj', 'meshes/foot.stl', 'meshes/FOOT_ASCII.STL', 'meshes/textures/fur.png'];
    const up = await service.call('robot.upload', { files: names.map((n) => ({ path: `quadruped/${n}`, base64: b64(`${dir}/${n}`) })) });
    expect(up.urdfs).toEqual(['quadruped/quadruped.urdf']);
    const r = await service.call('robot.open', { upload: { uploadId: up.uploadId, file: up.urdfs[0] } });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.robot.name).toBe('quad');
    expect(r.robot.fixedBase).toBe(false);
    expect(r.session.scene.bodies.some((b) => b.visuals.some((v) => v.geometry.kind === 'mesh'))).toBe(true);
    expect(r.session.scene.bodies.some((b) => b.visuals.some((v) => v.role === 'collision'))).toBe(true);
    const sid = r.session.state.sessionId;
    await service.call('robot.setJoints', { sessionId: sid, targets: { fl_hip: 0.5 } });
    expect((await service.call('robot.setMode', { sessionId: sid, mode: 'dynamic', hold: 'limp' })).message).toMatch(/dynamic/);
    expect((await service.call('robot.recent', {})).recent[0].label).toMatch(/quad/);
    await expect(service.call('robot.setJoints', { sessionId: sid, targets: { nope: 1 } })).rejects.toThrow(/no movable joint/);
    // errors in uploaded files name them as uploaded, not by their temp folder
    const bad = await service.call('robot.upload', { uploadId: up.uploadId, files: [{ path: 'quadruped/bad.urdf', base64: Buffer.from('<robot name="x"><link name="a"/>\n<joint name="j" type="fixed"><parent link="a"/><child link="zz"/></joint></robot>').toString('base64') }] });
    const e = await service.call('robot.open', { upload: { uploadId: bad.uploadId, file: 'quadruped/bad.urdf' } });
    expect(e.ok).toBe(false);
    if (!e.ok) expect(e.error).toMatchObject({ file: 'quadruped/bad.urdf', line: 2 });
    if (!e.ok) expect(e.error.message).toMatch(/^quadruped\/bad\.urdf:2: /);
    await service.call('sim.close', { sessionId: sid });
  });

  it('lists mesh warnings too (the worker reads the meshes)', async () => {
    const r = await service.call('robot.open', { path: `${FIX}/ros_ws/src/demo_description/urdf/demo.urdf`, packagePath: [`${FIX}/ros_ws/src`] });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.robot.warnings.some((w) => /up_axis/.test(w))).toBe(true);
    expect(r.robot.warnings.some((w) => /transmission/.test(w))).toBe(true);
    expect('warnings' in r.session.scene).toBe(false);
    await service.call('sim.close', { sessionId: r.session.state.sessionId });
  });

  it('returns a UrdfError the UI can show, naming file, element and line', async () => {
    const r = await service.call('robot.open', { path: `${FIX}/broken/missing_link.urdf` });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'missing-link', line: 6 });
    expect(r.error.file).toMatch(/missing_link\.urdf$/);
    const m = await service.call('robot.open', { path: `${FIX}/broken/bad_mesh.urdf` });
    expect(m.ok).toBe(false);
    await expect(service.call('robot.open', {} as never)).rejects.toThrow(/path or upload/);
  });
});
