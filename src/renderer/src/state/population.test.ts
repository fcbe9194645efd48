import { describe, expect, it } from 'vitest';
import type { PopulationFrame } from '../../../shared/snapshot';
import { colourAt, DIM, PARAM_STOPS, RETURN, RETURN_STOPS, robotColours, robotValues, scaleOf, worstRobots } from './population';

const frame: PopulationFrame = {
  columns: ['mass.torso', 'friction.*'],
  params: Float32Array.from([3, 2, 6, 2, 9, 2]),
  returns: Float32Array.from([50, 400, 10]),
  alive: Uint8Array.from([1, 1, 0]),
  policy: 'learned:ppo',
  adaptation: null,
};

describe('population colours', () => {
  it('reads a parameter column or the return per robot', () => {
    expect(Array.from(robotValues(frame, 'mass.torso'))).toEqual([3, 6, 9]);
    expect(robotValues(frame, RETURN)).toBe(frame.returns);
    expect(scaleOf(frame, 'mass.torso')).toEqual({ lo: 3, hi: 9, unit: 'kg' });
    expect(scaleOf(frame, RETURN)).toEqual({ lo: 0, hi: 400, unit: '' });
    // every robot drew the same friction: the scale still has a width
    const f = scaleOf(frame, 'friction.*');
    expect(f.lo).toBeLessThan(2);
    expect(f.hi).toBeGreaterThan(2);
  });

  it('spans the colour map from the lowest to the highest robot; an ended episode is dimmed', () => {
    const rgb = robotColours(frame, 'mass.torso');
    expect(Array.from(rgb.subarray(0, 3))).toEqual(PARAM_STOPS[0].map((c) => Math.fround(c)));
    expect(rgb[6]).toBeCloseTo(PARAM_STOPS[4][0] * DIM, 5);
    const byReturn = robotColours(frame, RETURN);
    expect(byReturn[3]).toBeCloseTo(RETURN_STOPS[4][0], 5);
    expect(colourAt(PARAM_STOPS, 0.5)).toEqual(PARAM_STOPS[2]);
  });
});

describe('worst-epsilon outline', () => {
  it("picks the robots EPOpt's CVaR step would keep: the lowest returns, none at epsilon 0", () => {
    expect(worstRobots(frame.returns, 0.1)).toEqual([2]);
    expect(worstRobots(frame.returns, 0.5)).toEqual([2, 0]);
    expect(worstRobots(frame.returns, 0)).toEqual([]);
  });
});
