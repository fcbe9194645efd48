import { describe, expect, it } from 'vitest';
import { meanCi, pairedDiff, t975 } from './paired';

describe('paired statistics', () => {
  it('a 95% t interval: mean of 1..5 is 3, half-width t(4) * sd / sqrt(5)', () => {
    const s = meanCi([1, 2, 3, 4, 5]);
    const h = (2.776 * Math.sqrt(2.5)) / Math.sqrt(5);
    expect(s.mean).toBe(3);
    expect(s.ci95[0]).toBeCloseTo(3 - h, 9);
    expect(s.ci95[1]).toBeCloseTo(3 + h, 9);
    expect(s.n).toBe(5);
    expect(Number.isNaN(meanCi([1]).ci95[0])).toBe(true);
    expect(t975(100)).toBe(1.96);
  });

  it('paired differences are oriented so that positive is better, episode by episode', () => {
    const base = [1.0, 0.8, 1.2, 0.9];
    const better = [0.5, 0.4, 0.7, 0.45]; // lower error on every episode
    const d = pairedDiff('trackingError', base, better, true);
    expect(d.meanDiff).toBeCloseTo(0.4625, 9);
    expect(d.ci95[0]).toBeGreaterThan(0);
    expect(pairedDiff('return', base, better, false).meanDiff).toBeCloseTo(-0.4625, 9);
    expect(() => pairedDiff('x', [1], [1, 2], true)).toThrow(/1 baseline episodes against 2/);
  });
});
