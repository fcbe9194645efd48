/**
 * A heatmap as a standalone SVG string (no DOM, no dependencies), beside ./svg-chart.ts: one panel
 * per grid (e.g. per policy of a two-parameter sweep), all on one colour scale with a colour bar,
 * each cell labelled with its value. Rows are the y values (the first at the bottom), columns the x
 * values, so grid[i][j] is the cell at (xValues[j], yValues[i]).
 */

export interface HeatmapPanel {
  label: string;
  /** grid[i][j]: the value at yValues[i], xValues[j] (NaN: no value, drawn grey) */
  grid: number[][];
}

export interface HeatmapOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  xValues: number[];
  yValues: number[];
  /** What the colour means (the colour bar's title). */
  valueLabel: string;
  /** Side of one cell in pixels (default 44). */
  cell?: number;
}

// viridis at five stops, interpolated linearly
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** The colour of t in [0, 1] (clamped) on the scale. */
export function heatColor(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const c = STOPS[i].map((a, k) => Math.round(a + (STOPS[i + 1][k] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number) => (Math.abs(v) >= 1e4 ? `${+(v / 1e3).toFixed(1)}k` : Math.abs(v) >= 100 ? v.toFixed(0) : `${+v.toPrecision(3)}`);

export function heatmapSvg(panels: HeatmapPanel[], o: HeatmapOptions): string {
  const c = o.cell ?? 44;
  const nx = o.xValues.length;
  const ny = o.yValues.length;
  const m = { l: 70, r: 20, t: 58, b: 56 };
  const pw = nx * c;
  const ph = ny * c;
  const gap = 40;
  const barW = 16;
  const W = m.l + panels.length * (pw + gap) + barW + 60;
  const H = m.t + ph + m.b;
  const all = panels.flatMap((p) => p.grid.flat()).filter(Number.isFinite);
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const T = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15">${esc(o.title)}</text>`,
  ];
  panels.forEach((p, k) => {
    const x0 = m.l + k * (pw + gap);
    out.push(`<g class="panel">`);
    out.push(`<text x="${x0 + pw / 2}" y="${m.t - 10}" text-anchor="middle" font-size="13">${esc(p.label)}</text>`);
    for (let i = 0; i < ny; i++)
      for (let j = 0; j < nx; j++) {
        const v = p.grid[i]?.[j];
        const x = x0 + j * c;
        const y = m.t + (ny - 1 - i) * c;
        const fill = Number.isFinite(v) ? heatColor(T(v)) : '#ccc';
        const ink = Number.isFinite(v) && T(v) > 0.6 ? '#000' : '#fff';
        out.push(`<rect x="${x}" y="${y}" width="${c}" height="${c}" fill="${fill}"/>`);
        if (Number.isFinite(v)) out.push(`<text x="${x + c / 2}" y="${y + c / 2 + 4}" text-anchor="middle" fill="${ink}" font-size="10">${fmt(v)}</text>`);
      }
    out.push(`<rect x="${x0}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
    o.xValues.forEach((v, j) => out.push(`<text x="${x0 + j * c + c / 2}" y="${m.t + ph + 15}" text-anchor="middle">${fmt(v)}</text>`));
    if (k === 0) o.yValues.forEach((v, i) => out.push(`<text x="${x0 - 6}" y="${m.t + (ny - 1 - i) * c + c / 2 + 4}" text-anchor="end">${fmt(v)}</text>`));
    out.push(`<text x="${x0 + pw / 2}" y="${H - 16}" text-anchor="middle">${esc(o.xLabel)}</text>`);
    out.push(`</g>`);
  });
  out.push(`<text transform="translate(18 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  // colour bar
  const bx = m.l + panels.length * (pw + gap) - gap / 2;
  const steps = 32;
  for (let s = 0; s < steps; s++) out.push(`<rect x="${bx}" y="${(m.t + ph - ((s + 1) * ph) / steps).toFixed(1)}" width="${barW}" height="${(ph / steps + 1).toFixed(1)}" fill="${heatColor(s / (steps - 1))}"/>`);
  out.push(`<rect x="${bx}" y="${m.t}" width="${barW}" height="${ph}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${bx + barW + 4}" y="${m.t + 8}">${fmt(hi)}</text><text x="${bx + barW + 4}" y="${m.t + ph}">${fmt(lo)}</text>`);
  out.push(`<text x="${bx + barW / 2}" y="${m.t - 10}" text-anchor="middle">${esc(o.valueLabel)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
