/**
 * A line chart as a standalone SVG string (no DOM, no dependencies): axes with ticks and titles,
 * one polyline per series, a legend, optional horizontal reference lines. For README figures and
 * `adaptlab plot`, rendered from real run metrics.
 */

export interface Series {
  label: string;
  points: [number, number][];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Horizontal lines, e.g. a threshold the issue sets. */
  refs?: { y: number; label: string }[];
  /** The x axis' span (default: from 0, or below, to the largest x; a sweep gives its values' span). */
  xRange?: [number, number];
  /** A dot at every point (few points, e.g. a parameter sweep). */
  markers?: boolean;
  /** Which top corner holds the legend (default left). */
  legendAt?: 'left' | 'right';
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** "Nice" tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.round(v / step) * step);
  return out;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(2)}`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function lineChartSvg(series: Series[], o: ChartOptions): string {
  const W = o.width ?? 720;
  const H = o.height ?? 420;
  const m = { l: 70, r: 20, t: 40, b: 56 };
  const pts = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const ys = [...pts.map((p) => p[1]), ...(o.refs ?? []).map((r) => r.y)];
  const [x0, x1] = o.xRange && o.xRange[1] > o.xRange[0] ? o.xRange : [Math.min(0, ...pts.map((p) => p[0])), Math.max(1, ...pts.map((p) => p[0]))];
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (!Number.isFinite(y0)) [y0, y1] = [0, 1];
  const pad = (y1 - y0) * 0.05 || 1;
  y0 -= pad;
  y1 += pad;
  const X = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const Y = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(o.title)}</text>`,
  ];
  for (const t of ticks(x0, x1)) out.push(`<line x1="${X(t)}" y1="${m.t}" x2="${X(t)}" y2="${H - m.b}" stroke="#eee"/><text x="${X(t)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(t)}</text>`);
  for (const t of ticks(y0, y1)) out.push(`<line x1="${m.l}" y1="${Y(t)}" x2="${W - m.r}" y2="${Y(t)}" stroke="#eee"/><text x="${m.l - 6}" y="${Y(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  out.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 14}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  for (const r of o.refs ?? [])
    out.push(`<line x1="${m.l}" y1="${Y(r.y)}" x2="${W - m.r}" y2="${Y(r.y)}" stroke="#555" stroke-dasharray="5 4"/><text x="${W - m.r - 4}" y="${Y(r.y) - 4}" text-anchor="end" fill="#555">${esc(r.label)}</text>`);
  series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    const d = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y]) => `${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${d}" fill="none" stroke="${c}" stroke-width="1.6"/>`);
    if (o.markers)
      for (const [x, y] of s.points) if (Number.isFinite(x) && Number.isFinite(y)) out.push(`<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="2.5" fill="${c}"/>`);
    const lx = o.legendAt === 'right' ? W - m.r - 16 - 7 * Math.max(...series.map((t) => t.label.length)) : m.l + 10;
    out.push(`<rect x="${lx}" y="${m.t + 8 + i * 18}" width="14" height="3" fill="${c}"/><text x="${lx + 20}" y="${m.t + 13 + i * 18}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
