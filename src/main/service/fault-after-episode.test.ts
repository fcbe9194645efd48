/**
 * Issue 17's reproduced bug: the clock a fault is scheduled on and the clock it fires on are one.
 * After the Ant's first 50 s episode, "break leg at 52 s" must have fired by 55 s.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SimEvent, SimSnapshot } from '../../shared/snapshot';
import { WorkbenchService } from './workbench';

const service = new WorkbenchService({ shell: 'browser', shellReason: 'test' });
afterAll(() => service.dispose());

describe('fault timing across episodes', () => {
  it('fires "break leg at 52 s" after the first 50 s episode has ended', async () => {
    const { state, dt } = await service.call('sim.open', { sceneId: 'Ant-v0', seed: 0, paused: true });
    const id = state.sessionId;
    const events: SimEvent[] = [];
    let last: SimSnapshot | null = null;
    const off = service.on('sim.snapshot', (s) => {
      if (s.sessionId !== id) return;
      events.push(...(s.events ?? []));
      last = s;
    });
    // the first episode ends at 50 s at the latest (1000 steps of 50 ms)
    await service.call('sim.control', { sessionId: id, command: 'step', frames: Math.round(51 / dt) });
    expect(events.some((e) => e.kind === 'episode')).toBe(true);
    await service.call('sim.command', { sessionId: id, control: 'fault', value: { leg: 3, at: 52 } });
    await service.call('sim.control', { sessionId: id, command: 'step', frames: Math.round(1.5 / dt) });
    expect((last!.overlays?.highlight as number[]).length).toBe(2); // the broken leg is drawn
    await service.call('sim.control', { sessionId: id, command: 'step', frames: Math.round(2.5 / dt) });
    off();
    const fault = events.find((e) => e.kind === 'fault');
    expect(fault?.label).toMatch(/leg 3/);
    expect(fault!.time).toBeCloseTo(52, 1);
    expect(last!.time).toBeCloseTo(55, 1);
    // one time base: session time goes on across episodes; episode time restarts with each
    expect(last!.episode).toBeGreaterThanOrEqual(1);
    expect(last!.episodeTime).toBeLessThan(last!.time);
  }, 120_000);
});
