/**
 * URDF XML -> RobotModel. Pure: a string in, a model and warnings out. File access happens only
 * through the optional `resolve` callback (mesh and texture URIs -> paths), so the same parser
 * serves Node (loadUrdfFile), worker threads and files dropped into the browser shell.
 */
import type {
  Collision, Geometry, Inertial, Joint, JointType, Link, Material, Pose, RobotModel, Rgba, Vec3, Visual,
} from '../model.js';
import { UrdfError, type UrdfWarning, type UrdfWarningCode } from './errors.js';
import { quatFromRpy } from './math.js';
import { childrenNamed, describe, firstChild, parseXml, type XmlElement } from './xml.js';

export type UrdfResolveKind = 'mesh' | 'texture';

/**
 * Turns a URI as written in the URDF (package://, file://, relative, absolute) into a path.
 * Return null (or undefined) when it cannot be found.
 */
export type UrdfResolver = (uri: string, kind: UrdfResolveKind) => string | null | undefined;

export interface ParseUrdfOptions {
  /** Path (or name) of the URDF, for messages and `model.source`. */
  sourcePath?: string;
  /** Resolves mesh and texture URIs. Without it, MeshRef.path keeps the URI as written. */
  resolve?: UrdfResolver;
  /** What to do when `resolve` cannot find a mesh: throw 'missing-mesh' (default) or warn. */
  missingMeshes?: 'error' | 'warn';
}

/** One mesh reference as written, for loaders and error messages. */
export interface UrdfMeshRef {
  uri: string;
  /** Resolved path (the URI itself when unresolved). */
  path: string;
  resolved: boolean;
  link: string;
  role: 'visual' | 'collision';
  line: number;
}

export interface ParseUrdfResult {
  model: RobotModel;
  warnings: UrdfWarning[];
  /** Every <mesh> in file order (visual and collision). */
  meshes: UrdfMeshRef[];
}

const JOINT_TYPES: readonly JointType[] = ['revolute', 'continuous', 'prismatic', 'fixed', 'floating', 'planar'];
/** Longest number accepted, in characters: a float needs at most ~25; longer ones are hostile or broken. */
export const URDF_MAX_NUMBER_CHARS = 64;
/**
 * Largest magnitude accepted for lengths (m), angles (rad), scales, masses (kg), inertias (kg m^2)
 * and mimic factors: beyond it a value is not physical, and float32 physics turns it into inf or NaN.
 */
export const URDF_MAX_MAGNITUDE = 1e6;
/** The same for efforts, velocities, damping, friction and gains, which run larger (inf stays allowed where the format allows it). */
export const URDF_MAX_RATE = 1e9;

/**
 * `[+-]? (digits [. digits*]? | . digits) ([eE] [+-]? digits)? | [+-]? inf | [+-]? infinity`, in
 * one linear pass (the regular expression it replaces backtracked quadratically on long digit runs).
 */
export function isFloatToken(s: string): boolean {
  const n = s.length;
  let i = 0;
  if (i < n && (s[i] === '+' || s[i] === '-')) i++;
  if (n - i === 3 || n - i === 8) {
    const word = s.slice(i).toLowerCase();
    if (word === 'inf' || word === 'infinity') return true;
  }
  let digits = 0;
  while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) (i++, digits++);
  if (i < n && s[i] === '.') {
    i++;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) (i++, digits++);
  }
  if (digits === 0) return false;
  if (i < n && (s[i] === 'e' || s[i] === 'E')) {
    i++;
    if (i < n && (s[i] === '+' || s[i] === '-')) i++;
    let exp = 0;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) (i++, exp++);
    if (exp === 0) return false;
  }
  return i === n;
}

/** A value as messages quote it: long ones cut, with their length. */
export function clip(s: string, max = 100): string {
  return s.length <= max ? s : `${s.slice(0, max - 20)}... (${s.length} characters)`;
}

/** "a", "b", "c" and 47 more: a list named in a message, first few only. */
function firstFew(names: string[], few = 5): string {
  const shown = names.slice(0, few).map((x) => `"${clip(x)}"`).join(', ');
  return names.length > few ? `${shown} and ${names.length - few} more` : shown;
}

class Ctx {
  readonly warnings: UrdfWarning[] = [];
  readonly meshes: UrdfMeshRef[] = [];
  readonly materials = new Map<string, Material>();
  /** Inline materials already parsed in the prepass (so textures resolve and warn once). */
  readonly inline = new Map<XmlElement, Material>();
  constructor(readonly opts: ParseUrdfOptions) {}

  get file(): string | undefined {
    return this.opts.sourcePath;
  }

  warn(code: UrdfWarningCode, message: string, el?: XmlElement): void {
    this.warnings.push({ code, message, element: el ? describe(el) : undefined, line: el?.line, file: this.file });
  }

  error(code: ConstructorParameters<typeof UrdfError>[0], message: string, el?: XmlElement): never {
    throw new UrdfError(code, message, { file: this.file, element: el ? describe(el) : undefined, line: el?.line, column: el?.column });
  }

  /**
   * A float; `fallback` when the attribute is absent (undefined fallback = required). Finite values
   * beyond `bound` (URDF_MAX_RATE unless given) are errors; infinities are left to the caller.
   */
  num(el: XmlElement, attr: string, fallback?: number, bound = URDF_MAX_RATE, unit = ''): number {
    const raw = el.attrs[attr];
    if (raw === undefined) {
      if (fallback === undefined) this.error('invalid-value', `missing attribute "${attr}"`, el);
      return fallback;
    }
    return this.inRange(this.parseFloatStrict(raw.trim(), el, attr), el, attr, bound, unit);
  }

  parseFloatStrict(s: string, el: XmlElement, attr: string): number {
    if (s.length > URDF_MAX_NUMBER_CHARS || !isFloatToken(s)) {
      if (/\$[{(]/.test(s)) this.error('not-urdf', `attribute "${attr}": "${clip(s)}" is an unexpanded xacro expression; run xacro first`, el);
      if (s.length > URDF_MAX_NUMBER_CHARS) this.error('invalid-value', `attribute "${attr}": a number of ${s.length} characters ("${s.slice(0, 24)}..."); at most ${URDF_MAX_NUMBER_CHARS} are accepted`, el);
      this.error('invalid-value', `attribute "${attr}": "${clip(s)}" is not a number`, el);
    }
    const lower = s.toLowerCase();
    if (lower.endsWith('inf') || lower.endsWith('infinity')) return s.startsWith('-') ? -Infinity : Infinity;
    return Number(s);
  }

  /** `v`, or an error when it is finite but beyond ±bound (inf and NaN pass: callers check finiteness). */
  inRange(v: number, el: XmlElement, attr: string, bound: number, unit = ''): number {
    if (Math.abs(v) > bound && Number.isFinite(v)) {
      this.error('invalid-value', `attribute "${attr}": ${v} is out of range; |value| must be at most ${bound.toExponential(0).replace('+', '')}${unit ? ' ' + unit : ''} (a non-physical magnitude)`, el);
    }
    return v;
  }

  /**
   * A whitespace-separated float list of exactly `n` values (or `alt` values, if given); finite
   * values beyond `bound` are errors.
   */
  vec(el: XmlElement, attr: string, n: number, fallback?: number[], alt?: number, bound = URDF_MAX_MAGNITUDE, unit = ''): number[] {
    const raw = el.attrs[attr];
    if (raw === undefined) {
      if (fallback === undefined) this.error('invalid-value', `missing attribute "${attr}"`, el);
      return fallback.slice();
    }
    const parts = raw.trim().split(/\s+/, Math.max(n, alt ?? 0) + 1).filter((p) => p.length > 0);
    if (parts.length !== n && !(alt !== undefined && parts.length === alt)) {
      this.error('invalid-value', `attribute "${attr}": expected ${n} numbers, got "${clip(raw)}"`, el);
    }
    return parts.map((p) => this.inRange(this.parseFloatStrict(p, el, attr), el, attr, bound, unit));
  }

  finite(v: number[], el: XmlElement, attr: string): void {
    if (v.some((x) => !Number.isFinite(x))) this.error('invalid-value', `attribute "${attr}" must be finite`, el);
  }
}

export function parseUrdf(xml: string, opts: ParseUrdfOptions = {}): ParseUrdfResult {
  const ctx = new Ctx(opts);
  const root = parseXml(xml, { file: opts.sourcePath, keepText: () => false });
  if (root.name !== 'robot') {
    if (root.name === 'sdf') ctx.error('not-urdf', 'this is an SDF file, not a URDF', root);
    ctx.error('not-urdf', `the root element is <${root.name}>, expected <robot>`, root);
  }
  checkXacro(ctx, root);

  let name = root.attrs.name;
  if (!name) {
    ctx.warn('default-value', 'the robot has no name; using "robot"', root);
    name = 'robot';
  }

  // Materials first: top-level ones, then named inline ones (urdfdom makes those global too).
  for (const m of childrenNamed(root, 'material')) {
    const mat = parseMaterial(ctx, m, true);
    if (mat?.name !== undefined) {
      if (ctx.materials.has(mat.name)) ctx.warn('invalid-value', `material "${clip(mat.name)}" defined twice; the first one is used`, m);
      else ctx.materials.set(mat.name, mat);
    }
  }
  for (const l of childrenNamed(root, 'link'))
    for (const v of childrenNamed(l, 'visual'))
      for (const m of childrenNamed(v, 'material')) {
        if (m.attrs.name && !ctx.materials.has(m.attrs.name) && (firstChild(m, 'color') || firstChild(m, 'texture'))) {
          const mat = parseMaterial(ctx, m, false);
          if (mat) {
            ctx.materials.set(m.attrs.name, mat);
            ctx.inline.set(m, mat);
          }
        }
      }

  const links: Link[] = [];
  const joints: Joint[] = [];
  const linkEls = new Map<string, XmlElement>();
  const jointEls = new Map<string, XmlElement>();
  for (const child of root.children) {
    switch (child.name) {
      case 'link': {
        const link = parseLink(ctx, child);
        if (linkEls.has(link.name)) ctx.error('duplicate-name', `link "${clip(link.name)}" is defined twice (first at line ${linkEls.get(link.name)!.line})`, child);
        linkEls.set(link.name, child);
        links.push(link);
        break;
      }
      case 'joint': {
        const joint = parseJoint(ctx, child);
        if (jointEls.has(joint.name)) ctx.error('duplicate-name', `joint "${clip(joint.name)}" is defined twice (first at line ${jointEls.get(joint.name)!.line})`, child);
        jointEls.set(joint.name, child);
        joints.push(joint);
        break;
      }
      case 'material':
        break;
      case 'transmission':
      case 'gazebo':
        ctx.warn('ignored-element', `<${child.name}> is ignored (simulator- or controller-specific)`, child);
        break;
      default:
        ctx.warn('unknown-element', `unknown element <${child.name}> ignored`, child);
    }
  }

  if (links.length === 0) ctx.error('no-links', 'the robot has no links', root);
  const rootLink = checkTree(ctx, links, joints, linkEls, jointEls);
  checkMimic(ctx, joints, jointEls);

  const model: RobotModel = { name, links, joints, root: rootLink };
  if (opts.sourcePath !== undefined) model.source = opts.sourcePath;
  return { model, warnings: ctx.warnings, meshes: ctx.meshes };
}

function checkXacro(ctx: Ctx, root: XmlElement): void {
  const stack = [root];
  while (stack.length) {
    const el = stack.pop()!;
    if (el.name.startsWith('xacro:')) {
      ctx.error('not-urdf', `this is a xacro file; expand it first (xacro file.urdf.xacro > file.urdf)`, el);
    }
    for (const c of el.children) stack.push(c);
  }
}

function parsePose(ctx: Ctx, el: XmlElement | undefined): Pose {
  if (!el) return { xyz: [0, 0, 0], quat: [0, 0, 0, 1] };
  const xyz = ctx.vec(el, 'xyz', 3, [0, 0, 0], undefined, URDF_MAX_MAGNITUDE, 'm');
  const rpy = ctx.vec(el, 'rpy', 3, [0, 0, 0], undefined, URDF_MAX_MAGNITUDE, 'rad');
  ctx.finite(xyz, el, 'xyz');
  ctx.finite(rpy, el, 'rpy');
  return { xyz: xyz as Vec3, quat: quatFromRpy(rpy[0], rpy[1], rpy[2]) };
}

function parseOrigin(ctx: Ctx, parent: XmlElement): Pose {
  const origins = childrenNamed(parent, 'origin');
  if (origins.length > 1) ctx.warn('invalid-value', 'several <origin> elements; the first one is used', origins[1]);
  return parsePose(ctx, origins[0]);
}

function parseColor(ctx: Ctx, el: XmlElement): Rgba {
  const v = ctx.vec(el, 'rgba', 4, undefined, 3, Infinity); // out-of-range values are clamped below
  if (v.length === 3) {
    ctx.warn('nonstandard', 'rgba has 3 values; alpha 1 assumed', el);
    v.push(1);
  }
  if (v.some((x) => !(x >= 0 && x <= 1))) {
    ctx.warn('invalid-value', 'rgba values outside [0, 1] clamped', el);
    for (let i = 0; i < 4; i++) v[i] = Math.min(1, Math.max(0, Number.isFinite(v[i]) ? v[i] : 1));
  }
  return v as Rgba;
}

function parseMaterial(ctx: Ctx, el: XmlElement, topLevel: boolean): Material | undefined {
  const colorEl = firstChild(el, 'color');
  const texEl = firstChild(el, 'texture');
  if (topLevel && !el.attrs.name) {
    ctx.warn('invalid-value', 'top-level <material> without a name ignored', el);
    return undefined;
  }
  if (!colorEl && !texEl) return undefined;
  const mat: Material = { color: colorEl ? parseColor(ctx, colorEl) : [1, 1, 1, 1] };
  if (el.attrs.name) mat.name = el.attrs.name;
  if (texEl) {
    const uri = texEl.attrs.filename;
    if (!uri) ctx.warn('invalid-value', '<texture> without filename ignored', texEl);
    else if (ctx.opts.resolve) {
      const p = ctx.opts.resolve(uri, 'texture');
      if (p) mat.texture = p;
      else {
        ctx.warn('missing-material', `texture "${clip(uri)}" not found`, texEl);
        mat.texture = uri;
      }
    } else mat.texture = uri;
  }
  return mat;
}

function parseVisualMaterial(ctx: Ctx, el: XmlElement): Material | undefined {
  const name = el.attrs.name;
  if (firstChild(el, 'color') || firstChild(el, 'texture')) {
    // Inline (possibly parsed already in the prepass).
    const pre = ctx.inline.get(el);
    if (pre) return { ...pre, color: [...pre.color] as Rgba };
    return parseMaterial(ctx, el, false);
  }
  if (name === undefined) {
    ctx.warn('invalid-value', '<material> without a name, color or texture ignored', el);
    return undefined;
  }
  const mat = ctx.materials.get(name);
  if (!mat) {
    ctx.warn('missing-material', `material "${clip(name)}" is not defined; default colour used`, el);
    return undefined;
  }
  return { ...mat, color: [...mat.color] as Rgba };
}

function parseGeometry(ctx: Ctx, owner: XmlElement, link: string, role: 'visual' | 'collision'): { geometry?: Geometry; material?: XmlElement } {
  const g = firstChild(owner, 'geometry');
  if (!g) {
    ctx.warn('invalid-value', `<${role}> without <geometry> ignored`, owner);
    return {};
  }
  let material: XmlElement | undefined;
  let geometry: Geometry | undefined;
  for (const s of g.children) {
    if (s.name === 'material') {
      material = s;
      ctx.warn('nonstandard', '<material> inside <geometry> (non-standard) applied to the visual', s);
      continue;
    }
    if (geometry) {
      ctx.warn('invalid-value', `<geometry> has several shapes; <${s.name}> ignored`, s);
      continue;
    }
    switch (s.name) {
      case 'box': {
        const size = ctx.vec(s, 'size', 3, undefined, undefined, URDF_MAX_MAGNITUDE, 'm');
        ctx.finite(size, s, 'size');
        if (size.some((x) => x < 0)) ctx.error('invalid-value', `attribute "size": "${clip(s.attrs.size)}" has a negative side`, s);
        geometry = { kind: 'box', size: size.map((x) => x + 0) as Vec3 }; // + 0: no -0 (Rapier panics on some negative-zero shapes)
        break;
      }
      case 'sphere':
        geometry = { kind: 'sphere', radius: ctx.num(s, 'radius', undefined, URDF_MAX_MAGNITUDE, 'm') };
        break;
      case 'cylinder':
        geometry = { kind: 'cylinder', radius: ctx.num(s, 'radius', undefined, URDF_MAX_MAGNITUDE, 'm'), length: ctx.num(s, 'length', undefined, URDF_MAX_MAGNITUDE, 'm') };
        break;
      case 'capsule':
        ctx.warn('nonstandard', '<capsule> is not standard URDF; used as a capsule along Z (length excludes the caps)', s);
        geometry = { kind: 'capsule', radius: ctx.num(s, 'radius', undefined, URDF_MAX_MAGNITUDE, 'm'), length: ctx.num(s, 'length', undefined, URDF_MAX_MAGNITUDE, 'm') };
        break;
      case 'mesh': {
        const uri = s.attrs.filename;
        if (!uri) ctx.error('invalid-value', '<mesh> without filename', s);
        let scale: Vec3 = [1, 1, 1];
        if (s.attrs.scale !== undefined) {
          const v = ctx.vec(s, 'scale', 3, undefined, 1, URDF_MAX_MAGNITUDE);
          if (v.length === 1) {
            ctx.warn('nonstandard', 'mesh scale with one value used as a uniform scale', s);
            scale = [v[0], v[0], v[0]];
          } else scale = v as Vec3;
          ctx.finite(scale, s, 'scale');
        }
        let path = uri;
        let resolved = false;
        if (ctx.opts.resolve) {
          const p = ctx.opts.resolve(uri, 'mesh');
          if (p) {
            path = p;
            resolved = true;
          } else if ((ctx.opts.missingMeshes ?? 'error') === 'error') {
            ctx.error('missing-mesh', `mesh file "${clip(uri)}" not found (link "${clip(link)}", ${role})`, s);
          } else ctx.warn('mesh', `mesh file "${clip(uri)}" not found (link "${clip(link)}", ${role})`, s);
        }
        ctx.meshes.push({ uri, path, resolved, link, role, line: s.line });
        geometry = { kind: 'meshref', path, scale };
        break;
      }
      default:
        ctx.warn('unknown-element', `unknown geometry <${s.name}> ignored`, s);
    }
  }
  if (geometry && 'radius' in geometry) {
    if (!(geometry.radius >= 0 && Number.isFinite(geometry.radius))) ctx.error('invalid-value', 'radius must be a finite number >= 0', g);
    geometry.radius += 0; // -0 -> 0: Rapier's cylinder panics on a negative zero
  }
  if (geometry && 'length' in geometry) {
    if (!(geometry.length >= 0 && Number.isFinite(geometry.length))) ctx.error('invalid-value', 'length must be a finite number >= 0', g);
    geometry.length += 0;
  }
  if (!geometry) ctx.warn('invalid-value', `<${role}> has no usable geometry; ignored`, owner);
  return { geometry, material };
}

function parseInertial(ctx: Ctx, el: XmlElement): Inertial {
  const origin = parseOrigin(ctx, el);
  const massEl = firstChild(el, 'mass');
  let mass = 0;
  if (!massEl) ctx.warn('invalid-value', '<inertial> without <mass>; mass 0', el);
  else mass = ctx.num(massEl, 'value', undefined, URDF_MAX_MAGNITUDE, 'kg');
  if (!Number.isFinite(mass)) ctx.error('invalid-value', 'mass must be finite', massEl ?? el);
  if (mass < 0) ctx.error('invalid-value', `negative mass ${mass}`, massEl ?? el);
  const inEl = firstChild(el, 'inertia');
  const inertia = { ixx: 0, iyy: 0, izz: 0, ixy: 0, ixz: 0, iyz: 0 };
  if (!inEl) ctx.warn('invalid-value', '<inertial> without <inertia>; zero inertia', el);
  else {
    for (const k of Object.keys(inertia) as (keyof typeof inertia)[]) {
      if (inEl.attrs[k] === undefined) ctx.warn('default-value', `inertia "${k}" missing; 0 used`, inEl);
      inertia[k] = ctx.num(inEl, k, 0, URDF_MAX_MAGNITUDE, 'kg m^2');
      if (!Number.isFinite(inertia[k])) ctx.error('invalid-value', `inertia "${k}" must be finite`, inEl);
    }
  }
  return { mass, origin, inertia };
}

function parseLink(ctx: Ctx, el: XmlElement): Link {
  const name = el.attrs.name;
  if (!name) ctx.error('invalid-value', '<link> without a name', el);
  const link: Link = { name, visuals: [], collisions: [] };
  let contactFriction: number | undefined;
  for (const c of el.children) {
    switch (c.name) {
      case 'inertial':
        if (link.inertial) ctx.warn('invalid-value', 'several <inertial> elements; the first one is used', c);
        else link.inertial = parseInertial(ctx, c);
        break;
      case 'visual': {
        const { geometry, material } = parseGeometry(ctx, c, name, 'visual');
        if (!geometry) break;
        const v: Visual = { origin: parseOrigin(ctx, c), geometry };
        if (c.attrs.name) v.name = c.attrs.name;
        const matEl = firstChild(c, 'material') ?? material;
        if (matEl) {
          const m = parseVisualMaterial(ctx, matEl);
          if (m) v.material = m;
        }
        link.visuals.push(v);
        break;
      }
      case 'collision': {
        const { geometry } = parseGeometry(ctx, c, name, 'collision');
        if (!geometry) break;
        const col: Collision = { origin: parseOrigin(ctx, c), geometry };
        if (c.attrs.name) col.name = c.attrs.name;
        link.collisions.push(col);
        break;
      }
      case 'contact': {
        // pybullet's non-standard <contact>: lateral_friction is the one Rapier can use.
        const lf = firstChild(c, 'lateral_friction');
        const used: string[] = [];
        if (lf) {
          contactFriction = ctx.num(lf, 'value');
          used.push('lateral_friction');
        }
        const ignored = c.children.map((x) => x.name).filter((n) => n !== 'lateral_friction');
        ctx.warn(
          'nonstandard',
          `<contact> in a link is pybullet-specific; ${used.length ? 'lateral_friction used as collision friction' : 'nothing used'}` +
            (ignored.length ? `; ignored: ${ignored.join(', ')}` : ''),
          c,
        );
        break;
      }
      default:
        ctx.warn('unknown-element', `unknown element <${c.name}> in a link ignored`, c);
    }
  }
  if (contactFriction !== undefined) for (const col of link.collisions) col.friction = contactFriction;
  return link;
}

function parseJoint(ctx: Ctx, el: XmlElement): Joint {
  const name = el.attrs.name;
  if (!name) ctx.error('invalid-value', '<joint> without a name', el);
  const typeRaw = el.attrs.type;
  if (!typeRaw) ctx.error('invalid-value', 'joint without a type', el);
  const type = typeRaw as JointType;
  if (!JOINT_TYPES.includes(type)) ctx.error('invalid-value', `unknown joint type "${clip(typeRaw)}" (expected ${JOINT_TYPES.join(', ')})`, el);
  const parentEl = firstChild(el, 'parent');
  const childEl = firstChild(el, 'child');
  if (!parentEl || !parentEl.attrs.link) ctx.error('invalid-value', 'joint without <parent link="...">', parentEl ?? el);
  if (!childEl || !childEl.attrs.link) ctx.error('invalid-value', 'joint without <child link="...">', childEl ?? el);

  const joint: Joint = {
    name, type, parent: parentEl.attrs.link, child: childEl.attrs.link, origin: parseOrigin(ctx, el), axis: [1, 0, 0],
  };

  const axisEl = firstChild(el, 'axis');
  if (axisEl) {
    const a = ctx.vec(axisEl, 'xyz', 3, [1, 0, 0], undefined, Infinity); // a direction: normalized below
    ctx.finite(a, axisEl, 'xyz');
    const n = Math.hypot(a[0], a[1], a[2]);
    if (n === 0) {
      if (type !== 'fixed' && type !== 'floating')
        ctx.warn('invalid-value', 'zero-length axis; (1 0 0) used', axisEl);
    } else {
      joint.axis = [a[0] / n, a[1] / n, a[2] / n];
      if (Math.abs(n - 1) > 1e-6) ctx.warn('axis-normalized', `axis (${a.join(' ')}) is not a unit vector; normalized`, axisEl);
    }
  }

  const limitEl = firstChild(el, 'limit');
  if (limitEl) {
    let effort = ctx.num(limitEl, 'effort', NaN);
    let velocity = ctx.num(limitEl, 'velocity', NaN);
    if (Number.isNaN(effort)) {
      ctx.warn('default-value', 'limit without effort; unlimited', limitEl);
      effort = Infinity;
    }
    if (Number.isNaN(velocity)) {
      ctx.warn('default-value', 'limit without velocity; unlimited', limitEl);
      velocity = Infinity;
    }
    let lower = ctx.num(limitEl, 'lower', 0, URDF_MAX_MAGNITUDE, type === 'prismatic' ? 'm' : 'rad');
    let upper = ctx.num(limitEl, 'upper', 0, URDF_MAX_MAGNITUDE, type === 'prismatic' ? 'm' : 'rad');
    if ((type === 'revolute' || type === 'prismatic') && limitEl.attrs.lower === undefined && limitEl.attrs.upper === undefined) {
      ctx.warn('default-value', 'limit without lower and upper: the range is [0, 0] (the joint is locked), as urdfdom reads it', limitEl);
    }
    if (type === 'continuous') {
      lower = -Infinity;
      upper = Infinity;
    } else if (lower > upper) {
      ctx.warn('invalid-value', `limit lower ${lower} > upper ${upper}; swapped`, limitEl);
      [lower, upper] = [upper, lower];
    }
    if (effort < 0 || velocity < 0) {
      ctx.warn('invalid-value', 'negative effort or velocity limit; absolute value used', limitEl);
      effort = Math.abs(effort);
      velocity = Math.abs(velocity);
    }
    joint.limit = { lower, upper, effort, velocity };
  } else if (type === 'revolute' || type === 'prismatic') {
    ctx.warn('default-value', `${type} joint without <limit>; treated as unlimited`, el);
  }

  const dynEl = firstChild(el, 'dynamics');
  if (dynEl) {
    joint.dynamics = { damping: ctx.num(dynEl, 'damping', 0), friction: ctx.num(dynEl, 'friction', 0) };
    ctx.finite([joint.dynamics.damping, joint.dynamics.friction], dynEl, 'damping/friction');
  }

  const mimicEl = firstChild(el, 'mimic');
  if (mimicEl) {
    const leader = mimicEl.attrs.joint;
    if (!leader) ctx.warn('mimic', '<mimic> without a joint ignored', mimicEl);
    else {
      joint.mimic = { joint: leader, multiplier: ctx.num(mimicEl, 'multiplier', 1, URDF_MAX_MAGNITUDE), offset: ctx.num(mimicEl, 'offset', 0, URDF_MAX_MAGNITUDE) };
      ctx.finite([joint.mimic.multiplier, joint.mimic.offset], mimicEl, 'multiplier/offset');
    }
  }

  const scEl = firstChild(el, 'safety_controller');
  if (scEl) {
    joint.safetyController = {
      softLowerLimit: ctx.num(scEl, 'soft_lower_limit', 0),
      softUpperLimit: ctx.num(scEl, 'soft_upper_limit', 0),
      kPosition: ctx.num(scEl, 'k_position', 0),
      kVelocity: ctx.num(scEl, 'k_velocity', 0),
    };
  }

  const calEl = firstChild(el, 'calibration');
  if (calEl) {
    const cal: { rising?: number; falling?: number } = {};
    if (calEl.attrs.rising !== undefined) cal.rising = ctx.num(calEl, 'rising');
    if (calEl.attrs.falling !== undefined) cal.falling = ctx.num(calEl, 'falling');
    joint.calibration = cal;
  }

  const known = new Set(['origin', 'parent', 'child', 'axis', 'limit', 'dynamics', 'mimic', 'safety_controller', 'calibration']);
  for (const c of el.children) if (!known.has(c.name)) ctx.warn('unknown-element', `unknown element <${c.name}> in a joint ignored`, c);
  return joint;
}

/** Links exist, one parent each, one root, no cycles. Returns the root link's name. */
function checkTree(ctx: Ctx, links: Link[], joints: Joint[], linkEls: Map<string, XmlElement>, jointEls: Map<string, XmlElement>): string {
  const linkNames = new Set(links.map((l) => l.name));
  const parentOf = new Map<string, Joint>();
  for (const j of joints) {
    const el = jointEls.get(j.name)!;
    for (const [role, l] of [['parent', j.parent], ['child', j.child]] as const) {
      if (!linkNames.has(l)) ctx.error('missing-link', `joint "${clip(j.name)}" names ${role} link "${clip(l)}", which does not exist`, el);
    }
    if (j.parent === j.child) ctx.error('cycle', `joint "${clip(j.name)}" connects link "${clip(j.parent)}" to itself`, el);
    const prev = parentOf.get(j.child);
    if (prev) ctx.error('multiple-parents', `link "${clip(j.child)}" is the child of two joints, "${clip(prev.name)}" and "${clip(j.name)}"`, el);
    parentOf.set(j.child, j);
  }
  const roots = links.filter((l) => !parentOf.has(l.name)).map((l) => l.name);
  if (roots.length === 0) {
    const j = joints[0];
    ctx.error('cycle', `the joints form a cycle (${describeCycle(j.child, parentOf)}); no link is a root`, jointEls.get(j.name));
  }
  // Every link must be reachable from a root by walking up the parents; otherwise it sits on a cycle.
  const grounded = new Set<string>(roots);
  for (const l of links) {
    const path: string[] = [];
    const seen = new Set<string>();
    let cur = l.name;
    while (!grounded.has(cur)) {
      if (seen.has(cur)) {
        const j = parentOf.get(cur)!;
        ctx.error('cycle', `the joints form a cycle (${describeCycle(cur, parentOf)})`, jointEls.get(j.name));
      }
      seen.add(cur);
      path.push(cur);
      cur = parentOf.get(cur)!.parent;
    }
    for (const p of path) grounded.add(p);
  }
  if (roots.length > 1) {
    ctx.error(
      'multiple-roots',
      `the robot has ${roots.length} root links (${firstFew(roots)}); a URDF must be one tree`,
      linkEls.get(roots[1]),
    );
  }
  return roots[0];
}

/** The loop reached from `start` by walking up the parents, as joint names (the first few of a long one). Linear. */
function describeCycle(start: string, parentOf: Map<string, Joint>): string {
  const index = new Map<string, number>();
  const seen: string[] = [];
  let cur = start;
  while (!index.has(cur) && parentOf.has(cur)) {
    index.set(cur, seen.length);
    seen.push(cur);
    cur = parentOf.get(cur)!.parent;
  }
  const loop = seen.slice(index.get(cur) ?? seen.length);
  const names = loop.map((l) => parentOf.get(l)!.name).reverse();
  const few = 6;
  const shown = names.slice(0, few).map((n) => clip(n)).join(' -> ');
  return names.length > few ? `${shown} -> ... (${names.length} joints in the loop)` : shown;
}

function checkMimic(ctx: Ctx, joints: Joint[], jointEls: Map<string, XmlElement>): void {
  const byName = new Map(joints.map((j) => [j.name, j]));
  for (const j of joints) {
    if (!j.mimic) continue;
    const el = firstChild(jointEls.get(j.name)!, 'mimic');
    const leader = byName.get(j.mimic.joint);
    if (!leader) {
      ctx.warn('mimic', `joint "${clip(j.name)}" mimics "${clip(j.mimic.joint)}", which does not exist; mimic ignored`, el);
      delete j.mimic;
    } else if (leader === j) {
      ctx.warn('mimic', `joint "${clip(j.name)}" mimics itself; mimic ignored`, el);
      delete j.mimic;
    } else if (j.type === 'fixed' || j.type === 'floating' || j.type === 'planar') {
      ctx.warn('mimic', `a ${j.type} joint cannot mimic; mimic ignored`, el);
      delete j.mimic;
    }
  }
}
