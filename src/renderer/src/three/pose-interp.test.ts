import { describe, expect, it } from 'vitest';
import { PoseInterpolator } from './pose-interp';

/** One body at x with a rotation of `deg` about z. */
const pose = (x: number, deg: number) => {
  const h = (deg * Math.PI) / 360;
  return Float32Array.from([x, 0, 0.5, 0, 0, Math.sin(h), Math.cos(h)]);
};
const yaw = (p: Float32Array) => (Math.atan2(p[5], p[6]) * 360) / Math.PI;

describe('drawing 20 Hz poses at display rate', () => {
  it('moves continuously between two arrivals, one arrival interval behind', () => {
    const ip = new PoseInterpolator();
    ip.push(pose(0, 0), 1000);
    ip.push(pose(0.1, 40), 1050);
    const mid = ip.sample(1075)!;
    expect(mid[0]).toBeCloseTo(0.05, 5);
    expect(yaw(mid)).toBeCloseTo(20, 0);
    expect(Math.hypot(mid[3], mid[4], mid[5], mid[6])).toBeCloseTo(1, 5);
    expect(Array.from(ip.sample(1100)!)).toEqual(Array.from(pose(0.1, 40)));
  });

  it('takes the short way round when the quaternion flips sign', () => {
    const ip = new PoseInterpolator();
    ip.push(pose(0, 170), 0);
    ip.push(pose(0, -170), 50); // 20 degrees further on, on the other hemisphere of quaternions
    expect(Math.abs(yaw(ip.sample(75)!))).toBeCloseTo(180, 0); // not 0: the long way round passes through it
  });

  it('shows a reset or a paused sim as it is', () => {
    const ip = new PoseInterpolator();
    ip.push(pose(0, 0), 0);
    ip.push(pose(3, 0), 50); // teleport: a reset
    expect(ip.sample(60)![0]).toBe(3);
    ip.push(pose(3.05, 0), 1000); // after a pause: not a stream
    expect(ip.sample(1010)![0]).toBeCloseTo(3.05, 5);
    expect(new PoseInterpolator().sample(0)).toBeNull();
  });
});
