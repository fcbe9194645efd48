/**
 * The URDF fuzzer's parts (scripts/fuzz-urdf.ts drives them; urdf-fuzz.test.ts runs a few
 * hundred cases): the project's URDFs as seeds, seeded mutations of them (byte damage, hostile
 * attribute values, deleted, duplicated and deeply nested elements, cycles, long chains,
 * truncation), and one case run: parse, load, prepare for physics, and a few simulation steps of
 * what loads. A case ends as
 *   ok          loaded and simulated with a finite state;
 *   error       a UrdfError that names file and element (what a user should see);
 *   no-location a UrdfError without file or element;
 *   crash       any other exception;
 *   nan         loaded, but the simulation state went non-finite.
 * (Hangs are the driver's: it runs cases in a worker and kills one that takes too long.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../physics/rng';
import { loadUrdf, nodeFs, prepareForPhysics, summarizeUrdf, UrdfError } from '../../physics/robot/urdf/node';
import { parseXml, type XmlElement } from '../../physics/robot/urdf/xml';
import { UrdfScene } from './urdf-scene';

export interface FuzzSeed {
  /** Where the URDF lives: meshes resolve from there. */
  path: string;
  xml: string;
  /** A fixture that is broken on purpose (test/fixtures/urdf/broken). */
  broken: boolean;
}

/** The project's URDFs: assets/robots and every .urdf under test/. */
export function fuzzSeeds(root: string): FuzzSeed[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.urdf')) files.push(p);
    }
  };
  walk(path.join(root, 'assets', 'robots'));
  walk(path.join(root, 'test'));
  return files.map((p) => ({ path: p, xml: fs.readFileSync(p, 'utf8'), broken: p.split(path.sep).includes('broken') }));
}

/** Package search roots for the seeds (the ROS workspace fixture). */
export function fuzzPackagePath(root: string): string[] {
  return [path.join(root, 'test', 'fixtures', 'urdf', 'ros_ws', 'src')];
}

const HOSTILE_VALUES = [
  '1e300', '-1e300', '1e308', '1e999', '-1e999', '1e-320', '1e7', '-2e6', '1e6', '-1e6', '999999', '1e5', '-3e4', '1e-12', '1e-30', '1e6 1e6 1e6', '-1e6 1e-9 1e6', 'nan', 'NaN', '-nan', 'inf', '-inf', 'infinity',
  '-1', '-0.5', '0', '-0', '', ' ', '1 2', '1 2 3 4', '1e300 0 0', '0 0 1e300', 'nan 0 0', '1,2,3', '0x10', '1e', '.', '+', '--1',
  '${r}', '$(arg x)', 'world', 'base', 'base_link', 'fixed', 'planar', 'floating', 'revolute', 'prismatic', 'hinge', '&amp;', '\u00e9',
];

/** Numbers that parse: large, tiny, negative, zero, on and just past the bounds. */
const SCALARS = ['1e300', '-1e300', '1e6', '-1e6', '1000001', '1e9', '2e9', '1e5', '-1e5', '1e-9', '1e-30', '0', '-0', '-1', '-100', '3.5', 'inf', '-inf', '1e-320'];

function longNumber(rng: Rng): string {
  const n = [65, 300, 4000, 60000, 200000][rng.int(5)];
  const d = String(1 + rng.int(9)).repeat(n);
  return [d, d + 'x', '1.' + d, d + 'e5', '-' + d, d + ' ' + d + ' ' + d][rng.int(6)];
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)];
}

function allElements(root: XmlElement): { el: XmlElement; parent: XmlElement | null }[] {
  const out: { el: XmlElement; parent: XmlElement | null }[] = [];
  const stack: { el: XmlElement; parent: XmlElement | null }[] = [{ el: root, parent: null }];
  while (stack.length) {
    const x = stack.pop()!;
    out.push(x);
    for (let i = x.el.children.length - 1; i >= 0; i--) stack.push({ el: x.el.children[i], parent: x.el });
  }
  return out;
}

function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** The tree back to XML (iterative: the nesting mutation goes deep). */
export function serializeXml(root: XmlElement): string {
  const parts: string[] = [];
  const stack: (XmlElement | string)[] = [root];
  while (stack.length) {
    const x = stack.pop()!;
    if (typeof x === 'string') {
      parts.push(x);
      continue;
    }
    const attrs = Object.entries(x.attrs).map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
    if (x.children.length === 0) {
      parts.push(`<${x.name}${attrs}/>`);
      continue;
    }
    parts.push(`<${x.name}${attrs}>`);
    stack.push(`</${x.name}>`);
    for (let i = x.children.length - 1; i >= 0; i--) stack.push(x.children[i]);
  }
  return parts.join('');
}

/** A deep copy (iterative: nested elements go 20,000 deep). */
function clone(el: XmlElement): XmlElement {
  const copy = (x: XmlElement): XmlElement => ({ ...x, attrs: { ...x.attrs }, children: [] });
  const top = copy(el);
  const stack: [XmlElement, XmlElement][] = [[el, top]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    for (const c of from.children) {
      const cc = copy(c);
      to.children.push(cc);
      stack.push([c, cc]);
    }
  }
  return top;
}

function el(name: string, attrs: Record<string, string>, children: XmlElement[] = []): XmlElement {
  return { name, attrs, children, text: '', line: 0, column: 0 };
}

type TreeOp = (root: XmlElement, rng: Rng) => string;

const TREE_OPS: Record<string, TreeOp> = {
  value(root, rng) {
    const withAttrs = allElements(root).filter((x) => Object.keys(x.el.attrs).length > 0);
    if (!withAttrs.length) return 'value:none';
    const { el: e } = pick(rng, withAttrs);
    const k = pick(rng, Object.keys(e.attrs));
    let v = rng.uniform() < 0.2 ? longNumber(rng) : pick(rng, HOSTILE_VALUES);
    const parts = e.attrs[k].trim().split(/\s+/);
    if (parts.length > 1 && rng.uniform() < 0.6) {
      // keep the arity of a vector, damage one component: reaches the checks past the parser
      parts[rng.int(parts.length)] = rng.uniform() < 0.5 ? pick(rng, SCALARS) : v.split(/\s+/)[0] || '0';
      v = parts.join(' ');
    } else if (rng.uniform() < 0.3) v = pick(rng, SCALARS);
    e.attrs[k] = v;
    return `value:${e.name}.${k}=${v.length > 20 ? v.slice(0, 12) + `...(${v.length})` : v}`;
  },
  swapValues(root, rng) {
    const slots = allElements(root).flatMap((x) => Object.keys(x.el.attrs).map((k) => ({ e: x.el, k })));
    if (slots.length < 2) return 'swap:none';
    const a = pick(rng, slots), b = pick(rng, slots);
    [a.e.attrs[a.k], b.e.attrs[b.k]] = [b.e.attrs[b.k], a.e.attrs[a.k]];
    return `swap:${a.e.name}.${a.k}<->${b.e.name}.${b.k}`;
  },
  dropAttr(root, rng) {
    const withAttrs = allElements(root).filter((x) => Object.keys(x.el.attrs).length > 0);
    if (!withAttrs.length) return 'dropAttr:none';
    const { el: e } = pick(rng, withAttrs);
    const k = pick(rng, Object.keys(e.attrs));
    delete e.attrs[k];
    return `dropAttr:${e.name}.${k}`;
  },
  deleteElement(root, rng) {
    const xs = allElements(root).filter((x) => x.parent);
    if (!xs.length) return 'delete:none';
    const { el: e, parent } = pick(rng, xs);
    parent!.children.splice(parent!.children.indexOf(e), 1);
    return `delete:${e.name}`;
  },
  duplicateElement(root, rng) {
    const xs = allElements(root).filter((x) => x.parent);
    if (!xs.length) return 'dup:none';
    const { el: e, parent } = pick(rng, xs);
    const copies = rng.uniform() < 0.1 && allElements(e).length < 1000 ? 200 : 1;
    for (let i = 0; i < copies; i++) parent!.children.splice(parent!.children.indexOf(e) + 1, 0, clone(e));
    return `dup:${e.name}x${copies}`;
  },
  nest(root, rng) {
    const xs = allElements(root).filter((x) => x.parent);
    if (!xs.length) return 'nest:none';
    const { el: e, parent } = pick(rng, xs);
    const depth = pick(rng, [2, 50, 1000, 20000]);
    let inner: XmlElement = e;
    for (let i = 0; i < depth; i++) inner = el(rng.uniform() < 0.5 ? 'nest' : e.name, {}, [inner]);
    parent!.children[parent!.children.indexOf(e)] = inner;
    return `nest:${e.name}x${depth}`;
  },
  cycle(root, rng) {
    const joints = root.children.filter((c) => c.name === 'joint');
    const links = root.children.filter((c) => c.name === 'link' && c.attrs.name !== undefined);
    if (!joints.length || !links.length) return 'cycle:none';
    const j = pick(rng, joints);
    const parentEl = j.children.find((c) => c.name === 'parent');
    const childEl = j.children.find((c) => c.name === 'child');
    if (!parentEl || !childEl) return 'cycle:none';
    // The joint's parent becomes its own child or a random link (often a descendant: a loop).
    parentEl.attrs.link = rng.uniform() < 0.5 ? (childEl.attrs.link ?? '') : pick(rng, links).attrs.name;
    return `cycle:${j.attrs.name}`;
  },
  chain(root, rng) {
    const links = root.children.filter((c) => c.name === 'link' && c.attrs.name !== undefined);
    if (!links.length) return 'chain:none';
    const n = pick(rng, [10, 50, 200]); // longer chains are the unit tests' (8000 links): here they would only measure Rapier
    let prev = pick(rng, links).attrs.name;
    const type = pick(rng, ['revolute', 'fixed', 'continuous', 'prismatic']);
    for (let i = 0; i < n; i++) {
      const name = `fuzz_l${i}`;
      root.children.push(el('link', { name }, [
        el('inertial', {}, [el('mass', { value: '0.01' }), el('inertia', { ixx: '1e-5', iyy: '1e-5', izz: '1e-5', ixy: '0', ixz: '0', iyz: '0' })]),
        el('collision', {}, [el('geometry', {}, [el('sphere', { radius: '0.01' })])]),
      ]));
      root.children.push(el('joint', { name: `fuzz_j${i}`, type }, [
        el('parent', { link: prev }), el('child', { link: name }), el('origin', { xyz: '0 0 0.02' }), el('axis', { xyz: '0 1 0' }),
        el('limit', { lower: '-1', upper: '1', effort: '1', velocity: '1' }),
      ]));
      prev = name;
    }
    if (rng.uniform() < 0.3) {
      // close the chain on itself
      const last = root.children[root.children.length - 1];
      last.children[0].attrs.link = `fuzz_l${n - 1}`;
      last.children[1].attrs.link = 'fuzz_l0';
    }
    return `chain:${type}x${n}`;
  },
  rename(root, rng) {
    const links = root.children.filter((c) => c.name === 'link' || c.name === 'joint');
    if (links.length < 2) return 'rename:none';
    const a = pick(rng, links), b = pick(rng, links);
    a.attrs.name = rng.uniform() < 0.5 ? (b.attrs.name ?? '') : 'x'.repeat(pick(rng, [1, 1000, 100000]));
    return `rename:${a.name}`;
  },
};

const TEXT_OPS: Record<string, (s: string, rng: Rng) => [string, string]> = {
  bytes(s, rng) {
    const junk = ['<', '>', '"', '/', '=', ' ', '&', '&#0;', '\u0000', '\uffff', ']]>', '<!--', '<![CDATA[', '<!DOCTYPE x [<!ENTITY a "b">]>', 'e', '9', '.', '-'];
    let out = s;
    const k = 1 + rng.int(6);
    for (let i = 0; i < k; i++) {
      const at = rng.int(out.length + 1);
      const cut = rng.int(6);
      const ins = rng.uniform() < 0.5 ? pick(rng, junk) : String.fromCharCode(rng.int(256));
      out = out.slice(0, at) + ins + out.slice(at + cut);
    }
    return [out, `bytes:${k}`];
  },
  truncate(s, rng) {
    const at = rng.int(s.length);
    return [s.slice(0, at), `truncate:${at}`];
  },
};

/** One mutated URDF from `seed.xml`: 1 to 3 tree mutations, then sometimes text damage. */
export function mutate(seed: FuzzSeed, rng: Rng): { xml: string; ops: string[] } {
  const ops: string[] = [];
  let xml = seed.xml;
  let root: XmlElement | undefined;
  try {
    root = parseXml(xml);
  } catch {
    root = undefined; // a malformed seed: text damage only
  }
  if (root) {
    const names = Object.keys(TREE_OPS);
    const k = 1 + rng.int(3);
    for (let i = 0; i < k; i++) {
      const name = pick(rng, names);
      ops.push(TREE_OPS[name](root, rng));
    }
    xml = serializeXml(root);
  }
  if (!root || rng.uniform() < 0.3) {
    const [out, op] = (rng.uniform() < 0.8 ? TEXT_OPS.bytes : TEXT_OPS.truncate)(xml, rng);
    xml = out;
    ops.push(op);
  }
  return { xml, ops };
}

/** Case i of a run with seed S: the same case every time. */
export function fuzzCase(seeds: FuzzSeed[], seed: number, i: number): { seed: FuzzSeed; xml: string; ops: string[] } {
  const rng = new Rng(seed, i + 1);
  // Mostly the valid robots; the broken fixtures now and then.
  const good = seeds.filter((s) => !s.broken);
  const bad = seeds.filter((s) => s.broken);
  const s = bad.length && rng.uniform() < 0.15 ? pick(rng, bad) : pick(rng, good.length ? good : seeds);
  return { seed: s, ...mutate(s, rng) };
}

export type FuzzOutcome = 'ok' | 'error' | 'no-location' | 'crash' | 'nan';

export interface FuzzResult {
  outcome: FuzzOutcome;
  /** The UrdfError code, for errors. */
  code?: string;
  /** What went wrong, for anything but ok and error. */
  detail?: string;
  ms: number;
}

/**
 * Loads `xml` as if it were the file `urdfPath` (meshes resolve from there), prepares it for
 * physics, and steps `steps` frames of a dynamic scene (PD hold).
 */
export async function runFuzzCase(xml: string, urdfPath: string, opts: { packagePath?: string[]; steps?: number } = {}): Promise<FuzzResult> {
  const t0 = performance.now();
  const done = (r: Omit<FuzzResult, 'ms'>): FuzzResult => ({ ...r, ms: performance.now() - t0 });
  try {
    const loaded = loadUrdf(xml, urdfPath, nodeFs, { packagePath: opts.packagePath ?? [] });
    summarizeUrdf(loaded);
    prepareForPhysics(loaded.model);
    const scene = await UrdfScene.fromLoaded(loaded, { path: urdfPath, mode: 'dynamic', hold: 'pd' });
    try {
      if (scene.hasNaN()) return done({ outcome: 'nan', detail: 'non-finite state before the first step' });
      const steps = opts.steps ?? 10;
      for (let i = 0; i < steps; i++) {
        scene.step();
        if (scene.hasNaN()) return done({ outcome: 'nan', detail: `non-finite state after step ${i + 1}` });
      }
    } finally {
      scene.dispose();
    }
    return done({ outcome: 'ok' });
  } catch (e) {
    if (e instanceof UrdfError) {
      if (e.file === undefined || e.element === undefined) return done({ outcome: 'no-location', code: e.code, detail: e.message.slice(0, 300) });
      return done({ outcome: 'error', code: e.code });
    }
    const detail = e instanceof Error ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(e);
    return done({ outcome: 'crash', detail: detail.slice(0, 1500) });
  }
}
