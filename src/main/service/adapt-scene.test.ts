import { describe, expect, it } from 'vitest';
import { SceneHost } from './scene-host';
import { findScene } from './scene-runner';

describe('the adaptation scene (shipped Ant-v0 checkpoints)', () => {
  it('follows the path under MPC beside an unadapted twin, breaks a leg on command, and reports adapted vs unadapted prediction error and a plan', async () => {
    const h = await SceneHost.open(findScene('adapt-ant'), 0);
    try {
      expect(await h.command('twin', true)).toMatch(/twin on/);
      for (let i = 0; i < 40; i++) await h.step();
      const t0 = h.telemetry();
      expect(t0.distance).toBeGreaterThan(0.3); // it walks forward
      expect(t0.distance_twin).not.toBe(t0.distance); // GrBAL's adapted model is not the unadapted one
      expect(t0.lateral_error).toBeGreaterThanOrEqual(0);
      // the yaw rate as it was and as both models predicted it (rad/s)
      for (const k of ['actual', 'adapted', 'unadapted']) expect(Math.abs(t0[`yaw_rate/${k}`])).toBeLessThan(5);
      const names0 = h.spec().bodies.map((b) => b.name);
      expect(names0.filter((n) => n.startsWith('twin/')).length).toBe(names0.length / 2);
      const path = h.overlays().trackPath as { reference: number[]; trail: number[]; ghostTrail: number[] };
      expect(path.reference.filter((_, i) => i % 3 === 1).every((y) => y === 0)).toBe(true); // the x axis
      expect(path.trail.length).toBe(3 * 41); // the start and 40 steps
      expect(path.ghostTrail.length).toBe(3 * 41);
      expect(await h.command('fault', { leg: 3 })).toMatch(/leg 3 broken at t = 2.00/);
      for (let i = 0; i < 20; i++) await h.step();
      const t = h.telemetry();
      expect(t['prediction_error/adapted']).toBeGreaterThanOrEqual(0);
      expect(t['prediction_error/unadapted']).toBeGreaterThanOrEqual(0);
      // the reward-relevant error, in m/s: finite, and small next to the ant's own speed scale
      for (const k of ['velocity_error/adapted', 'velocity_error/unadapted']) expect(t[k]).toBeGreaterThanOrEqual(0);
      expect(t['velocity_error/unadapted']).toBeLessThan(5);
      expect(h.drainEvents().map((e) => e.label)).toContain('leg 3 broken');
      const o = h.overlays();
      const names = h.spec().bodies.map((b) => b.name);
      expect((o.highlight as number[]).map((b) => names[b])).toEqual(['aux_4', 'foot_4']); // the broken leg's two bodies
      expect((o.stretch as { body: number; factor: number }[]).map((b) => [names[b.body], b.factor])).toEqual([['foot_4', 0.5]]); // drawn as short as it collides
      const ghost = o.ghostPath as number[];
      expect(ghost.length % 3).toBe(0);
      expect(ghost.length).toBeGreaterThan(6);
      expect(await h.command('adaptation', false)).toMatch(/off/);
      expect(await h.command('twin', false)).toMatch(/paused/);
      await h.step();
      expect(h.telemetry().distance_twin).toBeUndefined();
      expect(await h.command('method', 'mb')).toMatch(/mb/);
      await h.step();
      await expect(h.command('policy', 'zero')).rejects.toThrow(/no control "policy"/);
      await expect(h.command('method', 'dqn')).rejects.toThrow(/invalid value for "method"/);
      // heal restarts the episode; the charts' time base (session time) goes on
      const before = h.time;
      await h.command('heal', null);
      expect(h.time).toBe(before);
      expect(h.episodeTime).toBe(0);
    } finally {
      h.dispose();
    }
  });
});
