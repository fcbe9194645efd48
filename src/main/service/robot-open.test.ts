/**
 * robot.open reads a user's URDF off the main thread, with a time and a size limit, and only
 * from regular files: hostile input ends in an error that names the file (and the element)
 * instead of stalling the service.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UrdfError } from '../../physics/robot/urdf/node';
import { inspectRobot } from './robot-files';
import { WorkbenchService } from './workbench';

const dir = mkdtempSync(join(tmpdir(), 'adaptlab-robot-open-'));
const children: ChildProcess[] = [];
const service = new WorkbenchService({ shell: 'browser', shellReason: 'test' });
afterAll(() => {
  for (const c of children) if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid);
  service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A valid robot of `n` links in a chain: big enough that parsing it takes a while. */
function bigRobot(n: number): string {
  const parts = ['<robot name="big">'];
  const body = '<inertial><mass value="1"/><inertia ixx="0.01" iyy="0.01" izz="0.01"/></inertial><visual><geometry><box size="0.1 0.1 0.1"/></geometry></visual>';
  for (let i = 0; i < n; i++) parts.push(`<link name="link_${i}">${body}</link>`);
  for (let i = 1; i < n; i++) parts.push(`<joint name="joint_${i}" type="revolute"><parent link="link_${i - 1}"/><child link="link_${i}"/><origin xyz="0 0 0.1" rpy="0 0 0"/><axis xyz="0 1 0"/><limit lower="-1" upper="1" effort="1" velocity="1"/></joint>`);
  parts.push('</robot>');
  return parts.join('\n');
}

describe('inspectRobot (robot.open\'s quick parse)', () => {
  it('runs in a worker thread: a parse over its time limit is stopped while this thread keeps running', { timeout: 60_000 }, async () => {
    const file = join(dir, 'big.urdf');
    writeFileSync(file, bigRobot(40_000)); // ~13 MB: seconds of parsing
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const t0 = Date.now();
    let error: unknown;
    try {
      await inspectRobot(file, {}, { timeoutMs: 300 });
    } catch (e) {
      error = e;
    } finally {
      clearInterval(timer);
    }
    expect(error).toBeInstanceOf(UrdfError);
    expect(error).toMatchObject({ code: 'timeout', file });
    expect((error as Error).message).toMatch(/big\.urdf: reading the robot took longer than 0\.3 s; stopped/);
    // A parse on this thread could not have been interrupted, and no interval could have run.
    expect(ticks).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('answers as the synchronous parse did', { timeout: 60_000 }, async () => {
    const info = await inspectRobot('test/fixtures/urdf/arm/arm.urdf', { source: 'arm.urdf' });
    expect(info).toMatchObject({ name: 'fixed_arm', source: 'arm.urdf' });
    const e = await inspectRobot('test/fixtures/urdf/broken/cycle.urdf', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UrdfError);
    expect(e).toMatchObject({ code: 'cycle', line: 6 });
    expect((e as UrdfError).element).toMatch(/joint/);
  });

  it('a burst of opens is served a few workers at a time, every one answered', { timeout: 120_000 }, async () => {
    const names = await Promise.all(Array.from({ length: 6 }, (_, i) => inspectRobot('test/fixtures/urdf/arm/arm.urdf', { source: `arm${i}` }).then((r) => r.source)));
    expect(names).toEqual(['arm0', 'arm1', 'arm2', 'arm3', 'arm4', 'arm5']);
  });
});

describe('robot.open on hostile files', () => {
  const open = (path: string) => service.call('robot.open', { path });

  it('a 60,000-digit number errors out naming file, element and attribute', { timeout: 60_000 }, async () => {
    const file = join(dir, 'digits.urdf');
    writeFileSync(file, `<robot name="r">\n<link name="a">\n<inertial>\n<mass value="${'7'.repeat(60_000)}"/>\n</inertial>\n</link>\n</robot>`);
    const r = await open(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ code: 'invalid-value', file, element: '<mass>', line: 4 });
    expect(r.error.message).toMatch(/attribute "value": a number of 60000 characters/);
    // and the service answers the next request
    expect((await service.call('app.info', {})).name).toBe('AdaptLab');
  });

  it.skipIf(process.platform === 'win32')('a FIFO is refused at once (it blocked the server until someone wrote to it)', { timeout: 30_000 }, async () => {
    const fifo = join(dir, 'pipe.urdf');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `sleep 5; printf '<robot name="x"><link name="a"/></robot>' > '${fifo}'`], { stdio: 'ignore' });
    children.push(writer);
    const r = await open(fifo);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'io', file: fifo, message: expect.stringMatching(/FIFO \(named pipe\), not a regular file/) });
  });

  it.skipIf(process.platform === 'win32')('/dev/zero, a directory and a file over 16 MiB are refused', { timeout: 30_000 }, async () => {
    const big = join(dir, 'huge.urdf');
    writeFileSync(big, '');
    truncateSync(big, 17 * 2 ** 20);
    const cases: [string, RegExp][] = [
      ['/dev/zero', /character device/],
      [dir, /a directory/],
      [big, /the file is 17 MiB; at most 16 MiB is read/],
    ];
    for (const [path, message] of cases) {
      const r = await open(path);
      expect(r.ok, path).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'io', file: path, message: expect.stringMatching(message) });
    }
  });
});
