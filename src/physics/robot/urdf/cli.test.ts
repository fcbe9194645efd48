import { describe, expect, it } from 'vitest';
import { inspectCommand, parseInspectArgs } from './cli.js';
import { fixture, FIXTURES } from './test-util.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await inspectCommand(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

describe('inspect command', () => {
  it('parses arguments', () => {
    expect(parseInspectArgs(['r.urdf', '--package-path', 'a', '--package-path=b', '--json'])).toEqual({ file: 'r.urdf', packagePath: ['a', 'b'], json: true });
    expect(parseInspectArgs([])).toMatch(/usage/);
    expect(parseInspectArgs(['a', '--frobnicate'])).toMatch(/unknown option/);
  });

  it('prints one JSON line', async () => {
    const r = await run([fixture('ros_ws/src/demo_description/urdf/demo.urdf'), '--package-path', FIXTURES + 'ros_ws', '--json']);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(JSON.parse(r.out[0])).toMatchObject({ name: 'demo_arm', root: 'base_footprint', links: 5, joints: 4, totalMass: 6.5, meshes: { stl: 1, obj: 0, dae: 3 } });
  });

  it('prints a typed error and exits 1', async () => {
    const r = await run([fixture('broken/cycle.urdf'), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out[0]).error).toMatchObject({ code: 'cycle', line: 6 });
    const t = await run([fixture('broken/cycle.urdf')]);
    expect(t.err[0]).toMatch(/^error: .*cycle\.urdf:6: /);
  });
});
