import { describe, expect, it } from 'vitest';
import { lineChartSvg, ticks } from './svg-chart';

describe('SVG line chart', () => {
  it('puts ticks on round values that cover the range', () => {
    expect(ticks(0, 1_000_000)).toEqual([0, 200_000, 400_000, 600_000, 800_000, 1_000_000]);
    expect(ticks(-3, 7)).toEqual([-2, 0, 2, 4, 6]);
  });

  it('draws one polyline per series with every finite point, a legend entry each, and reference lines', () => {
    const svg = lineChartSvg(
      [
        { label: 'a <1>', points: [[0, 1], [1, 2], [2, NaN], [3, 4]] },
        { label: 'b', points: [[0, 0], [3, 1]] },
      ],
      { title: 't', xLabel: 'x', yLabel: 'y', refs: [{ y: 3, label: 'bar' }] },
    );
    const lines = [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1].split(' ').length);
    expect(lines).toEqual([3, 2]);
    expect(svg).toContain('a &lt;1&gt;');
    expect(svg).toContain('stroke-dasharray');
  });
});
