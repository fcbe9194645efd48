import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

const ROOT = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // Worker threads are separate entries so spawnWorker finds them as .js siblings.
        input: {
          electron: resolve(ROOT, 'src/main/electron/main.ts'),
          'sim-worker': resolve(ROOT, 'src/main/service/sim-worker.ts'),
          'robot-worker': resolve(ROOT, 'src/main/service/robot-worker.ts'),
          worker: resolve(ROOT, 'src/meta/jobs/worker.ts'),
          'vec-env-worker': resolve(ROOT, 'src/meta/rl/vec-env-worker.ts'),
        },
        // Chunks sit beside the entries, so `new URL('./worker.js', import.meta.url)` finds them.
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
        external: ['electron', /^@tensorflow\/tfjs-node/],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve(ROOT, 'src/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(ROOT, 'src/renderer'),
    base: './',
    build: {
      outDir: resolve(ROOT, 'out/renderer'), emptyOutDir: true,
      rollupOptions: { input: resolve(ROOT, 'src/renderer/index.html') },
      chunkSizeWarningLimit: 2000,
    },
    plugins: [vue()],
  },
});
