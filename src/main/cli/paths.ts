/** Where the project's files are, whether we run from sources or from the package. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const RENDERER_OUT = join(PROJECT_ROOT, 'out/renderer');
export const ASSETS = join(PROJECT_ROOT, 'assets');
