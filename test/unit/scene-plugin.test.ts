/**
 * A scene declared here, in the test file, plugs into the host and the renderer's declarations
 * with no other edit: the host runs its clock and episodes, checks its commands against its own
 * schema and adds its fault controls; the renderer builds its charts and finds its overlays (three/overlays/<kind>.overlay.ts).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chartGroups } from '../../src/shared/scene-decl';
import type { SceneSpec } from '../../src/shared/scene';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Fault } from '../../src/physics/envs/types';
import type { Scene, SceneDefinition } from '../../src/main/service/scene';
import { SceneHost } from '../../src/main/service/scene-host';
import { sceneInfo } from '../../src/main/service/scene-runner';

/** A ball rolling along x at a chosen speed; an episode ends at x = 1 m; "leg 0" is the ball. */
class RollingBall implements Scene {
  readonly dt = 0.1;
  x = 0;
  speed = 1;
  broken: Fault[] = [];
  spec(): SceneSpec {
    return { name: 'ball', upAxis: 'z', bodies: [{ name: 'ball', visuals: [] }], groundHalfSize: 1, followBody: 0 };
  }
  reset(): void {
    this.x = 0;
    this.broken = [];
  }
  step() {
    this.x += this.speed * (this.broken.length ? 0.5 : 1) * this.dt;
    return { done: this.x >= 1 - 1e-9, note: 'reached 1 m' };
  }
  writePoses(out: Float32Array): void {
    out.set([this.x, 0, 0, 0, 0, 0, 1]);
  }
  telemetry() {
    return { forward_velocity: this.speed, distance: this.x };
  }
  overlays() {
    return { ghostPath: [this.x, 0, 0, 1, 0, 0] };
  }
  legs() {
    return [{ joints: [], bodies: [0] }];
  }
  applyFault(f: Fault): void {
    this.broken.push(f);
  }
  command(control: string, value: unknown, host: { note(k: string, l: string): void }): string {
    this.speed = Number(value);
    host.note('speed', `speed ${this.speed}`);
    return `${control}: ${this.speed}`;
  }
  dispose(): void {}
}

const ROLLING: SceneDefinition = {
  id: 'test-rolling',
  title: 'Rolling ball',
  description: 'a test scene',
  declare: () => ({
    controls: [{ id: 'speed', kind: 'select', label: 'Speed', options: [{ value: '1', label: 'slow' }, { value: '2', label: 'fast' }], initial: '1' }],
    commands: { speed: z.enum(['1', '2']) },
    telemetry: [
      { key: 'forward_velocity', label: 'forward velocity', unit: 'm/s', group: 'velocity' },
      { key: 'distance', label: 'distance', unit: 'm', group: 'distance' },
    ],
    overlays: ['ghostPath'],
    legs: 1,
  }),
  create: async () => new RollingBall(),
};

describe('a scene declared in a test plugs into the host and the renderer', () => {
  it('runs on the host: one clock across episodes, its schema checks its commands, host faults fire on time', async () => {
    const h = await SceneHost.open(ROLLING, 0);
    const ball = h.scene as RollingBall;
    expect(h.spec().overlays).toEqual(['ghostPath', 'highlight']);
    await expect(h.command('speed', '3')).rejects.toThrow(/invalid value for "speed"/);
    await expect(h.command('spin', 1)).rejects.toThrow(/no control "spin" \(it has: fault, heal, speed\)/);
    expect(await h.command('fault', { leg: 0, at: 1.5 })).toMatch(/scheduled at t = 1.50/);
    for (let i = 0; i < 10; i++) await h.step(); // first episode: 1 m at 1 m/s
    expect(h.episode).toBe(1);
    expect(h.episodeTime).toBe(0);
    for (let i = 0; i < 6; i++) await h.step();
    expect(h.time).toBeCloseTo(1.6, 9);
    expect(ball.broken).toEqual([{ kind: 'cripple', leg: 0 }]); // fired at 1.5 s, in the second episode
    expect(h.overlays()).toEqual({ ghostPath: expect.any(Array), highlight: [0] });
    expect(await h.command('speed', '2')).toBe('speed: 2');
    const events = h.drainEvents();
    expect(events.map((e) => [e.kind, Number(e.time.toFixed(2))])).toEqual([
      ['episode', 1],
      ['fault', 1.5],
      ['speed', 1.6],
    ]);
    h.reset();
    expect([h.time, h.episode, h.frame]).toEqual([0, 0, 0]);
    h.dispose();
  });

  it("gives the renderer its controls, charts and overlays from the declaration alone", async () => {
    const info = await sceneInfo(ROLLING);
    expect(info.controls.map((c) => [c.id, c.kind])).toEqual([['speed', 'select'], ['fault', 'fault'], ['heal', 'button']]);
    expect('commands' in info).toBe(false); // schemas stay on the main side
    const charts = chartGroups(info.telemetry, ['distance', 'forward_velocity', 'extra']);
    expect(charts.map((c) => [c.group, c.unit, c.series.map((s) => s.label)])).toEqual([
      ['velocity', 'm/s', ['forward velocity']],
      ['distance', 'm', ['distance']],
      ['extra', '', ['extra']],
    ]);
    // each declared overlay is a renderer module by the registry's convention (one file per kind)
    for (const kind of info.overlays) expect(existsSync(resolve(__dirname, `../../src/renderer/src/three/overlays/${kind}.overlay.ts`)), kind).toBe(true);
  });
});
