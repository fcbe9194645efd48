import { describe, expect, it } from 'vitest';
import type { ScenarioEvent } from '../../../shared/scenario';
import { etaSeconds, framesAround, stepPlan } from './schedule';

describe('frame schedule', () => {
  it('steps an exact number of physics frames per video frame', () => {
    const dt = 1 / 120;
    const frames = Array.from({ length: 61 }, (_, i) => framesAround(i, 30, dt));
    expect(frames.slice(0, 4).map((f) => f.before)).toEqual([0, 4, 8, 12]);
    expect(frames.every((f) => f.alpha === 0 && f.after === f.before)).toBe(true);
    expect(frames[60].before).toBe(240); // 2 s
  });

  it('handles fractional ratios without drift', () => {
    const dt = 1 / 60;
    const frames = Array.from({ length: 241 }, (_, i) => framesAround(i, 24, dt));
    const reached = frames.map((f) => f.after);
    const steps = reached.slice(1).map((f, i) => f - reached[i]);
    expect(new Set(steps)).toEqual(new Set([2, 3]));
    expect(frames[240]).toEqual({ before: 600, after: 600, alpha: 0 }); // 10 s exactly
    for (let i = 0; i < frames.length; i++) expect((frames[i].before + frames[i].alpha) * dt).toBeCloseTo(i / 24, 12);
  });

  it('places each video frame between two physics frames when the simulation is slower', () => {
    // The ant: 20 Hz physics filmed at 30 fps.
    const around = Array.from({ length: 4 }, (_, i) => framesAround(i, 30, 0.05));
    expect(around.map((f) => [f.before, f.after])).toEqual([[0, 0], [0, 1], [1, 2], [2, 2]]);
    expect(around[1].alpha).toBeCloseTo(2 / 3, 12);
    expect(around[2].alpha).toBeCloseTo(1 / 3, 12);
    // Every video frame's time is exactly before + alpha physics frames.
    for (let i = 0; i < 90; i++) {
      const f = framesAround(i, 30, 0.05);
      expect((f.before + f.alpha) * 0.05).toBeCloseTo(i / 30, 12);
      expect(f.after - f.before).toBe(f.alpha === 0 ? 0 : 1);
    }
    // Whole ratios need no blend.
    expect(framesAround(5, 30, 1 / 120)).toEqual({ before: 20, after: 20, alpha: 0 });
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
