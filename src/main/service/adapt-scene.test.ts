import { describe, expect, it } from 'vitest';
import { AdaptScene } from './adapt-scene';

describe('the adaptation scene (shipped Ant-v0 checkpoints)', () => {
  it('walks under MPC, breaks a leg on command, and reports adapted vs unadapted prediction error and a plan', async () => {
    const s = await AdaptScene.create(0, 'grbal');
    try {
      for (let i = 0; i < 40; i++) s.step();
      const before = s.telemetry()['distance/x'];
      expect(before).toBeGreaterThan(0.3); // it walks forward
      expect(s.command({ type: 'fault', fault: { kind: 'cripple', leg: 3 } }, 40 * s.dt)).toMatch(/cripple/);
      for (let i = 0; i < 20; i++) s.step();
      const t = s.telemetry();
      expect(t['prediction_error/adapted']).toBeGreaterThanOrEqual(0);
      expect(t['prediction_error/unadapted']).toBeGreaterThanOrEqual(0);
      // the reward-relevant error, in m/s: finite, and small next to the ant's own speed scale
      for (const k of ['velocity_error/adapted', 'velocity_error/unadapted']) expect(t[k]).toBeGreaterThanOrEqual(0);
      expect(t['velocity_error/unadapted']).toBeLessThan(5);
      expect(s.drainEvents().map((e) => e.label)).toContain('leg 3 broken');
      expect(s.highlight().length).toBe(2); // the broken leg's two bodies
      expect(s.stretched().map((b) => [s.spec().bodies[b.body].name, b.factor])).toEqual([['foot_4', 0.5]]); // drawn as short as it collides
      const ghost = s.ghost()!;
      expect(ghost.length % 3).toBe(0);
      expect(ghost.length).toBeGreaterThan(6);
      expect(s.command({ type: 'adaptation', on: false }, 3)).toMatch(/off/);
      expect(s.command({ type: 'method', method: 'mb' }, 3)).toMatch(/mb/);
      s.step();
      expect(() => s.command({ type: 'policy', policy: 'zero' }, 3)).toThrow(/does not support/);
    } finally {
      s.dispose();
    }
  });
});
