import { describe, expect, it } from 'vitest';
import { EnvScene } from './env-scene';
import { SceneHost } from './scene-host';
import { findScene } from './scene-runner';

const open = (id: string, seed: number) => SceneHost.open(findScene(id), seed);

describe('an environment as a live scene on the host', () => {
  it('fires a scheduled fault at its time, marks the leg the env names, and clears it on heal', async () => {
    const h = await open('Ant-v0', 0);
    try {
      // standing still: the shipped learned ant can end an episode within 0.5 s (a leap above 1 m)
      await h.command('policy', 'zero');
      expect(await h.command('fault', { leg: 2, at: 0.5 })).toMatch(/scheduled at t = 0.50/);
      for (let i = 0; i < 9; i++) await h.step(); // 0.45 s at dt 0.05
      expect(h.drainEvents()).toEqual([]);
      await h.step();
      await h.step();
      const [e] = h.drainEvents();
      expect(e.label).toBe('leg 2 broken');
      expect(e.time).toBeCloseTo(0.5, 6);
      const names = h.spec().bodies.map((b) => b.name);
      expect((h.overlays().highlight as number[]).map((b) => names[b])).toEqual(['aux_3', 'foot_3']);
      await h.command('heal', null);
      expect(h.overlays().highlight).toEqual([]);
      expect(h.episodeTime).toBe(0);
      expect(h.time).toBeCloseTo(0.55, 6); // session time goes on
    } finally {
      h.dispose();
    }
  });

  it('randomizes by declared DR terms from the next episode on, and says what it does not support', async () => {
    const h = await open('Hopper-v0', 1);
    try {
      const d = await EnvScene.describe('Hopper-v0', false);
      expect(d.controls.find((c) => c.id === 'randomize')!.kind).toBe('drTerms');
      expect(d.dr!.active).toEqual([]);
      expect(d.dr!.suggested.map((t) => t.target)).toEqual(['mass', 'friction', 'damping', 'armature']);
      const nominal = d.dr!.nominal['mass.torso'];
      await h.command('randomize', [{ target: 'mass', select: ['torso'], distribution: { kind: 'uniform', low: 0.5, high: 1.5 }, operation: 'scale', mode: 'reset' }]);
      await h.step();
      const t = h.telemetry();
      expect(t['param:mass.torso']).toBeGreaterThanOrEqual(0.5 * nominal);
      expect(t['param:mass.torso']).toBeLessThanOrEqual(1.5 * nominal);
      await expect(h.command('randomize', [{ target: 'wheels', distribution: { kind: 'uniform', low: 0.5, high: 1.5 }, operation: 'scale', mode: 'reset' }])).rejects.toThrow(/targets no parameter/);
      await expect(h.command('randomize', [{ target: 'mass', distribution: { kind: 'loguniform', low: 0, high: 1 }, operation: 'scale', mode: 'reset' }])).rejects.toThrow(/log-uniform needs low > 0/);
      await expect(h.command('randomize', { 'mass.torso': [0.5, 1.5] })).rejects.toThrow(/invalid value for "randomize"/);
      await expect(h.command('adaptation', true)).rejects.toThrow(/no control "adaptation" \(it has: policy, randomize\)/);
      await expect(h.command('fault', { leg: 0 })).rejects.toThrow(/no control "fault"/); // the hopper declares no faults
    } finally {
      h.dispose();
    }
  });

  it("reports the quadrotor's cable length as the reset drew it, for the viewport to draw its slack", async () => {
    const h = await open('QuadPayload-v0', 2);
    try {
      await h.command('randomize', [{ target: 'cable_length', distribution: { kind: 'uniform', low: 0.5, high: 1.5 }, operation: 'scale', mode: 'reset' }]);
      await h.step();
      const drawn = h.overlays().tethers as number[];
      expect(drawn).toHaveLength(1);
      expect(drawn[0]).toBeCloseTo(h.telemetry()['param:cable_length'], 6);
      const nominal = (await EnvScene.describe('QuadPayload-v0', false)).parameters!['cable_length'];
      expect(drawn[0]).not.toBeCloseTo(nominal, 3);
    } finally {
      h.dispose();
    }
  });

  it('opens the quadrotor on its PID tracker flying the figure-8, with the path and the payload trail to draw', async () => {
    const d = await EnvScene.describe('QuadPayload-v0', false);
    const policy = d.controls.find((c) => c.id === 'policy')!;
    expect(policy.initial).toBe('pid');
    expect(policy.options!.map((o) => o.value)).not.toContain('gait');
    expect(d.controls.find((c) => c.id === 'reference')!.initial).toBe('figure8');
    expect(d.overlays).toEqual(['tethers', 'trackPath']);
    const h = await open('QuadPayload-v0', 3);
    try {
      const errors: number[] = [];
      for (let i = 0; i < 250; i++) {
        await h.step(); // 5 s
        errors.push(h.telemetry().tracking_error);
      }
      expect(h.drainEvents().filter((e) => e.kind === 'episode')).toEqual([]); // no crash
      expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeLessThan(0.25);
      const { reference, trail } = h.overlays().trackPath as { reference: number[]; trail: number[] };
      expect(reference.length).toBeGreaterThan(3 * 64); // a closed curve, not a point
      expect(trail.length).toBe(3 * 200); // the last 4 s of the payload
      // the trail ends at the payload, which flies near the drawn path
      const end = trail.slice(-3);
      let nearest = Infinity;
      for (let k = 0; k < reference.length; k += 3) nearest = Math.min(nearest, Math.hypot(reference[k] - end[0], reference[k + 1] - end[1], reference[k + 2] - end[2]));
      expect(nearest).toBeLessThan(0.3);
      expect(await h.command('reference', 'hover')).toBe('reference: hover');
      await h.step();
      expect((h.overlays().trackPath as { reference: number[] }).reference).toHaveLength(3);
      await expect(h.command('reference', 'square')).rejects.toThrow(/invalid value for "reference"/);
    } finally {
      h.dispose();
    }
  });

  it('declares no reference path for an env without one', async () => {
    const d = await EnvScene.describe('Hopper-v0', false);
    expect(d.controls.map((c) => c.id)).toEqual(['policy', 'randomize']);
    expect(d.overlays).toEqual([]);
  });
});
