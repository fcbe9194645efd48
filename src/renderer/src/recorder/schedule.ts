/**
 * Which physics frame each video frame shows, and where scenario events fire: pure arithmetic,
 * so a clip's simulated time is exact whatever the ratio of fps to the physics rate.
 *
 * Video frame i shows simulated time i/fps, i.e. physics frame round(i / (fps·dt)): the error
 * never accumulates (it is at most dt/2 per frame, not per clip), and fractional ratios such as
 * 24 fps on a 60 Hz simulation step 2, 3, 2, 3... frames.
 */
import type { ScenarioEvent } from '../../../shared/scenario';

/** Physics frame (count of steps since reset) shown by video frame `i`. */
export function physicsFrameAt(i: number, fps: number, dt: number): number {
  return Math.round(i / (fps * dt) + 1e-9);
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
