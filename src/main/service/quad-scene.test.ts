import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SceneHost } from './scene-host';
import { findScene, sceneInfo } from './scene-runner';
import { eventCommand, scenarioProblems } from '../../shared/scenario';
import { loadScenarioFile, scenariosDir } from './scenarios';
import { QuadScene, checkpointOf } from './quad-scene';

describe('the quadrotor adaptation scene', () => {
  it('flies the figure-8 under PID, swaps the payload mid-flight on command, and charts the true payload', async () => {
    // opened with PID whatever ships (no tfjs, no planning: fast)
    const h = new SceneHost(await QuadScene.create(0, 'pid'), QuadScene.describe(), 0);
    try {
      expect(h.telemetry().tracking_error).toBeLessThan(0.1); // reported from frame 0 (a recording's sparkline reads it)
      expect(await h.command('method', 'pid')).toBe('method: pid');
      for (let i = 0; i < 15; i++) await h.step(); // 3 s of 0.2 s commands
      let t = h.telemetry();
      expect(t.tracking_error).toBeGreaterThanOrEqual(0);
      expect(t.tracking_error).toBeLessThan(1); // it flies the path, it does not crash
      expect(t['true:cable_length']).toBeCloseTo(0.5, 5);
      const trackPath = h.overlays().trackPath as { reference: number[]; trail: number[] };
      expect(trackPath.reference.length).toBeGreaterThan(30);
      expect(trackPath.trail.length).toBe(3 * 16); // the start and each step's payload

      expect(await h.command('cable_length', 1.2)).toMatch(/next swap: 0.25 kg on 1.20 m/);
      expect(await h.command('swap', null)).toBe('payload swapped: 0.25 kg on 1.20 m');
      expect(h.drainEvents().map((e) => e.label)).toContain('payload swapped: 0.25 kg on 1.20 m');
      for (let i = 0; i < 5; i++) await h.step();
      t = h.telemetry();
      expect(t['true:cable_length']).toBeCloseTo(1.2, 5);
      expect(t['true:payload_mass']).toBeCloseTo(0.25, 5);
      expect(h.overlays().tethers).toEqual([1.2]);
      // a scenario names the payload itself
      expect(await h.command('swap', { payload_mass: 0.1 })).toBe('payload swapped: 0.10 kg on 1.20 m');

      // another reference is another env config: the episode restarts on it
      expect(await h.command('reference', 'circle')).toBe('reference: circle');
      expect(h.episodeTime).toBe(0);
      await h.step();
      expect(h.telemetry()['true:cable_length']).toBeCloseTo(0.5, 5); // a new episode flies the nominal payload

      await expect(h.command('cable_length', 3)).rejects.toThrow(/invalid value for "cable_length": .*1.4/);
      await expect(h.command('swap', { cable: 1 })).rejects.toThrow(/invalid value for "swap"/);
      await expect(h.command('method', 'dqn')).rejects.toThrow(/invalid value for "method"/);
    } finally {
      h.dispose();
    }
  });

  it('the payload-swap scenarios (latent model, PID baseline) are recordable here, and their event is a swap the scene takes', async () => {
    const info = await sceneInfo(findScene('adapt-quad'));
    for (const file of ['quad-payload-swap.json', 'quad-payload-swap-pid.json']) {
      const s = loadScenarioFile(join(scenariosDir(), file));
      expect(scenarioProblems(s, [info]), file).toEqual([]);
      expect(eventCommand(s.events[0])).toEqual({ control: 'swap', value: { payload_mass: 0.25, cable_length: 1 } });
    }
  });

  it.skipIf(!existsSync(checkpointOf('latent')))('the latent model reports q(z) and its read-out, and z moves when the payload is swapped', async () => {
    const h = await SceneHost.open(findScene('adapt-quad'), 0); // opens with the latent model where it ships
    try {
      for (let i = 0; i < 10; i++) await h.step();
      const before = h.telemetry();
      expect(before['zstd:z0']).toBeGreaterThan(0);
      expect(typeof before['inferred:cable_length']).toBe('number');
      await h.command('swap', { payload_mass: 0.25, cable_length: 1.0 });
      for (let i = 0; i < 10; i++) await h.step();
      const after = h.telemetry();
      const zKeys = Object.keys(after).filter((k) => k.startsWith('z:'));
      expect(zKeys.length).toBeGreaterThan(0);
      expect(Math.max(...zKeys.map((k) => Math.abs(after[k] - before[k])))).toBeGreaterThan(1e-3);
    } finally {
      h.dispose();
    }
  }, 60_000);
});
