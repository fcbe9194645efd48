/**
 * The built-in robots are URDF files in assets/robots (the single place each is defined), read
 * with node:fs through the project's URDF importer: Node, worker threads and tests, no Electron.
 *
 * The assets folder is found by walking up from this module to the folder holding package.json
 * (works from src/ under vitest/tsx and from out/ when bundled), then `assets/`; the environment
 * variable ADAPTLAB_ASSETS (a folder holding `robots/`) overrides it. Each file is parsed once per
 * process; callers get a fresh deep copy of the cached model.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RobotModel } from '../robot/model.js';
import { formatWarning, parseUrdf } from '../robot/urdf/index.js';

export type BuiltinRobot = 'ant' | 'hopper' | 'quadrotor';

/** The assets folder (holding robots/): $ADAPTLAB_ASSETS, else <package root>/assets. */
export function assetsDir(): string {
  const env = typeof process !== 'undefined' ? process.env.ADAPTLAB_ASSETS : undefined;
  if (env) return resolve(env);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'assets');
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}: cannot find the assets folder (set ADAPTLAB_ASSETS)`);
    dir = up;
  }
}

export function builtinRobotPath(name: BuiltinRobot): string {
  return join(assetsDir(), 'robots', `${name}.urdf`);
}

const cache = new Map<string, RobotModel>();

/**
 * The URDF-defined model of a built-in robot (no actuator properties: see the actuator tables in
 * ./ant.ts, ./hopper.ts, ./quadrotor.ts). Warnings other than the two non-standard elements these
 * files use on purpose (<capsule>, pybullet's <contact>) are errors here.
 */
export function loadBuiltinRobot(name: BuiltinRobot): RobotModel {
  const path = builtinRobotPath(name);
  let model = cache.get(path);
  if (!model) {
    let xml: string;
    try {
      xml = readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`built-in robot "${name}": cannot read ${path} (${(e as Error).message}); set ADAPTLAB_ASSETS to the folder holding robots/`);
    }
    const r = parseUrdf(xml, { sourcePath: path });
    const unexpected = r.warnings.filter((w) => !(w.code === 'nonstandard' && /<capsule>|<contact>/.test(w.message)));
    if (unexpected.length) throw new Error(`built-in robot "${name}" (${path}):\n${unexpected.map(formatWarning).join('\n')}`);
    if (r.meshes.length) throw new Error(`built-in robot "${name}" (${path}) must not use meshes`);
    model = r.model;
    cache.set(path, model);
  }
  return structuredClone(model);
}
