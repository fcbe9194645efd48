// Lint = the layer rules of ../shared/DESIGN.md, enforced rather than remembered.
import tseslint from 'typescript-eslint';
import vueParser from 'vue-eslint-parser';

const DOM_GLOBALS = ['window', 'document', 'navigator', 'HTMLElement', 'HTMLCanvasElement', 'requestAnimationFrame', 'localStorage'].map(
  (name) => ({ name, message: 'physics and meta run in Node and workers: no DOM.' }),
);
const CHANNEL_LITERAL = {
  selector: "Literal[value=/^adaptlab:[a-z]/], Literal[value='/ws']",
  message: 'Channel names live only in src/shared/channels.ts.',
};
const imports = (...patterns) => ['error', { patterns }];
const ban = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'runs/**', 'test-results/**', '.tmp/**', '**/*.d.ts'] },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-syntax': ['error', CHANNEL_LITERAL],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-debugger': 'error',
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
    rules: { 'no-restricted-syntax': ['error', CHANNEL_LITERAL] },
  },
  // Tests may use such strings as plain data (e.g. a '/ws' workspace folder).
  { files: ['src/shared/channels.ts', '**/*.test.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['src/physics/**/*.ts'],
    rules: {
      'no-restricted-imports': imports(
        ban(['electron', 'electron/*'], 'src/physics never imports Electron.'),
        ban(['@tensorflow/*'], 'src/physics never imports tfjs (learning lives in src/meta).'),
        ban(['**/main/**', '**/renderer/**', '**/meta/**', 'vue', 'three', 'three/*'], 'src/physics imports only Rapier, pure libraries and src/shared.'),
      ),
      'no-restricted-globals': ['error', ...DOM_GLOBALS, { name: 'Math.random', message: 'seeded RNG only' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Simulation is seeded: use src/physics/rng.' }],
    },
  },
  {
    files: ['src/meta/**/*.ts'],
    rules: {
      'no-restricted-imports': imports(
        ban(['electron', 'electron/*'], 'src/meta never imports Electron.'),
        ban(['**/main/**', '**/renderer/**', 'vue', 'three', 'three/*'], 'src/meta imports tfjs, physics and src/shared only.'),
      ),
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Training is seeded: use a seeded RNG.' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': imports(
        ban(['electron', 'electron/*', 'node:*', 'ws', 'vue', 'three', 'three/*', '@tensorflow/*', '@dimforge/*'], 'src/shared is the contract: zod and types only.'),
        ban(['**/main/**', '**/renderer/**', '**/physics/**', '**/meta/**', '**/preload/**'], 'src/shared imports nothing from the other layers.'),
      ),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': imports(
        ban(['electron', 'electron/*'], 'Only the Electron adapter (src/main/electron) imports Electron; the service is plain Node.'),
        ban(['**/renderer/**'], 'The main side never touches the renderer.'),
      ),
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.vue'],
    ignores: ['src/renderer/src/bridge/**', 'src/renderer/src/main.ts'],
    rules: {
      'no-restricted-imports': imports(
        ban(['electron', 'electron/*', 'node:*', 'ws'], 'The renderer runs sandboxed: no Electron, no Node.'),
        ban(['**/bridge', '**/bridge/*'], 'Components talk to WorkbenchApi (useWorkbench), never to a transport.'),
        ban(['**/main/**', '**/physics/**', '**/meta/**', '**/preload/**'], 'The renderer never simulates or trains: only src/shared.'),
      ),
      'no-restricted-globals': ['error', { name: 'WebSocket', message: 'Transports live in src/renderer/src/bridge.' }],
    },
  },
  {
    files: ['src/renderer/src/bridge/**/*.ts'],
    rules: {
      'no-restricted-imports': imports(ban(['electron', 'electron/*', 'node:*', '**/main/**', '**/physics/**', '**/meta/**'], 'The renderer runs sandboxed.')),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': imports(ban(['**/main/**', '**/renderer/**', '**/physics/**', '**/meta/**', 'node:*'], 'Preload exposes the contract and nothing else.')),
    },
  },
);
