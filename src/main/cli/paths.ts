/** Where the project's files are, whether we run from sources (src/main/cli) or a build (out/main). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return start;
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const RENDERER_OUT = join(PROJECT_ROOT, 'out/renderer');
export const ASSETS = process.env.ADAPTLAB_ASSETS ?? join(PROJECT_ROOT, 'assets');
