import { describe, expect, it } from 'vitest';
import type { ScenarioEvent } from '../../../shared/scenario';
import { etaSeconds, physicsFrameAt, stepPlan } from './schedule';

describe('frame schedule', () => {
  it('steps an exact number of physics frames per video frame', () => {
    const dt = 1 / 120;
    const frames = Array.from({ length: 61 }, (_, i) => physicsFrameAt(i, 30, dt));
    expect(frames.slice(0, 4)).toEqual([0, 4, 8, 12]);
    expect(frames[60]).toBe(240); // 2 s
  });

  it('handles fractional ratios without drift', () => {
    const dt = 1 / 60;
    const frames = Array.from({ length: 241 }, (_, i) => physicsFrameAt(i, 24, dt));
    const steps = frames.slice(1).map((f, i) => f - frames[i]);
    expect(new Set(steps)).toEqual(new Set([2, 3]));
    expect(frames[240]).toBe(600); // 10 s exactly
    for (let i = 0; i < frames.length; i++) expect(Math.abs(frames[i] * dt - i / 24)).toBeLessThanOrEqual(dt / 2 + 1e-12);
    // More video frames than physics frames: some video frames repeat a physics frame.
    expect(physicsFrameAt(1, 60, 1 / 30)).toBe(1);
    expect(physicsFrameAt(3, 60, 1 / 30)).toBe(2);
  });

  it('splits steps at event frames and fires each event once', () => {
    const dt = 0.01;
    const leg: ScenarioEvent = { at: 0.05, action: 'breakLeg', leg: 3 };
    const start: ScenarioEvent = { at: 0, action: 'adaptation', on: true };
    const fired = new Set<ScenarioEvent>();
    expect(stepPlan(0, 0, [leg, start], dt, fired)).toEqual([{ kind: 'event', event: start }]);
    expect(stepPlan(0, 4, [leg, start], dt, fired)).toEqual([{ kind: 'step', frames: 4 }]);
    expect(stepPlan(4, 8, [leg, start], dt, fired)).toEqual([
      { kind: 'step', frames: 1 },
      { kind: 'event', event: leg },
      { kind: 'step', frames: 3 },
    ]);
    expect(stepPlan(8, 12, [leg, start], dt, fired)).toEqual([{ kind: 'step', frames: 4 }]);
  });

  it('estimates the time left from the pace so far', () => {
    expect(etaSeconds(0, 60, 1)).toBeNull();
    expect(etaSeconds(15, 60, 3)).toBeCloseTo(9);
  });
});
