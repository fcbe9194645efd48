/**
 * Which physics frame each video frame shows, and where scenario events fire: pure arithmetic,
 * so a clip's simulated time is exact whatever the ratio of fps to the physics rate.
 *
 * Video frame i shows simulated time i/fps exactly, between physics frames floor(i / (fps·dt))
 * and the next: nothing accumulates over a clip, and fractional ratios such as 24 fps on a 60 Hz
 * simulation step 2, 3, 2, 3... frames.
 */
import type { ScenarioEvent } from '../../../shared/scenario';

/**
 * The physics frames on either side of video frame `i`'s time, and how far between them it lies
 * (0 = on `before`). A 20 Hz simulation filmed at 30 fps draws blends, not repeated frames.
 */
export function framesAround(i: number, fps: number, dt: number): { before: number; after: number; alpha: number } {
  const x = i / (fps * dt);
  const r = Math.round(x);
  if (Math.abs(x - r) < 1e-9) return { before: r, after: r, alpha: 0 };
  const before = Math.floor(x);
  return { before, after: before + 1, alpha: x - before };
}

/** Physics frame at which an event at `at` seconds fires (before that step runs). */
export function eventFrame(at: number, dt: number): number {
  return Math.round(at / dt + 1e-9);
}

export type StepAction = { kind: 'step'; frames: number } | { kind: 'event'; event: ScenarioEvent };

/**
 * What to do to go from physics frame `from` to `to`: step, firing the events whose frame lies
 * in [from, to] at their exact frame (before the step out of it, so an event at t = 0 acts from
 * the first step). `fired` collects fired events so each fires once.
 */
export function stepPlan(
  from: number,
  to: number,
  events: readonly ScenarioEvent[],
  dt: number,
  fired: Set<ScenarioEvent>,
): StepAction[] {
  const due = events
    .filter((e) => !fired.has(e))
    .map((e) => ({ e, frame: eventFrame(e.at, dt) }))
    .filter((x) => x.frame <= to)
    .sort((a, b) => a.frame - b.frame);
  const plan: StepAction[] = [];
  let at = from;
  for (const { e, frame } of due) {
    if (frame > at) {
      plan.push({ kind: 'step', frames: frame - at });
      at = frame;
    }
    plan.push({ kind: 'event', event: e });
    fired.add(e);
  }
  if (to > at) plan.push({ kind: 'step', frames: to - at });
  return plan;
}

/** Remaining wall seconds, from the average pace so far. */
export function etaSeconds(done: number, total: number, elapsedSeconds: number): number | null {
  if (done <= 0 || elapsedSeconds <= 0) return null;
  return ((total - done) * elapsedSeconds) / done;
}
