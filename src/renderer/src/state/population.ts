/**
 * What a population view colours by, and the colour scales: one place for the viewport tint
 * (three/population-layer.ts) and the legend (PopulationLegend.vue), so they cannot disagree.
 */
import { reactive } from 'vue';
import { paramUnit } from '../../../shared/dr-terms';
import type { PopulationFrame } from '../../../shared/snapshot';
import { selectWorst } from '../../../shared/cvar';

export const RETURN = 'return';

/**
 * The viewer's choices: colour by 'return' or a parameter column label (e.g. 'mass.torso'); the
 * robot clicked (-1: none); the CVaR fraction whose worst robots are outlined (0: none).
 */
export const populationView = reactive({ colourBy: RETURN as string, selected: -1, epsilon: 0.1 });

/** The robots EPOpt would keep at this epsilon: the worst by return this episode (none at 0). */
export function worstRobots(returns: ArrayLike<number>, epsilon: number): number[] {
  return epsilon > 0 && returns.length ? Array.from(selectWorst(returns, epsilon)) : [];
}

/** An RGB colour stop (0..1 each) of a colour scale. */
export type Stop = [number, number, number];
/** Parameters: cool (low) to warm (high), bright enough on the dark viewport. */
export const PARAM_STOPS: Stop[] = [
  [0.23, 0.37, 0.8],
  [0.18, 0.7, 0.77],
  [0.55, 0.81, 0.35],
  [0.95, 0.79, 0.3],
  [0.91, 0.33, 0.23],
];
/** Return: red (low, it fell) through yellow to green (high). */
export const RETURN_STOPS: Stop[] = [
  [0.86, 0.24, 0.22],
  [0.95, 0.62, 0.25],
  [0.93, 0.87, 0.35],
  [0.5, 0.8, 0.35],
  [0.2, 0.7, 0.45],
];

export function stopsFor(by: string): Stop[] {
  return by === RETURN ? RETURN_STOPS : PARAM_STOPS;
}

/** Linear interpolation through evenly spaced stops, t in [0, 1] (clamped). */
export function colourAt(stops: Stop[], t: number, out: number[] | Float32Array = [0, 0, 0], at = 0): typeof out {
  const x = (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  for (let c = 0; c < 3; c++) out[at + c] = stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f;
  return out;
}

/** A CSS gradient of evenly spaced stops, for legends' colour bars. */
export function stopsGradient(s: readonly Stop[]): string {
  return `linear-gradient(to right, ${s.map((c, i) => `rgb(${c.map((v) => Math.round(v * 255)).join(',')}) ${((i / (s.length - 1)) * 100).toFixed(0)}%`).join(', ')})`;
}

/** The gradient of the quantity coloured by, for the legend. */
export function cssGradient(by: string): string {
  return stopsGradient(stopsFor(by));
}

/** Each robot's value of the chosen quantity (a column that does not exist reads as return). */
export function robotValues(frame: PopulationFrame, by: string): Float32Array {
  const j = frame.columns.indexOf(by);
  if (by === RETURN || j < 0) return frame.returns;
  const n = frame.returns.length, k = frame.columns.length;
  return Float32Array.from({ length: n }, (_, i) => frame.params[i * k + j]);
}

export interface Scale {
  lo: number;
  hi: number;
  unit: string;
}

/**
 * The range the colours span: a parameter's drawn min..max; return from 0 (or below) to the best
 * so far, at least 100 wide, so the colours do not flicker at the start of an episode.
 */
export function scaleOf(frame: PopulationFrame, by: string): Scale {
  const v = robotValues(frame, by);
  let lo = Infinity, hi = -Infinity;
  for (const x of v) if (Number.isFinite(x)) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  if (!(lo <= hi)) (lo = 0), (hi = 1);
  const isReturn = !frame.columns.includes(by);
  if (isReturn) {
    lo = Math.min(0, lo);
    hi = Math.max(hi, lo + 100);
  } else if (hi - lo < 1e-9 * Math.max(1, Math.abs(hi))) {
    // everyone drew the same value: centre it
    (lo -= 0.5 * Math.max(1e-3, Math.abs(lo))), (hi += 0.5 * Math.max(1e-3, Math.abs(hi)));
  }
  return { lo, hi, unit: isReturn ? '' : paramUnit(by) };
}

/** How much darker a robot whose episode has ended is drawn (its hue still readable). */
export const DIM = 0.55;

/** Each robot's RGB (3 floats per robot); robots whose episode has ended are dimmed. */
export function robotColours(frame: PopulationFrame, by: string, out?: Float32Array): Float32Array {
  const n = frame.returns.length;
  const rgb = out && out.length === n * 3 ? out : new Float32Array(n * 3);
  const v = robotValues(frame, by);
  const { lo, hi } = scaleOf(frame, by);
  const stops = stopsFor(frame.columns.includes(by) ? by : RETURN);
  for (let i = 0; i < n; i++) {
    colourAt(stops, (v[i] - lo) / (hi - lo), rgb, i * 3);
    if (!frame.alive[i]) for (let c = 0; c < 3; c++) rgb[i * 3 + c] *= DIM;
  }
  return rgb;
}

/** Tidy numbers for the legend and the robot card. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 0.01 || a === 0 ? v.toFixed(2) : v.toExponential(1);
}
