/**
 * Collada (.dae) reader, on saxes (no DOM). Reads <triangles>, <polylist>, <polygons>,
 * <trifans>, <tristrips>; instantiates geometry through the visual scene's node tree
 * (matrix/translate/rotate/scale, instance_node, instance_controller's bind shape), binds
 * materials to diffuse colours and texture paths, and honours <unit meter> and <up_axis>.
 * Output is Z-up, in metres.
 */
import type { Rgba } from '../../model.js';
import { parseXml, type XmlElement } from '../xml.js';
import { FloatBuf, IndexBuf, MeshParseError, type MeshPart, type TriMesh } from './types.js';

export interface DaeOptions {
  /**
   * 'honour' (default): rotate Y_UP / X_UP files to Z up, as the Collada spec says.
   * 'ignore': leave the axes as stored, as RViz does (ROS meshes tuned against RViz may need it).
   */
  upAxis?: 'honour' | 'ignore';
  /** Resolves an image path relative to the DAE; undefined when missing. */
  resolveTexture?: (relPath: string) => string | undefined;
}

type Mat4 = number[]; // row-major, column vectors

const IDENTITY: Mat4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

function mul(a: Mat4, b: Mat4): Mat4 {
  const r = new Array<number>(16);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      r[i * 4 + j] = a[i * 4] * b[j] + a[i * 4 + 1] * b[4 + j] + a[i * 4 + 2] * b[8 + j] + a[i * 4 + 3] * b[12 + j];
  return r;
}

function det3(m: Mat4): number {
  return (
    m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8]) + m[2] * (m[4] * m[9] - m[5] * m[8])
  );
}

function rotation(ax: number, ay: number, az: number, deg: number): Mat4 {
  const n = Math.hypot(ax, ay, az) || 1;
  const x = ax / n, y = ay / n, z = az / n;
  const a = (deg * Math.PI) / 180;
  const c = Math.cos(a), s = Math.sin(a), t = 1 - c;
  return [
    t * x * x + c, t * x * y - s * z, t * x * z + s * y, 0,
    t * x * y + s * z, t * y * y + c, t * y * z - s * x, 0,
    t * x * z - s * y, t * y * z + s * x, t * z * z + c, 0,
    0, 0, 0, 1,
  ];
}

function nums(text: string): number[] {
  const t = text.trim();
  if (!t) return [];
  return t.split(/\s+/).map(Number);
}

function ints(text: string): Int32Array {
  const t = text.trim();
  if (!t) return new Int32Array(0);
  const parts = t.split(/\s+/);
  const out = new Int32Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parseInt(parts[i], 10);
  return out;
}

function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

interface Primitive {
  material?: string;
  /** Triangle corner indices into the geometry's positions. */
  tris: number[];
}

interface GeometryData {
  positions: number[];
  prims: Primitive[];
}

export function parseDae(text: string, opts: DaeOptions = {}): TriMesh {
  const root = parseXml(text);
  if (root.name !== 'COLLADA') throw new MeshParseError(`not a Collada file (root <${root.name}>)`);
  const warnings: string[] = [];
  const ids = new Map<string, XmlElement>();
  const stack = [root];
  while (stack.length) {
    const el = stack.pop()!;
    if (el.attrs.id !== undefined) ids.set(el.attrs.id, el);
    for (const c of el.children) stack.push(c);
  }
  const byRef = (url: string | undefined): XmlElement | undefined => (url ? ids.get(url.replace(/^#/, '')) : undefined);

  const asset = child(root, 'asset');
  const meter = Number(child(asset, 'unit')?.attrs.meter ?? '1');
  const unit = Number.isFinite(meter) && meter > 0 ? meter : 1;
  const up = (child(asset, 'up_axis')?.text ?? 'Y_UP').trim().toUpperCase();
  // Collada's default up axis is Y. Map it to Z-up (URDF).
  let upM: Mat4;
  if (up === 'Z_UP' || opts.upAxis === 'ignore') upM = IDENTITY;
  else if (up === 'X_UP') upM = [0, -1, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, 0, 1]; // (x,y,z) -> (-y,-z,x)
  else upM = [1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1]; // Y_UP: (x,y,z) -> (x,-z,y)
  if (upM !== IDENTITY)
    warnings.push(`Collada <up_axis> ${up} rotated to Z up (RViz ignores <up_axis>: if the mesh looks turned by 90 degrees, load with colladaUpAxis 'ignore')`);
  const rootM = mul(upM, [unit, 0, 0, 0, 0, unit, 0, 0, 0, 0, unit, 0, 0, 0, 0, 1]);

  const geomCache = new Map<XmlElement, GeometryData>();
  const readSourceFloats = (src: XmlElement | undefined): { data: number[]; stride: number } | undefined => {
    if (!src) return undefined;
    const fa = child(src, 'float_array');
    if (!fa) return undefined;
    const acc = child(child(src, 'technique_common'), 'accessor');
    const st = Math.floor(Number(acc?.attrs.stride ?? '3'));
    const stride = st >= 3 ? st : 3;
    return { data: nums(fa.text), stride };
  };
  const geometry = (g: XmlElement): GeometryData => {
    let gd = geomCache.get(g);
    if (gd) return gd;
    gd = { positions: [], prims: [] };
    geomCache.set(g, gd);
    const mesh = child(g, 'mesh');
    if (!mesh) {
      warnings.push(`geometry "${g.attrs.id ?? '?'}" has no <mesh> (spline/brep ignored)`);
      return gd;
    }
    const vertices = child(mesh, 'vertices');
    let posSrc: XmlElement | undefined;
    for (const inp of children(vertices, 'input')) if (inp.attrs.semantic === 'POSITION') posSrc = byRef(inp.attrs.source);
    const readPositions = (src: XmlElement | undefined) => {
      const s = readSourceFloats(src);
      if (!s) return [];
      const out: number[] = [];
      for (let i = 0; i + 2 < s.data.length; i += s.stride) out.push(s.data[i], s.data[i + 1], s.data[i + 2]);
      return out;
    };
    gd.positions = readPositions(posSrc);
    const nverts = gd.positions.length / 3;
    for (const prim of mesh.children) {
      const kind = prim.name;
      if (!['triangles', 'polylist', 'polygons', 'trifans', 'tristrips'].includes(kind)) {
        if (['lines', 'linestrips'].includes(kind)) warnings.push(`<${kind}> ignored`);
        continue;
      }
      const inputs = children(prim, 'input');
      let stride = 1;
      let vOff = -1;
      for (const inp of inputs) {
        const off = Math.floor(Number(inp.attrs.offset ?? '0'));
        if (!(off >= 0 && off < 64)) throw new MeshParseError(`<${kind}>: bad input offset "${inp.attrs.offset}"`);
        stride = Math.max(stride, off + 1);
        if (inp.attrs.semantic === 'VERTEX') vOff = off;
        else if (inp.attrs.semantic === 'POSITION' && vOff < 0) {
          vOff = off;
          if (!gd.positions.length) gd.positions = readPositions(byRef(inp.attrs.source));
        }
      }
      if (vOff < 0) {
        warnings.push(`<${kind}> without a VERTEX input ignored`);
        continue;
      }
      const tris: number[] = [];
      const corner = (p: Int32Array, k: number) => p[k * stride + vOff];
      const fan = (p: Int32Array, first: number, count: number) => {
        for (let j = 1; j + 1 < count; j++) tris.push(corner(p, first), corner(p, first + j), corner(p, first + j + 1));
      };
      if (kind === 'triangles') {
        const p = ints(child(prim, 'p')?.text ?? '');
        const n = Math.floor(p.length / stride);
        for (let k = 0; k + 2 < n; k += 3) tris.push(corner(p, k), corner(p, k + 1), corner(p, k + 2));
      } else if (kind === 'polylist') {
        const p = ints(child(prim, 'p')?.text ?? '');
        const vc = ints(child(prim, 'vcount')?.text ?? '');
        let k = 0;
        for (const c of vc) {
          if ((k + c) * stride > p.length) break;
          fan(p, k, c);
          k += c;
        }
      } else {
        const ps = [...children(prim, 'p'), ...children(prim, 'ph').map((ph) => child(ph, 'p')).filter((x): x is XmlElement => !!x)];
        for (const pe of ps) {
          const p = ints(pe.text);
          const n = Math.floor(p.length / stride);
          if (kind === 'tristrips') {
            for (let k = 0; k + 2 < n; k++) {
              if (k % 2 === 0) tris.push(corner(p, k), corner(p, k + 1), corner(p, k + 2));
              else tris.push(corner(p, k + 1), corner(p, k), corner(p, k + 2));
            }
          } else fan(p, 0, n);
        }
      }
      for (const t of tris) {
        if (!(t >= 0 && t < nverts)) throw new MeshParseError(`Collada geometry "${g.attrs.id ?? '?'}": vertex index ${t} out of range`);
      }
      gd.prims.push({ material: prim.attrs.material, tris });
    }
    return gd;
  };

  const materialCache = new Map<string, { color?: Rgba; texture?: string; name?: string }>();
  const material = (matId: string | undefined): { color?: Rgba; texture?: string; name?: string } => {
    if (!matId) return {};
    const hit = materialCache.get(matId);
    if (hit) return hit;
    const out: { color?: Rgba; texture?: string; name?: string } = {};
    materialCache.set(matId, out);
    const mat = byRef(matId);
    if (!mat) return out;
    out.name = mat.attrs.name ?? mat.attrs.id;
    const effect = byRef(child(mat, 'instance_effect')?.attrs.url);
    const profile = child(effect, 'profile_COMMON');
    const technique = child(profile, 'technique');
    const shader = technique?.children.find((c) => ['phong', 'lambert', 'blinn', 'constant'].includes(c.name));
    const diffuse = child(shader, 'diffuse') ?? child(shader, 'emission');
    const color = child(diffuse, 'color');
    if (color) {
      const v = nums(color.text);
      if (v.length >= 3 && v.every(Number.isFinite)) out.color = [v[0], v[1], v[2], v.length >= 4 ? v[3] : 1];
    }
    const tex = child(diffuse, 'texture');
    if (tex) {
      // texture -> sampler2D newparam -> surface newparam -> image id -> file (1.4.1); 1.5 has init_from/ref.
      const params = new Map<string, XmlElement>();
      for (const np of children(profile, 'newparam')) if (np.attrs.sid) params.set(np.attrs.sid, np);
      let imageId = tex.attrs.texture;
      const sampler = params.get(imageId ?? '');
      if (sampler) {
        const s2 = child(sampler, 'sampler2D');
        const surfSid = child(s2, 'source')?.text.trim();
        const inst = child(s2, 'instance_image')?.attrs.url;
        const surf = surfSid ? params.get(surfSid) : undefined;
        imageId = inst?.replace(/^#/, '') ?? (child(child(surf, 'surface'), 'init_from')?.text.trim() || imageId);
      }
      const image = imageId ? ids.get(imageId) : undefined;
      const initFrom = child(image, 'init_from');
      const file = (child(initFrom, 'ref')?.text ?? initFrom?.text ?? '').trim();
      if (file) {
        const rel = file.replace(/^file:\/\//, '');
        const resolved = opts.resolveTexture ? opts.resolveTexture(decodeURIComponentSafe(rel)) : rel;
        if (resolved === undefined) warnings.push(`Collada texture "${file}" not found`);
        out.texture = resolved ?? rel;
      }
    }
    materialCache.set(matId, out);
    return out;
  };

  const pos = new FloatBuf();
  const idx = new IndexBuf();
  const parts: MeshPart[] = [];
  let base = 0;
  const emit = (g: XmlElement, m: Mat4, bindings: Map<string, string>) => {
    const gd = geometry(g);
    if (!gd.positions.length || !gd.prims.length) return;
    const n = gd.positions.length / 3;
    for (let i = 0; i < n; i++) {
      const x = gd.positions[i * 3], y = gd.positions[i * 3 + 1], z = gd.positions[i * 3 + 2];
      pos.push3(
        m[0] * x + m[1] * y + m[2] * z + m[3],
        m[4] * x + m[5] * y + m[6] * z + m[7],
        m[8] * x + m[9] * y + m[10] * z + m[11],
      );
    }
    const flip = det3(m) < 0;
    for (const prim of gd.prims) {
      if (!prim.tris.length) continue;
      const start = idx.n;
      const t = prim.tris;
      for (let k = 0; k + 2 < t.length; k += 3) {
        if (flip) idx.push3(base + t[k], base + t[k + 2], base + t[k + 1]);
        else idx.push3(base + t[k], base + t[k + 1], base + t[k + 2]);
      }
      const part: MeshPart = { start, count: idx.n - start };
      const matId = prim.material !== undefined ? (bindings.get(prim.material) ?? `#${prim.material}`) : undefined;
      const mat = material(matId);
      if (mat.name) part.name = mat.name;
      if (mat.color) part.color = [...mat.color] as Rgba;
      if (mat.texture) part.texture = mat.texture;
      parts.push(part);
    }
    base += n;
  };

  const bindingsOf = (inst: XmlElement): Map<string, string> => {
    const b = new Map<string, string>();
    for (const im of children(child(child(inst, 'bind_material'), 'technique_common'), 'instance_material'))
      if (im.attrs.symbol && im.attrs.target) b.set(im.attrs.symbol, im.attrs.target);
    return b;
  };

  const localTransform = (node: XmlElement): Mat4 => {
    let m = IDENTITY;
    for (const t of node.children) {
      const v = nums(t.text);
      switch (t.name) {
        case 'matrix':
          if (v.length === 16) m = mul(m, v);
          break;
        case 'translate':
          if (v.length === 3) m = mul(m, [1, 0, 0, v[0], 0, 1, 0, v[1], 0, 0, 1, v[2], 0, 0, 0, 1]);
          break;
        case 'rotate':
          if (v.length === 4) m = mul(m, rotation(v[0], v[1], v[2], v[3]));
          break;
        case 'scale':
          if (v.length === 3) m = mul(m, [v[0], 0, 0, 0, 0, v[1], 0, 0, 0, 0, v[2], 0, 0, 0, 0, 1]);
          break;
        case 'lookat':
        case 'skew':
          warnings.push(`node transform <${t.name}> ignored`);
          break;
      }
    }
    return m;
  };

  let instances = 0;
  let visits = 0;
  const visitNode = (node: XmlElement, parentM: Mat4, depth: number) => {
    if (depth > 64) throw new MeshParseError('Collada node tree too deep (cyclic instance_node?)');
    if (++visits > 100_000) throw new MeshParseError('Collada scene has too many node instances');
    const m = mul(parentM, localTransform(node));
    for (const c of node.children) {
      if (c.name === 'instance_geometry') {
        const g = byRef(c.attrs.url);
        if (g) {
          emit(g, m, bindingsOf(c));
          instances++;
        } else warnings.push(`instance_geometry "${c.attrs.url}" not found`);
      } else if (c.name === 'instance_controller') {
        const ctrl = byRef(c.attrs.url);
        const skin = child(ctrl, 'skin');
        const g = byRef(skin?.attrs.source);
        if (g) {
          const bsm = nums(child(skin, 'bind_shape_matrix')?.text ?? '');
          emit(g, bsm.length === 16 ? mul(m, bsm) : m, bindingsOf(c));
          instances++;
          warnings.push('skinned Collada geometry used in its bind pose');
        }
      } else if (c.name === 'instance_node') {
        const n = byRef(c.attrs.url);
        if (n) visitNode(n, m, depth + 1);
      } else if (c.name === 'node') visitNode(c, m, depth + 1);
    }
  };

  const sceneUrl = child(child(root, 'scene'), 'instance_visual_scene')?.attrs.url;
  const scene = byRef(sceneUrl) ?? child(child(root, 'library_visual_scenes'), 'visual_scene');
  if (scene) for (const n of children(scene, 'node')) visitNode(n, rootM, 0);
  if (!scene || instances === 0) {
    // No scene: take every geometry once, untransformed (some exporters do this).
    for (const g of children(child(root, 'library_geometries'), 'geometry')) emit(g, rootM, new Map());
    if (!scene) warnings.push('Collada file without a visual scene; all geometries used as they are');
  }
  const positions = pos.finish();
  for (let i = 0; i < positions.length; i++)
    if (!Number.isFinite(positions[i])) throw new MeshParseError('Collada: non-finite vertex coordinate');
  if (parts.length === 0) parts.push({ start: 0, count: 0 });
  return { format: 'dae', positions, indices: idx.finish(), parts, warnings };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
