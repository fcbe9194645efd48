/**
 * The DARC view's colour scale for dr: one place for the trail (three/overlays/darc.overlay.ts)
 * and the legend (DarcLegend.vue), so they cannot disagree. dr < 0 (the target would not make
 * this transition) is red, dr ~ 0 a pale grey, dr > 0 (more like the target than the source) teal.
 */
import { colourAt, stopsGradient, type Stop } from './population';

export const DR_STOPS: Stop[] = [
  [0.9, 0.2, 0.18],
  [0.95, 0.55, 0.35],
  [0.85, 0.85, 0.85],
  [0.45, 0.8, 0.85],
  [0.2, 0.65, 0.9],
];

/**
 * The scale's half-width: |dr| = 3 is fully saturated, a transition e^3 (20) times less (or more)
 * likely in the target than in the source. Fixed, not fitted to the trail, so two policies' trails
 * (or two domains') compare by colour.
 */
export const DR_SCALE = 3;

/** dr's colour (dr = -scale fully red, +scale fully teal). */
export function drColour(dr: number, scale = DR_SCALE, out: number[] | Float32Array = [0, 0, 0], at = 0): typeof out {
  return colourAt(DR_STOPS, 0.5 + dr / (2 * scale), out, at);
}

export function drGradient(): string {
  return stopsGradient(DR_STOPS);
}

/** The actuator dr blames most: the most negative of their shares of dr (-1 when none is negative). */
export function mostBlamed(due: ArrayLike<number>): number {
  let k = -1;
  for (let i = 0; i < due.length; i++) if (due[i] < 0 && (k < 0 || due[i] < due[k])) k = i;
  return k;
}
