import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryFs } from '../fs.js';
import { nodeFs } from '../node.js';
import { FIXTURES } from '../test-util.js';
import { UrdfError } from '../errors.js';
import { hullPoints, MeshCache, meshBounds, MeshParseError, meshPartsToGeometrySpecs, meshToGeometrySpec, parseDae, parseMesh, parseObj, parseStl } from './index.js';

const enc = new TextEncoder();

function expectBounds(b: [number[], number[]], min: number[], max: number[]) {
  for (let k = 0; k < 3; k++) {
    expect(b[0][k]).toBeCloseTo(min[k], 5);
    expect(b[1][k]).toBeCloseTo(max[k], 5);
  }
}

describe('STL', () => {
  it('reads binary and ASCII files (any case of extension) to the same box', () => {
    const bin = parseMesh(readFileSync(FIXTURES + 'quadruped/meshes/foot.stl'), 'foot.stl');
    const asc = parseMesh(readFileSync(FIXTURES + 'quadruped/meshes/FOOT_ASCII.STL'), 'FOOT_ASCII.STL');
    for (const m of [bin, asc]) {
      expect(m.format).toBe('stl');
      expect(m.indices.length).toBe(36);
      expectBounds(meshBounds(m), [-0.025, -0.025, -0.025], [0.025, 0.025, 0.025]);
    }
  });

  it('treats a binary file whose header starts with "solid" as binary', () => {
    const b = new Uint8Array(84 + 50);
    b.set(enc.encode('solid but actually binary'));
    new DataView(b.buffer).setUint32(80, 1, true);
    new DataView(b.buffer).setFloat32(84 + 12 + 4 * 3, 1, true); // second vertex x
    const m = parseStl(b);
    expect(m.indices.length).toBe(3);
    expect(m.positions[3]).toBe(1);
  });

  it('rejects garbage', () => {
    expect(() => parseStl(enc.encode('hello'))).toThrow(/not an STL/);
  });
});

describe('OBJ', () => {
  it('reads faces (quads, negative indices, v/vt/vn) and MTL colours and textures', () => {
    const path = FIXTURES + 'quadruped/meshes/body.obj';
    const m = parseMesh(readFileSync(path), path, nodeFs);
    expect(m.format).toBe('obj');
    expect(m.positions.length).toBe(24);
    expect(m.indices.length).toBe(36);
    expect(m.parts.map((p) => [p.name, p.color, p.count])).toEqual([
      ['red', [1, 0, 0, 1], 18],
      ['blue', [0, 0, 1, 1], 18],
    ]);
    expect(m.parts[1].texture).toBe(FIXTURES.replace(/\/$/, '') + '/quadruped/meshes/textures/fur.png');
    const leg = parseMesh(readFileSync(FIXTURES + 'quadruped/meshes/leg.obj'), FIXTURES + 'quadruped/meshes/leg.obj', nodeFs);
    expectBounds(meshBounds(leg), [-0.02, -0.02, -0.25], [0.02, 0.02, 0]);
    expect(leg.indices.length).toBe(36);
  });

  it('warns about a missing MTL and keeps the geometry', () => {
    const m = parseObj('mtllib gone.mtl\nv 0 0 0\nv 1 0 0\nv 0 1 0\nv 1 1 0\nusemtl x\nf 1 2 4 3\n', { readText: () => undefined });
    expect(m.indices.length).toBe(6);
    expect(m.warnings.some((w) => /gone\.mtl/.test(w))).toBe(true);
  });

  it('rejects out-of-range indices', () => {
    expect(() => parseObj('v 0 0 0\nf 1 2 3\n')).toThrow(/out of range/);
  });
});

describe('Collada', () => {
  const ws = FIXTURES + 'ros_ws/src/';
  it('reads triangles, a node translation and the material colour (Z up, metres)', () => {
    const m = parseMesh(readFileSync(ws + 'demo_description/meshes/base.dae'), 'base.dae');
    expect(m.format).toBe('dae');
    expect(m.indices.length).toBe(36);
    expectBounds(meshBounds(m), [-0.2, -0.15, 0], [0.2, 0.15, 0.1]);
    expect(m.parts[0].color).toEqual([0.2, 0.4, 0.8, 1]);
  });

  it('honours <unit meter>, <up_axis>Y_UP and node matrices, and reads polylists', () => {
    // A 2 x 4 x 6 cm box, shifted 0.5 cm along x, Y up: in Z-up metres it is 2 x 6 x 4 cm.
    const m = parseMesh(readFileSync(ws + 'demo_description/meshes/upper_arm.DAE'), 'upper_arm.DAE');
    expect(m.indices.length).toBe(36);
    expectBounds(meshBounds(m), [-0.005, -0.03, -0.02], [0.015, 0.03, 0.02]);
  });

  it('maps X_UP to Z up', () => {
    const text = readFileSync(ws + 'demo_description/meshes/upper_arm.DAE', 'utf8').replace('Y_UP', 'X_UP').replace(/<matrix>[^<]*<\/matrix>/, '');
    // (x, y, z) -> (-y, -z, x): extents 2, 4, 6 cm become 4, 6, 2 cm
    expectBounds(meshBounds(parseDae(text)), [-0.02, -0.03, -0.01], [0.02, 0.03, 0.01]);
  });

  it('resolves the texture image through sampler and surface', () => {
    const path = ws + 'shared/demo_meshes_repo/meshes/forearm.dae';
    const m = parseMesh(readFileSync(path), path, nodeFs);
    expect(m.parts[0].texture).toMatch(/demo_meshes_repo\/textures\/skin\.png$/);
  });

  it('instances a geometry once per node, with rotate and scale, and flips mirrored winding', () => {
    const text = readFileSync(ws + 'demo_description/meshes/base.dae', 'utf8').replace(
      /<node id="n0" name="n0">[\s\S]*<\/node>/,
      `<node id="a"><rotate>0 0 1 90</rotate><instance_geometry url="#g"/></node>
       <node id="b"><translate>1 0 0</translate><scale>-1 1 1</scale><instance_geometry url="#g"/></node>`,
    );
    const m = parseDae(text);
    expect(m.indices.length).toBe(72);
    expect(m.positions.length).toBe(48);
    const first = { positions: m.positions.slice(0, 24), indices: m.indices.slice(0, 36), parts: [], format: 'dae' as const, warnings: [] };
    expectBounds(meshBounds(first), [-0.15, -0.2, -0.05], [0.15, 0.2, 0.05]);
    // Mirrored copy: triangle (a, b, c) of the first becomes (a, c, b) in the second.
    expect([m.indices[37] - 8, m.indices[38] - 8]).toEqual([m.indices[2], m.indices[1]]);
  });

  const doc = (body: string, asset = '<asset><unit meter="0.0254" name="inch"/><up_axis>Z_UP</up_axis></asset>') => `<?xml version="1.0"?>
<COLLADA version="1.4.1">${asset}
  <library_geometries><geometry id="q"><mesh>
    <source id="q-p"><float_array id="q-a" count="12">0 0 0 1 0 0 1 1 0 0 1 0</float_array>
      <technique_common><accessor source="#q-a" count="4" stride="3"/></technique_common></source>
    <vertices id="q-v"><input semantic="POSITION" source="#q-p"/></vertices>
    ${body}
  </mesh></geometry></library_geometries>
  <library_nodes><node id="lib"><translate>10 0 0</translate><instance_geometry url="#q"/></node></library_nodes>
  <library_visual_scenes><visual_scene id="s">
    <node><instance_node url="#lib"/><node><translate>0 0 5</translate><instance_geometry url="#q"/></node></node>
  </visual_scene></library_visual_scenes>
  <scene><instance_visual_scene url="#s"/></scene>
</COLLADA>`;

  it('reads <polygons> (with holes ignored), <tristrips> and <trifans>, inches, instance_node', () => {
    const poly = parseDae(doc('<polygons count="1"><input semantic="VERTEX" source="#q-v" offset="0"/><p>0 1 2 3</p></polygons>'));
    expect(poly.indices.length).toBe(12); // two instances of a quad
    const b = meshBounds(poly);
    expectBounds(b, [0, 0, 0], [11 * 0.0254, 0.0254, 5 * 0.0254]);
    const strip = parseDae(doc('<tristrips count="1"><input semantic="VERTEX" source="#q-v" offset="0"/><p>0 1 3 2</p></tristrips>'));
    expect(Array.from(strip.indices.slice(0, 6))).toEqual([0, 1, 3, 3, 1, 2]); // odd triangles swap to keep the winding
    const fan = parseDae(doc('<trifans count="1"><input semantic="VERTEX" source="#q-v" offset="0"/><p>0 1 2 3</p></trifans>'));
    expect(Array.from(fan.indices.slice(0, 6))).toEqual([0, 1, 2, 0, 2, 3]);
  });

  it('uses every geometry when there is no visual scene, and Y up by default', () => {
    const text = doc('<triangles count="1"><input semantic="VERTEX" source="#q-v" offset="0"/><p>0 1 2</p></triangles>', '<asset/>')
      .replace(/<library_visual_scenes>[\s\S]*<\/scene>/, '');
    const m = parseDae(text);
    expect(m.indices.length).toBe(3);
    expect(m.warnings.some((w) => /without a visual scene/.test(w))).toBe(true);
    // Y up by default: the quad in the XY plane stands up in XZ
    expectBounds(meshBounds(m), [0, 0, 0], [1, 0, 1]);
  });

  it('matches pycollada on a scene with polylists, triangles and nested node transforms', () => {
    // scene.dae and reference.json are written by pycollada (collada_ref/make_reference.py).
    const dir = FIXTURES + 'collada_ref/';
    const ref = JSON.parse(readFileSync(dir + 'reference.json', 'utf8')) as { triangles: number[][][] };
    const m = parseMesh(readFileSync(dir + 'scene.dae'), dir + 'scene.dae', nodeFs);
    // A triangle as text, rotated so that its smallest vertex comes first (winding kept).
    const key = (t: number[][]) => {
      const s = t.map((v) => v.map((x) => (Math.round(x * 1e4) / 1e4 + 0).toFixed(4)).join(' '));
      const k = s.indexOf([...s].sort()[0]);
      return [...s.slice(k), ...s.slice(0, k)].join(' | ');
    };
    const ours: string[] = [];
    for (let i = 0; i < m.indices.length; i += 3) {
      ours.push(key([0, 1, 2].map((c) => Array.from(m.positions.slice(m.indices[i + c] * 3, m.indices[i + c] * 3 + 3)))));
    }
    expect(ours.sort()).toEqual(ref.triangles.map(key).sort());
    expect(m.parts.map((p) => p.color)).toEqual([[1, 0, 0, 1], [0, 1, 0, 1], [1, 0, 0, 1], [0, 1, 0, 1]]);
  });

  it('rejects non-Collada XML and malformed XML', () => {
    expect(() => parseDae('<foo/>')).toThrow(/not a Collada/);
    expect(() => parseDae('<COLLADA><asset>')).toThrow(/malformed/);
  });
});

describe('mesh outputs and cache', () => {
  const box = parseMesh(readFileSync(FIXTURES + 'quadruped/meshes/foot.stl'), 'foot.stl');

  it('gives deduplicated, scaled hull points', () => {
    const pts = hullPoints(box, [2, 1, 1]);
    expect(pts.length).toBe(8 * 3); // 36 STL corners -> 8 distinct
    expect(Math.max(...pts.filter((_, i) => i % 3 === 0))).toBeCloseTo(0.05, 6);
  });

  it('gives SceneSpec mesh geometry, scaled, winding flipped for mirrored scales', () => {
    const g = meshToGeometrySpec(box, [1, 1, 1], 'foot');
    expect(g.kind).toBe('mesh');
    expect(g.positions.length).toBe(box.positions.length);
    expect(g.label).toBe('foot');
    const mirrored = meshToGeometrySpec(box, [-1, 1, 1]);
    expect(mirrored.positions[0]).toBeCloseTo(-box.positions[0], 7);
    expect(mirrored.indices.slice(0, 3)).toEqual([g.indices[0], g.indices[2], g.indices[1]]);
  });

  it('caches per path and modification stamp', () => {
    const files = new Map<string, Uint8Array>([['/m/a.stl', readFileSync(FIXTURES + 'quadruped/meshes/foot.stl')]]);
    let mtime = 1;
    let reads = 0;
    const base = memoryFs(files);
    const fs = { ...base, readFile: (p: string) => (reads++, base.readFile(p)), mtimeMs: () => mtime };
    const cache = new MeshCache();
    const a = cache.load('/m/a.stl', fs);
    expect(cache.load('/m/a.stl', fs)).toBe(a);
    expect(reads).toBe(1);
    mtime = 2;
    expect(cache.load('/m/a.stl', fs)).not.toBe(a);
    expect(reads).toBe(2);
  });
});

describe('mesh helpers', () => {
  it('splits multi-material meshes into one drawable per part', () => {
    const path = FIXTURES + 'quadruped/meshes/body.obj';
    const m = parseMesh(readFileSync(path), path, nodeFs);
    const parts = meshPartsToGeometrySpecs(m, [2, 2, 2]);
    expect(parts.map((p) => p.color)).toEqual([[1, 0, 0, 1], [0, 0, 1, 1]]);
    expect(parts.map((p) => p.geometry.indices.length)).toEqual([18, 18]);
    for (const p of parts) expect(Math.max(...p.geometry.indices)).toBeLessThan(p.geometry.positions.length / 3);
    expect(Math.max(...parts[0].geometry.positions.filter((_, i) => i % 3 === 0))).toBeCloseTo(0.6, 6);
  });

  it('memoizes hull points per mesh and scale', () => {
    const m = parseMesh(readFileSync(FIXTURES + 'quadruped/meshes/foot.stl'), 'foot.stl');
    expect(hullPoints(m, [1, 1, 1])).toBe(hullPoints(m, [1, 1, 1]));
    expect(hullPoints(m, [1, 1, 2])).not.toBe(hullPoints(m, [1, 1, 1]));
  });
});

describe('mesh readers on mutated files', () => {
  const sources: [string, Uint8Array][] = [
    ['a.stl', readFileSync(FIXTURES + 'quadruped/meshes/FOOT_ASCII.STL')],
    ['b.stl', readFileSync(FIXTURES + 'quadruped/meshes/foot.stl')],
    ['c.obj', readFileSync(FIXTURES + 'quadruped/meshes/leg.obj')],
    ['d.dae', readFileSync(FIXTURES + 'ros_ws/src/demo_description/meshes/upper_arm.DAE')],
  ];
  it('return a finite mesh or throw a mesh/XML error, never hang or crash', () => {
    let seed = 99;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const junk = ['-', '1e40', 'nan', '<', '"', ' ', '0', '/', '\n', 'f 1 2', 'vertex', '9999999'].map((s) => new TextEncoder().encode(s));
    let ok = 0;
    for (let n = 0; n < 400; n++) {
      const [name, src] = sources[n % sources.length];
      let b = src;
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
        const at = Math.floor(rnd() * b.length);
        const j = junk[Math.floor(rnd() * junk.length)];
        const cut = Math.floor(rnd() * 6);
        const nb = new Uint8Array(b.length - Math.min(cut, b.length - at) + j.length);
        nb.set(b.subarray(0, at));
        nb.set(j, at);
        nb.set(b.subarray(Math.min(b.length, at + cut)), at + j.length);
        b = nb;
      }
      try {
        const m = parseMesh(b, name);
        for (const v of m.positions) expect(Number.isFinite(v)).toBe(true);
        for (const i of m.indices) expect(i).toBeLessThan(m.positions.length / 3);
        ok++;
      } catch (e) {
        if (!(e instanceof MeshParseError || e instanceof UrdfError)) throw e;
      }
    }
    expect(ok).toBeGreaterThan(0);
  });
});
