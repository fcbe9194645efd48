/**
 * Hostile and careless URDFs: numbers that made the float check backtrack, non-physical
 * magnitudes, huge cycles and root lists, and files that are not regular files. Each must end
 * quickly in a UrdfError that names the file and the element. (Time limits are vitest timeouts,
 * not timing asserts: the old float check took ~46 s on a 200 kB number and never ended on 10 MB.)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UrdfError } from './errors.js';
import { loadUrdfFileSync, nodeFs, readRegularFileSync, URDF_MAX_FILE_BYTES } from './node.js';
import { isFloatToken, parseUrdf, URDF_MAX_MAGNITUDE } from './parse.js';

function catchUrdf(fn: () => unknown): UrdfError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UrdfError) return e;
    throw e;
  }
  throw new Error('expected a UrdfError');
}

const massRobot = (value: string) => `<robot name="r">\n<link name="a">\n<inertial><mass value="${value}"/></inertial>\n</link>\n</robot>`;

describe('numbers', () => {
  it('scans floats as the old regular expression did', () => {
    const yes = ['0', '1', '-1', '+1', '1.', '1.5', '.5', '-.5', '1e5', '1E-5', '2.5e+3', '.5e1', 'inf', '-INF', 'Infinity', '+infinity', '007'];
    const no = ['', '.', '+', '-', 'e5', '1e', '1e+', '1.5.5', '1e5.5', 'nan', 'NaN', '0x10', '1,5', '1 2', 'infinit', 'infx', '--1', '1-', '${x}', ' 1'];
    for (const s of yes) expect(isFloatToken(s), s).toBe(true);
    for (const s of no) expect(isFloatToken(s), s).toBe(false);
  });

  it('a 60,000-digit number is an error naming file, element and attribute', () => {
    const e = catchUrdf(() => parseUrdf(massRobot('1'.repeat(60_000)), { sourcePath: 'big.urdf' }));
    expect(e.code).toBe('invalid-value');
    expect(e.file).toBe('big.urdf');
    expect(e.element).toBe('<mass>');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/attribute "value": a number of 60000 characters/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('200 kB and 10 MB numbers (and near-misses that made the regex backtrack) fail fast', { timeout: 20_000 }, () => {
    const hostile = ['1'.repeat(200_000), '1'.repeat(200_000) + 'x', '1.' + '1'.repeat(200_000) + 'e', '9'.repeat(10 * 2 ** 20) + '!'];
    for (const v of hostile) {
      const e = catchUrdf(() => parseUrdf(massRobot(v), { sourcePath: 'hostile.urdf' }));
      expect(e.code).toBe('invalid-value');
      expect(e.element).toBe('<mass>');
      expect(e.message.length).toBeLessThan(300);
    }
    // and many moderately long tokens in one vector
    const e = catchUrdf(() => parseUrdf(`<robot name="r"><link name="a"><visual><origin xyz="${('1'.repeat(60) + 'x ').repeat(3)}"/><geometry><sphere radius="1"/></geometry></visual></link></robot>`));
    expect(e.element).toBe('<origin>');
  });

  it('rejects non-physical magnitudes such as 1e300, naming the attribute and the bound', () => {
    const cases: [string, string, RegExp][] = [
      [`<link name="a"><visual><origin xyz="1e300 0 0"/><geometry><sphere radius="1"/></geometry></visual></link>`, '<origin>', /"xyz": 1e\+300 is out of range; \|value\| must be at most 1e6 m/],
      [`<link name="a"><visual><origin rpy="0 -1e300 0"/><geometry><sphere radius="1"/></geometry></visual></link>`, '<origin>', /"rpy".*1e6 rad/],
      [`<link name="a"><inertial><mass value="1e300"/></inertial></link>`, '<mass>', /"value".*1e6 kg/],
      [`<link name="a"><inertial><mass value="1"/><inertia ixx="1e300" iyy="1" izz="1"/></inertial></link>`, '<inertia>', /"ixx".*kg m\^2/],
      [`<link name="a"><collision><geometry><box size="1 1e7 1"/></geometry></collision></link>`, '<box>', /"size"/],
      [`<link name="a"><collision><geometry><sphere radius="2e6"/></geometry></collision></link>`, '<sphere>', /"radius"/],
      [`<link name="a"/><link name="b"/><joint name="j" type="fixed"><parent link="a"/><child link="b"/><origin xyz="0 0 -1e300"/></joint>`, '<origin>', /"xyz"/],
      [`<link name="a"/><link name="b"/><joint name="j" type="revolute"><parent link="a"/><child link="b"/><limit lower="-1e300" upper="1" effort="1" velocity="1"/></joint>`, '<limit>', /"lower"/],
      [`<link name="a"/><link name="b"/><joint name="j" type="revolute"><parent link="a"/><child link="b"/><limit lower="-1" upper="1" effort="1e300" velocity="1"/></joint>`, '<limit>', /"effort".*1e9/],
    ];
    for (const [body, element, msg] of cases) {
      const e = catchUrdf(() => parseUrdf(`<robot name="r">${body}</robot>`, { sourcePath: 'far.urdf' }));
      expect(e.code, body).toBe('invalid-value');
      expect(e.file).toBe('far.urdf');
      expect(e.element).toBe(element);
      expect(e.message).toMatch(msg);
    }
    // the bound itself, inf limits and physical values still load
    const ok = parseUrdf(`<robot name="r"><link name="a"><visual><origin xyz="${URDF_MAX_MAGNITUDE} 0 -3.5"/><geometry><sphere radius="1"/></geometry></visual></link>` +
      `<link name="b"/><joint name="j" type="revolute"><parent link="a"/><child link="b"/><limit lower="-3" upper="3" effort="inf" velocity="1e8"/></joint></robot>`);
    expect(ok.model.joints[0].limit!.effort).toBe(Infinity);
  });
});

describe('graphs', () => {
  const chain = (n: number, close: boolean) => {
    const parts = ['<robot name="c">'];
    for (let i = 0; i < n; i++) parts.push(`<link name="l${i}"/>`);
    for (let i = 1; i < n; i++) parts.push(`<joint name="j${i}" type="fixed"><parent link="l${i - 1}"/><child link="l${i}"/></joint>`);
    if (close) parts.push(`<joint name="j0" type="fixed"><parent link="l${n - 1}"/><child link="l0"/></joint>`);
    parts.push('</robot>');
    return parts.join('\n');
  };

  it('a cycle of 50,000 links is found in linear time, with a short message naming the first few', { timeout: 30_000 }, () => {
    const e = catchUrdf(() => parseUrdf(chain(50_000, true), { sourcePath: 'loop.urdf' }));
    expect(e.code).toBe('cycle');
    expect(e.file).toBe('loop.urdf');
    expect(e.element).toMatch(/^<joint name="j\d+">$/);
    expect(e.message).toMatch(/j2 -> j3 -> j4 -> j5 -> j6 -> j7 -> \.\.\. \(50000 joints in the loop\)/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('a cycle hanging off a tree is named the same way', { timeout: 30_000 }, () => {
    const xml = chain(20_000, false).replace('</robot>', '<link name="x0"/><link name="x1"/><joint name="jx" type="fixed"><parent link="x1"/><child link="x0"/></joint><joint name="jy" type="fixed"><parent link="x0"/><child link="x1"/></joint></robot>');
    const e = catchUrdf(() => parseUrdf(xml));
    expect(e.code).toBe('cycle');
    expect(e.message).toMatch(/\(jx -> jy|\(jy -> jx/);
  });

  it('50,000 roots are counted, not listed', { timeout: 30_000 }, () => {
    const xml = '<robot name="r">' + Array.from({ length: 50_000 }, (_, i) => `<link name="l${i}"/>`).join('') + '</robot>';
    const e = catchUrdf(() => parseUrdf(xml));
    expect(e.code).toBe('multiple-roots');
    expect(e.message).toMatch(/50000 root links \("l0", "l1", "l2", "l3", "l4" and 49995 more\)/);
  });

  it('a 100 kB name is shortened in messages', () => {
    const name = 'n'.repeat(100_000);
    const e = catchUrdf(() => parseUrdf(`<robot name="r"><link name="${name}"/><link name="${name}"/></robot>`));
    expect(e.code).toBe('duplicate-name');
    expect(e.message.length).toBeLessThan(400);
    expect(e.element).toMatch(/\(100000 characters\)/);
  });

  it('malformed XML names the element it is in', () => {
    const e = catchUrdf(() => parseUrdf('<robot name="r">\n<link name="a">\n<visual <</link></robot>', { sourcePath: 'm.urdf' }));
    expect(e.code).toBe('malformed-xml');
    expect(e.element).toBe('<link name="a">');
    expect(catchUrdf(() => parseUrdf('')).element).toMatch(/prolog/);
  });
});

describe.skipIf(process.platform === 'win32')('only regular files are read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'adaptlab-urdf-files-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a FIFO is refused at once, not read when someone writes to it', { timeout: 20_000 }, () => {
    const fifo = join(dir, 'robot.urdf');
    execFileSync('mkfifo', [fifo]);
    // A writer that would feed a valid robot after a while: a reader that blocks would load it.
    const writer = spawn('sh', ['-c', `sleep 3; printf '<robot name="x"><link name="a"/></robot>' > '${fifo}'`], { stdio: 'ignore' });
    children.push(writer);
    const e = catchUrdf(() => loadUrdfFileSync(fifo));
    expect(e.code).toBe('io');
    expect(e.file).toBe(fifo);
    expect(e.message).toMatch(/FIFO/);
  });

  it('/dev/zero, a directory and an oversized file are refused before reading', { timeout: 20_000 }, () => {
    expect(catchUrdf(() => loadUrdfFileSync('/dev/zero')).message).toMatch(/\/dev\/zero: cannot open the URDF: it is a character device, not a regular file/);
    expect(catchUrdf(() => loadUrdfFileSync(dir)).message).toMatch(/a directory/);
    const big = join(dir, 'big.urdf');
    writeFileSync(big, '');
    truncateSync(big, URDF_MAX_FILE_BYTES + 1); // sparse: nothing is written
    expect(catchUrdf(() => loadUrdfFileSync(big)).message).toMatch(/at most 16 MiB is read/);
    expect(() => nodeFs.readFile('/dev/zero')).toThrow(/character device/);
    expect(readRegularFileSync(big, URDF_MAX_FILE_BYTES + 1).length).toBe(URDF_MAX_FILE_BYTES + 1);
  });

  it('a mesh that is a FIFO or a device is a bad-mesh error naming the <mesh>', { timeout: 20_000 }, () => {
    const fifo = join(dir, 'part.stl');
    execFileSync('mkfifo', [fifo]);
    symlinkSync('/dev/zero', join(dir, 'zero.stl'));
    const urdf = join(dir, 'meshy.urdf');
    for (const file of ['part.stl', 'zero.stl']) {
      writeFileSync(urdf, `<robot name="m"><link name="a"><visual><geometry><mesh filename="${file}"/></geometry></visual></link></robot>`);
      const e = catchUrdf(() => loadUrdfFileSync(urdf));
      expect(e.code).toBe('bad-mesh');
      expect(e.file).toBe(urdf);
      expect(e.element).toBe(`<mesh filename="${file}">`);
      expect(e.message).toMatch(/not a regular file/);
    }
  });
});
