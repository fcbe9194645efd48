import { describe, expect, it } from 'vitest';
import { drawnTrail } from './trackPath.overlay';

describe('the trackPath trail', () => {
  it('draws a sparse trail as a curve through its points, and a dense one as it is', () => {
    const sparse = [0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]; // four points, 0.2 s apart
    const drawn = drawnTrail(sparse);
    expect(drawn.length / 3).toBe(3 * 8 + 1);
    for (let i = 0; i < 4; i++) expect(drawn.slice(i * 8 * 3, i * 8 * 3 + 3).map((v) => +v.toFixed(6))).toEqual(sparse.slice(i * 3, i * 3 + 3));
    const dense = Array.from({ length: 3 * 200 }, (_, i) => i);
    expect(drawnTrail(dense)).toEqual(dense);
    expect(drawnTrail(Array.from({ length: 3 * 2000 }, (_, i) => i)).length).toBe(3 * 1024); // the newest that fit
  });
});
