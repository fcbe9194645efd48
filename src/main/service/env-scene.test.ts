import { describe, expect, it } from 'vitest';
import { EnvScene } from './env-scene';

describe('an environment as a live scene', () => {
  it('fires a scheduled fault at its time, marks it, and clears it with the episode', async () => {
    const s = await EnvScene.create('Ant-v0', 0);
    try {
      expect(await s.command({ type: 'fault', fault: { kind: 'cripple', leg: 2 }, at: 0.5 }, 0)).toMatch(/scheduled at t = 0.50/);
      for (let i = 0; i < 9; i++) s.step(); // 0.45 s at dt 0.05
      expect(s.drainEvents()).toEqual([]);
      s.step();
      s.step();
      const [e] = s.drainEvents();
      expect(e.label).toBe('leg 2 broken');
      expect(e.time).toBeCloseTo(0.5, 6);
      expect(s.highlight().length).toBe(2);
      await s.command({ type: 'clearFaults' }, 0.55);
      expect(s.highlight()).toEqual([]);
    } finally {
      s.dispose();
    }
  });

  it('randomizes a parameter family at reset within the scale range, and says what it does not support', async () => {
    const s = await EnvScene.create('Hopper-v0', 1);
    try {
      await s.command({ type: 'randomize', ranges: { 'mass.torso': [0.5, 1.5] } }, 0);
      s.step();
      const t = s.telemetry();
      const nominal = (await EnvScene.parameters('Hopper-v0'))['mass.torso'];
      expect(t['param:mass.torso']).toBeGreaterThanOrEqual(0.5 * nominal);
      expect(t['param:mass.torso']).toBeLessThanOrEqual(1.5 * nominal);
      await expect(s.command({ type: 'randomize', ranges: { 'wheels': [0.5, 1.5] } }, 0)).rejects.toThrow(/unknown parameter/);
      await expect(s.command({ type: 'adaptation', on: true }, 0)).rejects.toThrow(/does not support/);
    } finally {
      s.dispose();
    }
  });

  it("reports the quadrotor's cable length as the reset drew it, for the viewport to draw its slack", async () => {
    const s = await EnvScene.create('QuadPayload-v0', 2);
    try {
      await s.command({ type: 'randomize', ranges: { cable_length: [0.5, 1.5] } }, 0);
      s.step();
      const drawn = s.tetherLengths();
      expect(drawn).toHaveLength(1);
      expect(drawn[0]).toBeCloseTo(s.telemetry()['param:cable_length'], 6);
      const nominal = (await EnvScene.parameters('QuadPayload-v0'))['cable_length'];
      expect(drawn[0]).not.toBeCloseTo(nominal, 3);
    } finally {
      s.dispose();
    }
  });
});
