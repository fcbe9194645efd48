/** Decides which shell `adaptlab start` runs, and says why in one line. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ShellChoice = { shell: 'electron'; binary: string; reason: string } | { shell: 'browser'; reason: string };

export function electronBinary(): { path: string } | { missing: string } {
  // Read the package's path.txt ourselves: require('electron') would try to download the
  // binary when it is missing, which hangs or fails noisily offline.
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const notInstalled = { missing: 'the Electron binary is not installed (its download is not reachable from this machine)' };
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return notInstalled;
  const rel = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
  const path = join(dist, rel);
  return existsSync(path) ? { path } : notInstalled;
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export const SHELLS = ['electron', 'browser'] as const;

export function chooseShell(requested: string | undefined): ShellChoice {
  if (requested !== undefined && !(SHELLS as readonly string[]).includes(requested))
    throw new Error(`--shell expects ${SHELLS.join(' or ')}, got "${requested}"`);
  if (requested === 'browser') return { shell: 'browser', reason: 'requested with --shell browser' };
  const bin = electronBinary();
  if ('missing' in bin) {
    if (requested === 'electron') throw new Error(`--shell electron: ${bin.missing}; run "npm run fetch:electron" on a connected machine`);
    return { shell: 'browser', reason: bin.missing };
  }
  if (!hasDisplay()) {
    if (requested === 'electron') throw new Error('--shell electron: no display (DISPLAY/WAYLAND_DISPLAY unset)');
    return { shell: 'browser', reason: 'Electron is installed but there is no display' };
  }
  return { shell: 'electron', binary: bin.path, reason: `Electron binary found at ${bin.path}` };
}

const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.ADAPTLAB_CHROMIUM, env.CHROME_PATH, ...CHROMIUMS].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Flags for the system's Chromium run headless (recording, tests): no sandbox as root, no calls
 * home on a closed network, and ANGLE on EGL, which renders WebGL fastest here.
 */
export const HEADLESS_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=gl-egl',
  '--ignore-gpu-blocklist',
];
