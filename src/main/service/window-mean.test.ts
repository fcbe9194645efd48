import { describe, expect, it } from 'vitest';
import { WindowMeans } from './window-mean';

describe('WindowMeans', () => {
  it('averages each key over its last n samples, and starts over when cleared', () => {
    const m = new WindowMeans(3);
    expect(m.push('a', 3)).toBe(3);
    expect(m.push('a', 6)).toBe(4.5);
    expect(m.push('b', 100)).toBe(100);
    expect(m.push('a', 9)).toBe(6);
    expect(m.push('a', 0)).toBe(5); // 6, 9, 0
    m.clear();
    expect(m.push('a', 1)).toBe(1);
  });
});
