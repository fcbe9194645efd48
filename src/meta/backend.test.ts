import { describe, expect, it } from 'vitest';
import { initBackend, backendInfo, backendFromArgv } from './backend.js';
import { tf } from './tf.js';

describe('backend choice', () => {
  it('auto picks the best backend that loads, falling back past missing native packages', async () => {
    const info = await initBackend('auto');
    expect(['tfjs-node-gpu', 'tfjs-node', 'wasm-simd', 'wasm', 'cpu']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.backend);
    // Anything tried before the winner is reported with a reason.
    for (const t of info.tried) expect(t.error.length).toBeGreaterThan(0);
    expect(backendInfo()).toEqual(info);
    const y = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync());
    expect(Array.from(y)).toEqual([3, 3, 3, 3]);
  });

  it('explicit choice and ADAPTLAB_BACKEND override', async () => {
    expect((await initBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    process.env.ADAPTLAB_BACKEND = 'wasm';
    try {
      const info = await initBackend();
      expect(info.backend).toBe('wasm');
      expect(tf.getBackend()).toBe('wasm');
    } finally {
      delete process.env.ADAPTLAB_BACKEND;
    }
    await expect(initBackend('nonsense')).rejects.toThrow(/unknown backend/);
  });

  it('parses --backend from argv', () => {
    expect(backendFromArgv(['node', 'x', '--backend', 'cpu'])).toBe('cpu');
    expect(backendFromArgv(['node', 'x', '--backend=wasm'])).toBe('wasm');
    expect(backendFromArgv(['node', 'x'])).toBeUndefined();
  });
});
