import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng (PCG32)', () => {
  it('matches the PCG32 reference stream (seed 42, sequence 54)', () => {
    const r = new Rng(42, 54);
    expect([0, 1, 2, 3, 4, 5].map(() => r.next())).toEqual([0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]);
  });

  it('is reproducible and its normals look normal', () => {
    const a = new Rng(7), b = new Rng(7);
    for (let i = 0; i < 100; i++) expect(a.normal()).toBe(b.normal());
    const r = new Rng(1);
    let s = 0, s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
    for (let i = 0; i < 1000; i++) {
      const u = r.range(-2, 3);
      expect(u).toBeGreaterThanOrEqual(-2);
      expect(u).toBeLessThan(3);
    }
  });
});
