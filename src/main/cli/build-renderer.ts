/** Builds the app with electron-vite when the sources are newer than the last build. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, RENDERER_OUT } from './paths';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function rendererIsStale(): boolean {
  const index = join(RENDERER_OUT, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return ['src/renderer', 'src/shared'].some((d) => newestMtime(join(PROJECT_ROOT, d)) > built);
}

export function ensureBuilt(log: (line: string) => void): void {
  if (!rendererIsStale()) return;
  const src = join(PROJECT_ROOT, 'src/renderer');
  if (!existsSync(src)) throw new Error(`renderer not built and no sources at ${src}`);
  log('adaptlab: building the app (electron-vite build)…');
  const bin = join(PROJECT_ROOT, 'node_modules/electron-vite/bin/electron-vite.js');
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}
