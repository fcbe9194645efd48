import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RobotModel } from '../model.js';
import { UrdfError } from './errors.js';
import { quatFromRpy, rotate } from './math.js';
import { parseUrdf } from './parse.js';
import { fixture } from './test-util.js';

const wrap = (body: string, name = 't') => `<?xml version="1.0"?>\n<robot name="${name}">\n${body}\n</robot>\n`;

function catchUrdf(fn: () => unknown): UrdfError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UrdfError);
    return e as UrdfError;
  }
  throw new Error('expected a UrdfError');
}

describe('parseUrdf: standard elements', () => {
  const xml = readFileSync(fixture('quirks/quirks.urdf'), 'utf8');
  const { model, warnings } = parseUrdf(xml, { sourcePath: 'quirks.urdf' });
  const link = (n: string) => model.links.find((l) => l.name === n)!;
  const joint = (n: string) => model.joints.find((j) => j.name === n)!;

  it('reads the tree', () => {
    expect(model.name).toBe('quirks');
    expect(model.root).toBe('base');
    expect(model.links).toHaveLength(7);
    expect(model.joints.map((j) => j.type).sort()).toEqual(['continuous', 'fixed', 'floating', 'planar', 'prismatic', 'revolute']);
    expect(model.source).toBe('quirks.urdf');
  });

  it('reads inertials with any float syntax', () => {
    const i = link('base').inertial!;
    expect(i.mass).toBe(15);
    expect(i.origin.xyz).toEqual([0.01, -0.0025, 0]);
    expect(i.inertia).toEqual({ ixx: 0.5, ixy: -0.01, ixz: 0, iyy: 0.6, iyz: 0.001, izz: 0.7 });
  });

  it('reads several visuals and collisions with materials', () => {
    const b = link('base');
    expect(b.visuals.map((v) => v.name)).toEqual(['body', 'lid', 'decal', 'reuse']);
    expect(b.visuals[0].material).toEqual({ name: 'red', color: [1, 0, 0, 1] });
    expect(b.visuals[0].geometry).toEqual({ kind: 'box', size: [1, 0.5, 0.2] });
    expect(b.visuals[1].geometry).toEqual({ kind: 'cylinder', radius: 0.1, length: 0.1 });
    expect(b.visuals[1].material).toEqual({ name: 'inline_green', color: [0, 1, 0, 0.5] });
    // material inside geometry (non-standard) with a texture, unresolved without a resolver
    expect(b.visuals[2].material).toEqual({ name: 'textured', color: [1, 1, 1, 1], texture: 'textures/checker.png' });
    // a named inline material is reusable by name
    expect(b.visuals[3].material?.color).toEqual([0, 1, 0, 0.5]);
    expect(b.collisions.map((c) => c.geometry.kind)).toEqual(['box', 'capsule']);
    // pybullet <contact><lateral_friction> becomes the collisions' friction
    expect(b.collisions.every((c) => c.friction === 0.8)).toBe(true);
  });

  it('converts rpy to a quaternion (fixed axes, Rz Ry Rx)', () => {
    const q = link('base').visuals[1].origin.quat;
    expect(q[0]).toBeCloseTo(1, 6);
    const j = joint('j_revolute');
    const v = rotate(j.origin.quat, [1, 0, 0]);
    expect(v[0]).toBeCloseTo(0, 9);
    expect(v[1]).toBeCloseTo(1, 9);
    // roll then pitch then yaw about fixed axes
    const r = rotate(quatFromRpy(Math.PI / 2, 0, Math.PI / 2), [0, 1, 0]);
    // Rx(90) takes y to z; Rz(90) leaves z
    [0, 0, 1].forEach((x, k) => expect(r[k]).toBeCloseTo(x, 12));
    const r2 = rotate(quatFromRpy(0, Math.PI / 2, Math.PI / 2), [1, 0, 0]);
    // Ry(90) takes x to -z; Rz leaves it
    [0, 0, -1].forEach((x, k) => expect(r2[k]).toBeCloseTo(x, 12));
  });

  it('normalizes axes with a warning', () => {
    expect(joint('j_revolute').axis).toEqual([0, 0, 1]);
    const a = joint('j_continuous').axis;
    expect(a[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(a[1]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(warnings.filter((w) => w.code === 'axis-normalized')).toHaveLength(2);
    expect(joint('j_fixed').axis).toEqual([1, 0, 0]); // default
  });

  it('reads limit, dynamics, safety_controller, calibration, mimic defaults', () => {
    const j = joint('j_revolute');
    expect(j.limit).toEqual({ lower: -1.5, upper: 1.5, effort: 10, velocity: 1 });
    expect(j.dynamics).toEqual({ damping: 0.1, friction: 0.2 });
    expect(j.safetyController).toEqual({ softLowerLimit: -1.4, softUpperLimit: 1.4, kPosition: 100, kVelocity: 1 });
    expect(j.calibration).toEqual({ rising: 0 });
    expect(joint('j_prismatic').mimic).toEqual({ joint: 'j_revolute', multiplier: 1, offset: 0 });
    const c = joint('j_continuous').limit!;
    expect([c.lower, c.upper, c.effort, c.velocity]).toEqual([-Infinity, Infinity, 5, 10]);
  });

  it('notes ignored and non-standard elements, never failing on them', () => {
    const codes = warnings.map((w) => w.code);
    expect(codes.filter((c) => c === 'ignored-element')).toHaveLength(2); // transmission, gazebo
    expect(warnings.some((w) => w.code === 'nonstandard' && /capsule/.test(w.message))).toBe(true);
    expect(warnings.some((w) => w.code === 'nonstandard' && /contact/.test(w.message))).toBe(true);
    expect(warnings.some((w) => w.code === 'nonstandard' && w.message.includes('inside <geometry>'))).toBe(true);
    expect(warnings.some((w) => w.code === 'unknown-element' && w.element === '<sensor name="not_urdf_standard">')).toBe(true);
    for (const w of warnings) expect(w.line).toBeGreaterThan(0);
  });
});

describe('parseUrdf: inline cases', () => {
  it('reads scientific notation and signs everywhere', () => {
    const { model } = parseUrdf(
      wrap(`<link name="a"><visual><origin xyz="1E-3 -2.5e+2 +.5" rpy="0 0 0"/><geometry><sphere radius="5e-1"/></geometry></visual></link>`),
    );
    expect(model.links[0].visuals[0].origin.xyz).toEqual([0.001, -250, 0.5]);
    expect(model.links[0].visuals[0].geometry).toEqual({ kind: 'sphere', radius: 0.5 });
  });

  it('defaults the mimic multiplier and offset, and keeps given ones', () => {
    const { model } = parseUrdf(
      wrap(`<link name="a"/><link name="b"/><link name="c"/>
      <joint name="j1" type="revolute"><parent link="a"/><child link="b"/><limit lower="-1" upper="1" effort="1" velocity="1"/></joint>
      <joint name="j2" type="revolute"><parent link="b"/><child link="c"/><limit lower="-1" upper="1" effort="1" velocity="1"/>
        <mimic joint="j1" multiplier="-2.5" offset="0.1"/></joint>`),
    );
    expect(model.joints[1].mimic).toEqual({ joint: 'j1', multiplier: -2.5, offset: 0.1 });
  });

  it('warns on a mimic of a missing joint and drops it', () => {
    const { model, warnings } = parseUrdf(
      wrap(`<link name="a"/><link name="b"/>
      <joint name="j" type="continuous"><parent link="a"/><child link="b"/><mimic joint="nope"/></joint>`),
    );
    expect(model.joints[0].mimic).toBeUndefined();
    expect(warnings.some((w) => w.code === 'mimic')).toBe(true);
  });

  it('warns about revolute joints without limits, missing materials and 3-value colours', () => {
    const { model, warnings } = parseUrdf(
      wrap(`<link name="a"><visual><geometry><box size="1 1 1"/></geometry><material name="undefined_mat"/></visual>
        <visual><geometry><box size="1 1 1"/></geometry><material><color rgba="1 0 0"/></material></visual></link>
      <link name="b"/><joint name="j" type="revolute"><parent link="a"/><child link="b"/></joint>`),
    );
    expect(model.joints[0].limit).toBeUndefined();
    expect(model.links[0].visuals[0].material).toBeUndefined();
    expect(model.links[0].visuals[1].material?.color).toEqual([1, 0, 0, 1]);
    expect(warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['default-value', 'missing-material', 'nonstandard']));
  });

  it('resolves mesh and texture URIs through the resolver', () => {
    const seen: string[] = [];
    const { model, meshes } = parseUrdf(
      wrap(`<link name="a"><visual><geometry><mesh filename="package://p/m.STL" scale="0.001 0.001 0.001"/></geometry>
        <material name="t"><texture filename="package://p/t.png"/></material></visual></link>`),
      { resolve: (uri, kind) => (seen.push(kind), '/abs/' + uri.slice('package://'.length)) },
    );
    expect(seen.sort()).toEqual(['mesh', 'texture']);
    expect(model.links[0].visuals[0].geometry).toEqual({ kind: 'meshref', path: '/abs/p/m.STL', scale: [0.001, 0.001, 0.001] });
    expect(model.links[0].visuals[0].material?.texture).toBe('/abs/p/t.png');
    expect(meshes).toEqual([{ uri: 'package://p/m.STL', path: '/abs/p/m.STL', resolved: true, link: 'a', role: 'visual', line: 3 }]);
  });

  it('reports a missing mesh as an error by default and as a warning on request', () => {
    const xml = wrap(`<link name="a">\n<collision>\n<geometry>\n<mesh filename="gone.stl"/></geometry></collision></link>`);
    const e = catchUrdf(() => parseUrdf(xml, { sourcePath: 'r.urdf', resolve: () => null }));
    expect(e.code).toBe('missing-mesh');
    expect(e.line).toBe(6);
    expect(e.element).toBe('<mesh filename="gone.stl">');
    expect(e.file).toBe('r.urdf');
    const r = parseUrdf(xml, { resolve: () => null, missingMeshes: 'warn' });
    expect(r.meshes[0].resolved).toBe(false);
    expect(r.warnings.some((w) => w.code === 'mesh')).toBe(true);
  });

  it('accepts a single link robot and models without a name', () => {
    const { model, warnings } = parseUrdf('<robot><link name="only"/></robot>');
    expect(model.root).toBe('only');
    expect(model.name).toBe('robot');
    expect(warnings).toHaveLength(1);
  });
});

describe('parseUrdf: typed errors', () => {
  const cases: [file: string, code: UrdfError['code'], line: number | undefined, element: RegExp | undefined][] = [
    ['malformed', 'malformed-xml', 5, undefined],
    ['missing_link', 'missing-link', 6, /b_to_ghost/],
    ['cycle', 'cycle', 6, /joint/],
    ['cycle_detached', 'cycle', 7, /c_to_b/],
    ['two_roots', 'multiple-roots', 5, /link name="c"/],
    ['multiple_parents', 'multiple-parents', 8, /b_to_c/],
    ['xacro', 'not-urdf', 3, /xacro:property/],
    ['bad_number', 'invalid-value', 5, /mass/],
    ['duplicate_link', 'duplicate-name', 4, /link name="a"/],
    ['not_robot', 'not-urdf', 2, /sdf/],
  ];
  for (const [file, code, line, element] of cases) {
    it(`${file}.urdf -> ${code}`, () => {
      const path = fixture(`broken/${file}.urdf`);
      const e = catchUrdf(() => parseUrdf(readFileSync(path, 'utf8'), { sourcePath: path }));
      expect(e.code).toBe(code);
      expect(e.file).toBe(path);
      expect(e.line).toBe(line);
      if (element) expect(e.element).toMatch(element);
      expect(e.message).toContain(path);
    });
  }

  it('names the missing link and the joint', () => {
    const e = catchUrdf(() => parseUrdf(readFileSync(fixture('broken/missing_link.urdf'), 'utf8')));
    expect(e.message).toMatch(/"ghost"/);
    expect(e.message).toMatch(/"b_to_ghost"/);
  });

  it('rejects empty input, no links and unknown joint types', () => {
    expect(catchUrdf(() => parseUrdf('')).code).toBe('malformed-xml');
    expect(catchUrdf(() => parseUrdf('<robot name="x"/>')).code).toBe('no-links');
    const e = catchUrdf(() => parseUrdf(wrap('<link name="a"/><link name="b"/><joint name="j" type="hinge"><parent link="a"/><child link="b"/></joint>')));
    expect(e.code).toBe('invalid-value');
    expect(e.message).toMatch(/hinge/);
  });

  it('is serializable for the UI', () => {
    const e = catchUrdf(() => parseUrdf(readFileSync(fixture('broken/two_roots.urdf'), 'utf8'), { sourcePath: 'two_roots.urdf' }));
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ name: 'UrdfError', code: 'multiple-roots', file: 'two_roots.urdf', line: 5 });
  });
});

describe('parseUrdf: robustness', () => {
  it('names unexpanded xacro expressions', () => {
    const e = catchUrdf(() => parseUrdf(wrap('<link name="a"><visual><geometry><sphere radius="${r}"/></geometry></visual></link>')));
    expect(e.code).toBe('not-urdf');
    expect(e.message).toMatch(/xacro/);
  });

  it('gives a model or a UrdfError on mutated input, never anything else', () => {
    const bases = ['quirks/quirks.urdf', 'humanoid/humanoid.urdf', 'arm/arm.urdf'].map((f) => readFileSync(fixture(f), 'utf8'));
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const junk = ['<', '>', '"', '/', ' ', 'nan', '-1e9', '<link name="x"/>', '</joint>', 'inf', '&amp;', '0'];
    let models = 0;
    let errors = 0;
    const N = 1000;
    const values = ['', 'nan', '-1', '1e999', '0 0', 'a b c', '1 2 3', '0 0 0 0', 'base', 'link1', 'torso', 'world', 'fixed', 'planar', '-0', '1e-320'];
    for (let n = 0; n < N; n++) {
      let s = bases[n % bases.length];
      if (n % 2 === 0) {
        // Byte-level damage: mostly malformed XML.
        for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
          const at = Math.floor(rnd() * s.length);
          const len = Math.floor(rnd() * 8);
          s = s.slice(0, at) + junk[Math.floor(rnd() * junk.length)] + s.slice(at + len);
        }
      } else {
        // Attribute-level damage: well-formed XML with wrong values, names and references.
        const spots = [...s.matchAll(/="([^"]*)"/g)];
        for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
          const m = spots[Math.floor(rnd() * spots.length)];
          const v = values[Math.floor(rnd() * values.length)];
          s = s.slice(0, m.index! + 2) + v + s.slice(m.index! + 2 + m[1].length);
          break; // indices move after an edit: one edit per case
        }
      }
      try {
        const r: { model: RobotModel } = parseUrdf(s);
        expect(r.model.links.length).toBeGreaterThan(0);
        for (const j of r.model.joints) for (const x of [...j.origin.xyz, ...j.origin.quat, ...j.axis]) expect(Number.isFinite(x)).toBe(true);
        models++;
      } catch (e) {
        if (!(e instanceof UrdfError)) throw e;
        errors++;
      }
    }
    expect(models + errors).toBe(N);
    expect(models).toBeGreaterThan(N / 10);
    expect(errors).toBeGreaterThan(N / 10);
  });
});
