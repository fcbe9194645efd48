/**
 * Overlays drawn into every recorded frame: title, subtitle, method, simulated time, a
 * sparkline of one telemetry key over the whole clip, event markers and banners, and a legend.
 * Sizes scale with the frame height (designed at 720 p, readable down to 240 p).
 */
import { describeEvent, type ScenarioEvent } from '../../../shared/scenario';

export interface OverlayInput {
  title: string;
  subtitle?: string;
  method: string;
  env: string;
  seed: number;
  /** Simulated seconds shown by this frame. */
  time: number;
  frame: number;
  frames: number;
  duration: number;
  sparkKey?: string;
  sparkLabel?: string;
  /** (time, value) samples of the sparkline key so far. */
  samples: { t: number; v: number }[];
  /** Events fired so far. */
  fired: ScenarioEvent[];
  /** Every event action in the scenario (for the legend). */
  actions: ScenarioEvent['action'][];
}

export const EVENT_COLORS = {
  breakLeg: '#ff5d5d',
  adaptationOn: '#5fe08a',
  adaptationOff: '#a0a8b8',
  marker: '#f5c04a',
  twin: '#8fb8ff',
} as const;

export function eventColor(e: ScenarioEvent): string {
  if (e.action === 'breakLeg') return EVENT_COLORS.breakLeg;
  if (e.action === 'adaptation') return e.on ? EVENT_COLORS.adaptationOn : EVENT_COLORS.adaptationOff;
  if (e.action === 'twin') return EVENT_COLORS.twin;
  return EVENT_COLORS.marker;
}

const LINE = '#5aa9ff';
const TEXT = '#f2f5fa';
const MUTED = '#b7bfcf';
const BANNER_SECONDS = 2;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
const MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace';

export function drawOverlay(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, w: number, h: number, o: OverlayInput): void {
  const k = h / 720;
  const px = (n: number) => Math.max(9, Math.round(n * k));
  const m = Math.round(20 * k);
  ctx.save();
  ctx.textBaseline = 'top';

  // Header band behind the title, fading downwards.
  const bandH = Math.round(120 * k);
  const g = ctx.createLinearGradient(0, 0, 0, bandH);
  g.addColorStop(0, 'rgba(10,12,16,0.78)');
  g.addColorStop(1, 'rgba(10,12,16,0)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, w, bandH);

  // Title, subtitle, method line.
  let y = m;
  ctx.fillStyle = TEXT;
  ctx.font = `600 ${px(30)}px ${FONT}`;
  shadowed(ctx, () => ctx.fillText(fit(ctx, o.title, w * 0.7), m, y));
  y += px(30) * 1.25;
  if (o.subtitle) {
    ctx.font = `${px(16)}px ${FONT}`;
    ctx.fillStyle = MUTED;
    shadowed(ctx, () => ctx.fillText(fit(ctx, o.subtitle!, w * 0.7), m, y));
    y += px(16) * 1.35;
  }
  ctx.font = `${px(17)}px ${FONT}`;
  ctx.fillStyle = TEXT;
  shadowed(ctx, () => ctx.fillText(fit(ctx, `method: ${o.method}   ·   ${o.env}   ·   seed ${o.seed}`, w * 0.7), m, y));
  y += px(17) * 1.5;

  // Fired events, listed under the header.
  ctx.font = `${px(16)}px ${FONT}`;
  for (const e of o.fired.slice(-4)) {
    const r = Math.max(3, Math.round(6 * k));
    ctx.fillStyle = eventColor(e);
    ctx.beginPath();
    ctx.arc(m + r, y + px(16) / 2, r, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = TEXT;
    shadowed(ctx, () => ctx.fillText(describeEvent(e), m + 3 * r, y));
    y += px(16) * 1.35;
  }

  // Simulated time, top right.
  ctx.textAlign = 'right';
  ctx.font = `600 ${px(30)}px ${MONO}`;
  ctx.fillStyle = TEXT;
  shadowed(ctx, () => ctx.fillText(`t = ${o.time.toFixed(2)} s`, w - m, m));
  ctx.font = `${px(14)}px ${MONO}`;
  ctx.fillStyle = MUTED;
  shadowed(ctx, () => ctx.fillText(`frame ${o.frame + 1} / ${o.frames}`, w - m, m + px(30) * 1.25));
  ctx.textAlign = 'left';

  // Banner for a fresh event.
  const fresh = [...o.fired].reverse().find((e) => o.time - e.at >= 0 && o.time - e.at < BANNER_SECONDS);
  if (fresh) drawBanner(ctx, w, h, k, px, fresh, 1 - (o.time - fresh.at) / BANNER_SECONDS);

  if (o.sparkKey) drawSparkline(ctx, w, h, k, px, m, o);
  ctx.restore();
}

function drawBanner(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  w: number,
  h: number,
  k: number,
  px: (n: number) => number,
  e: ScenarioEvent,
  life: number,
): void {
  const text = describeEvent(e);
  ctx.font = `700 ${px(26)}px ${FONT}`;
  const tw = ctx.measureText(text).width;
  const pad = Math.round(16 * k);
  const bw = tw + 2 * pad;
  const bh = px(26) + 2 * pad * 0.7;
  const x = (w - bw) / 2;
  const y = h * 0.3;
  ctx.globalAlpha = Math.min(1, 0.35 + life);
  ctx.fillStyle = 'rgba(12,14,18,0.82)';
  roundRect(ctx, x, y, bw, bh, 8 * k);
  ctx.fill();
  ctx.strokeStyle = eventColor(e);
  ctx.lineWidth = Math.max(2, 3 * k);
  ctx.stroke();
  ctx.fillStyle = eventColor(e);
  ctx.fillText(text, x + pad, y + pad * 0.7);
  ctx.globalAlpha = 1;
}

function drawSparkline(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  w: number,
  h: number,
  k: number,
  px: (n: number) => number,
  m: number,
  o: OverlayInput,
): void {
  const ph = Math.round(120 * k);
  const x0 = m;
  const x1 = w - m;
  const y0 = h - m - ph;
  ctx.fillStyle = 'rgba(12,14,18,0.72)';
  roundRect(ctx, x0, y0, x1 - x0, ph, 8 * k);
  ctx.fill();

  const pad = Math.round(12 * k);
  const headH = px(15) * 1.5;
  const gx0 = x0 + pad;
  const gx1 = x1 - pad;
  const gy0 = y0 + pad + headH;
  const gy1 = y0 + ph - pad;
  const label = o.sparkLabel ?? o.sparkKey!;
  const last = o.samples[o.samples.length - 1];

  // Legend: the line, then one swatch per kind of event in the scenario.
  ctx.font = `${px(15)}px ${FONT}`;
  let lx = gx0;
  const swatch = (color: string, text: string, line: boolean) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = Math.max(2, 3 * k);
    ctx.beginPath();
    const cy = y0 + pad + px(15) / 2;
    if (line) {
      ctx.moveTo(lx, cy);
      ctx.lineTo(lx + 22 * k + 4, cy);
      lx += 22 * k + 10;
    } else {
      ctx.moveTo(lx + 3, cy - px(15) / 2);
      ctx.lineTo(lx + 3, cy + px(15) / 2);
      lx += 10;
    }
    ctx.stroke();
    ctx.fillStyle = TEXT;
    ctx.fillText(text, lx, y0 + pad);
    lx += ctx.measureText(text).width + 22 * k + 6;
  };
  swatch(LINE, last ? `${label}: ${formatValue(last.v)}` : `${label}: no data`, true);
  const kinds = new Set(o.actions);
  if (kinds.has('breakLeg')) swatch(EVENT_COLORS.breakLeg, 'leg broken', false);
  if (kinds.has('adaptation')) {
    swatch(EVENT_COLORS.adaptationOn, 'adaptation on', false);
    swatch(EVENT_COLORS.adaptationOff, 'off', false);
  }
  if (kinds.has('twin')) swatch(EVENT_COLORS.twin, 'unadapted twin', false);
  if (kinds.has('marker')) swatch(EVENT_COLORS.marker, 'marker', false);

  // Axes: time over the whole clip; value range from the samples so far.
  const tx = (t: number) => gx0 + ((gx1 - gx0) * t) / Math.max(1e-9, o.duration);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of o.samples) {
    if (Number.isFinite(s.v)) {
      lo = Math.min(lo, s.v);
      hi = Math.max(hi, s.v);
    }
  }
  if (!Number.isFinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (hi - lo < 1e-9) {
    hi += 0.5;
    lo -= 0.5;
  }
  const vy = (v: number) => gy1 - ((gy1 - gy0) * (v - lo)) / (hi - lo);

  // Zero line when zero is in range, and the range at the right edge.
  ctx.strokeStyle = 'rgba(255,255,255,0.18)';
  ctx.lineWidth = 1;
  if (lo < 0 && hi > 0) {
    ctx.beginPath();
    ctx.moveTo(gx0, vy(0));
    ctx.lineTo(gx1, vy(0));
    ctx.stroke();
  }
  ctx.font = `${px(12)}px ${MONO}`;
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'right';
  ctx.fillText(formatValue(hi), x1 - 4, gy0 - px(12) * 1.1);
  ctx.textBaseline = 'bottom';
  ctx.fillText(formatValue(lo), x1 - 4, gy1 + px(12) * 1.1);
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';

  // Event markers: a vertical line at each fired event's time, with a short label. Labels that
  // would overlap (events at the same moment) go down a row.
  ctx.font = `600 ${px(12)}px ${FONT}`;
  const rowEnds: number[] = [];
  for (const e of o.fired) {
    ctx.strokeStyle = eventColor(e);
    ctx.lineWidth = Math.max(1.5, 2.5 * k);
    ctx.beginPath();
    ctx.moveTo(tx(e.at), gy0 - 2);
    ctx.lineTo(tx(e.at), gy1 + 2);
    ctx.stroke();
    ctx.fillStyle = eventColor(e);
    const label = shortLabel(e);
    const lx = tx(e.at) + 4;
    let row = rowEnds.findIndex((end) => end < lx);
    if (row < 0) row = rowEnds.length;
    rowEnds[row] = lx + ctx.measureText(label).width + 6;
    shadowed(ctx, () => ctx.fillText(label, lx, gy0 + row * px(14)));
  }

  // The sparkline.
  if (o.samples.length > 1) {
    ctx.strokeStyle = LINE;
    ctx.lineWidth = Math.max(1.5, 2.5 * k);
    ctx.lineJoin = 'round';
    ctx.beginPath();
    o.samples.forEach((s, i) => (i ? ctx.lineTo(tx(s.t), vy(s.v)) : ctx.moveTo(tx(s.t), vy(s.v))));
    ctx.stroke();
  }
  // Now: a cursor at the current time.
  ctx.strokeStyle = 'rgba(255,255,255,0.5)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(tx(o.time), gy0);
  ctx.lineTo(tx(o.time), gy1);
  ctx.stroke();
  if (last) {
    ctx.fillStyle = LINE;
    ctx.beginPath();
    ctx.arc(tx(last.t), vy(last.v), Math.max(2.5, 4 * k), 0, Math.PI * 2);
    ctx.fill();
  }
}

function shortLabel(e: ScenarioEvent): string {
  if (e.action === 'breakLeg') return `leg ${e.leg} broken`;
  if (e.action === 'adaptation') return `adaptation ${e.on ? 'on' : 'off'}`;
  if (e.action === 'swapPayload') return 'payload swapped';
  if (e.action === 'twin') return `unadapted twin ${e.on ? 'shown' : 'hidden'}`;
  return e.label;
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

function fit(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > max) t = t.slice(0, -1);
  return `${t}…`;
}

function shadowed(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, draw: () => void): void {
  ctx.shadowColor = 'rgba(0,0,0,0.85)';
  ctx.shadowBlur = 4;
  ctx.shadowOffsetY = 1;
  draw();
  ctx.shadowColor = 'transparent';
  ctx.shadowBlur = 0;
  ctx.shadowOffsetY = 0;
}

function roundRect(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}
