// Electron's own postinstall (denied in package.json's allowScripts) downloads its binary
// from outside the npm registry. Run it here instead, so a machine that cannot reach the
// download still installs cleanly (and `npm start` falls back to the browser shell), while an
// ordinary machine gets a working Electron app. Set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let install;
try {
  install = join(dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  console.log('adaptlab: electron package not installed; the browser shell will be used.');
  process.exit(0);
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('adaptlab: ELECTRON_SKIP_BINARY_DOWNLOAD set; not fetching the Electron binary.');
  process.exit(0);
}
if (!existsSync(install)) process.exit(0);
const r = spawnSync(process.execPath, [install], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 5 * 60_000 });
if (r.status === 0) {
  console.log('adaptlab: Electron binary ready; `npm start` opens the desktop app.');
} else {
  const why = (r.stderr?.toString() || r.error?.message || '').split('\n').find((l) => l.trim()) ?? 'unknown error';
  console.log(`adaptlab: Electron binary not downloaded (${why.trim().slice(0, 160)}); ` +
    '`npm start` will use the browser shell. Run `npm run fetch:electron` once online to get the desktop app.');
}
