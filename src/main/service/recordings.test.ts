import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECORDING_CHUNK_BYTES, parseRequest } from '../../shared/contract';
import { RecordingStore } from './recordings';
import { listScenarios } from './scenarios';
import { WorkbenchService } from './workbench';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('RecordingStore', () => {
  it('assembles chunks in order into the recordings folder, never overwriting', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rec-test-'));
    const store = new RecordingStore(root);
    const bytes = new Uint8Array(RECORDING_CHUNK_BYTES + 1000).map((_, i) => i % 251);
    for (let round = 0; round < 2; round++) {
      const { recordingId, folder } = await store.begin('clip.mp4', bytes.length);
      expect(folder).toBe(join(root, 'recordings'));
      await store.chunk(recordingId, 0, b64(bytes.subarray(0, RECORDING_CHUNK_BYTES)));
      await store.chunk(recordingId, 1, b64(bytes.subarray(RECORDING_CHUNK_BYTES)));
      const info = await store.finish(recordingId, PNG.toString('base64'));
      expect(info.name).toBe(round === 0 ? 'clip.mp4' : 'clip-2.mp4');
      expect(Buffer.compare(readFileSync(info.path), Buffer.from(bytes))).toBe(0);
      expect(info.thumbnail).toBe(`${info.path}.png`);
    }
    expect((await store.list()).map((r) => r.name).sort()).toEqual(['clip-2.mp4', 'clip.mp4']);
    expect(await store.thumbnail('clip.mp4')).toBe(PNG.toString('base64'));
    expect(await store.thumbnail('none.mp4')).toBeNull();
    await expect(store.thumbnail('../clip.mp4')).rejects.toThrow(/plain file name/);
    expect(readdirSync(join(root, 'recordings')).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('aborts on out-of-order chunks, oversize data and incomplete files, leaving nothing behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rec-test-'));
    const store = new RecordingStore(root, 1000);
    await expect(store.begin('big.mp4', 1001)).rejects.toThrow(/over the limit/);
    const a = await store.begin('a.mp4', 10);
    await expect(store.chunk(a.recordingId, 1, b64(new Uint8Array(5)))).rejects.toThrow(/out of order/);
    await expect(store.chunk(a.recordingId, 0, b64(new Uint8Array(5)))).rejects.toThrow(/no recording upload/);
    const b = await store.begin('b.mp4', 10);
    await expect(store.chunk(b.recordingId, 0, b64(new Uint8Array(11)))).rejects.toThrow(/larger than/);
    const c = await store.begin('c.mp4', 10);
    await store.chunk(c.recordingId, 0, b64(new Uint8Array(5)));
    await expect(store.finish(c.recordingId)).rejects.toThrow(/incomplete: 5 of 10/);
    expect(readdirSync(join(root, 'recordings'))).toEqual([]);
  });

  it('the contract refuses path-like names and oversized chunks', () => {
    expect(() => parseRequest('recording.begin', { name: '../x.mp4', bytes: 10 })).toThrow(/name/);
    expect(() => parseRequest('recording.begin', { name: 'x.exe', bytes: 10 })).toThrow(/name/);
    expect(() => parseRequest('recording.begin', { name: 'x.mp4', bytes: 0 })).toThrow(/bytes/);
    expect(() => parseRequest('recording.chunk', { recordingId: 'abcdef12', index: 0, data: 'A'.repeat(800_000) })).toThrow(/data/);
    expect(parseRequest('recording.begin', { name: 'ok-1.webm', bytes: 10 }).params).toEqual({ name: 'ok-1.webm', bytes: 10 });
  });
});

describe('scenarios and recordings in the service', () => {
  it('lists shipped scenarios with what keeps each from recording', () => {
    const list = listScenarios([{ id: 'demo-falling', title: '', description: '', controls: [], telemetry: [], overlays: [] }]);
    const demo = list.find((s) => s.file === 'demo-falling.json')!;
    const ant = list.find((s) => s.file === 'ant-broken-leg.json')!;
    expect(demo.problems).toEqual([]);
    expect(ant.problems).toEqual(['scene adapt-ant is not available (available: demo-falling)']);
  });

  it('sim.open reports dt; scenario.list checks scenarios against the real scenes; uploads go to runs', async () => {
    const runs = mkdtempSync(join(tmpdir(), 'rec-test-'));
    const service = new WorkbenchService({ shell: 'browser', shellReason: 'test', runsRoot: runs });
    try {
      const opened = await service.call('sim.open', { sceneId: 'demo-falling', paused: true });
      expect(opened.dt).toBeCloseTo(1 / 120);
      const scenarios = await service.call('scenario.list', {});
      expect(scenarios.find((s) => s.file === 'demo-falling.json')!.problems).toEqual([]);
      const ant = scenarios.find((s) => s.file === 'ant-broken-leg.json')!;
      // The showcase scenario records the adaptation scene, which runs GrBAL with the shipped checkpoints.
      expect(ant.scenario?.env).toBe('adapt-ant');
      expect(ant.problems).toEqual([]);
      const { recordingId, folder } = await service.call('recording.begin', { name: 'a.mp4', bytes: 3 });
      expect(folder).toBe(join(runs, 'recordings'));
      await service.call('recording.chunk', { recordingId, index: 0, data: b64(new Uint8Array([1, 2, 3])) });
      expect((await service.call('recording.finish', { recordingId })).path).toBe(join(runs, 'recordings', 'a.mp4'));
      expect((await service.call('recording.list', {})).map((r) => r.name)).toEqual(['a.mp4']);
      await expect(service.call('recording.begin', { name: 'a.mp4', bytes: 3, runId: 'no-such-run' })).rejects.toThrow(/no run folder/);
      expect(existsSync(join(runs, 'no-such-run'))).toBe(false);
    } finally {
      await service.dispose();
    }
  });
});
