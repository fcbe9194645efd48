import { afterAll, describe, expect, it } from 'vitest';
import type { SimSnapshot } from '../../shared/snapshot';
import { WorkbenchService } from './workbench';

const service = new WorkbenchService({ shell: 'browser', shellReason: 'test' });
afterAll(() => service.dispose());

function snapshotAt(sessionId: string, frame: number): Promise<SimSnapshot> {
  return new Promise((resolve) => {
    const off = service.on('sim.snapshot', (s) => {
      if (s.sessionId === sessionId && s.frame === frame) {
        off();
        resolve(s);
      }
    });
  });
}

describe('workbench service', () => {
  it('lists the demo scene and reports its physics backend', async () => {
    const scenes = await service.call('scene.list', {});
    expect(scenes.map((s) => s.id)).toContain('demo-falling');
    const info = await service.call('app.info', {});
    expect(info.physicsBackend).toMatch(/rapier/);
  });

  it('steps a simulation in a worker and streams pose snapshots that change', async () => {
    const { state, scene } = await service.call('sim.open', { sceneId: 'demo-falling', seed: 1, paused: true });
    expect(scene.bodies.length).toBeGreaterThan(10);
    const first = snapshotAt(state.sessionId, 1);
    await service.call('sim.control', { sessionId: state.sessionId, command: 'step', frames: 1 });
    const a = await first;
    const second = snapshotAt(state.sessionId, 61);
    await service.call('sim.control', { sessionId: state.sessionId, command: 'step', frames: 60 });
    const b = await second;
    expect(a.poses.length).toBe(scene.bodies.length * 7);
    expect(b.frame - a.frame).toBe(60);
    // Bodies fall: the highest ball (body 15) drops ~1.2 m in half a second of free fall.
    expect(b.poses[15 * 7 + 2]).toBeLessThan(a.poses[15 * 7 + 2] - 1);
    expect(b.poses.every(Number.isFinite)).toBe(true);
  });

  it('is deterministic: same seed, same poses', async () => {
    const run = async () => {
      const { state } = await service.call('sim.open', { sceneId: 'demo-falling', seed: 7, paused: true });
      const snap = snapshotAt(state.sessionId, 120);
      await service.call('sim.control', { sessionId: state.sessionId, command: 'step', frames: 120 });
      const s = await snap;
      await service.call('sim.close', { sessionId: state.sessionId });
      return Array.from(s.poses);
    };
    expect(await run()).toEqual(await run());
  });

  it('refuses scene commands a scene does not support, saying why', async () => {
    const { state } = await service.call('sim.open', { sceneId: 'demo-falling', paused: true });
    await expect(service.call('sim.command', { sessionId: state.sessionId, control: 'fault', value: { leg: 3 } })).rejects.toThrow(
      /no control "fault" \(it has: none\)/,
    );
    await expect(service.dispatch('sim.command', { sessionId: state.sessionId, control: 'fault melt', value: 1 })).rejects.toThrow(/invalid control/);
    await service.call('sim.close', { sessionId: state.sessionId });
  });

  it('refuses malformed requests with a message naming the field', async () => {
    await expect(service.dispatch('sim.open', { sceneId: 42 })).rejects.toThrow(/sim\.open: invalid sceneId/);
    await expect(service.dispatch('sim.control', { sessionId: 'x', command: 'explode' })).rejects.toThrow(/command/);
    await expect(service.dispatch('sim.setTimeScale', { sessionId: 'x', timeScale: 1e9 })).rejects.toThrow(/timeScale/);
    await expect(service.dispatch('sim.open', { sceneId: 'a', extra: true })).rejects.toThrow(/invalid/);
    await expect(service.dispatch('nope', {})).rejects.toThrow(/unknown method/);
    await expect(service.dispatch('sim.control', { sessionId: 'missing', command: 'pause' })).rejects.toThrow(/no simulation session/);
  });
});
