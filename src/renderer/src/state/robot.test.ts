import { describe, expect, it } from 'vitest';
import { createRobotStore } from './robot';
import type { Workbench } from './workbench';

describe('robot store uploads', () => {
  it('sends big files in chunks under the frame limit, then opens the URDF', async () => {
    const calls: { method: string; params: any }[] = [];
    const api = {
      async invoke(method: string, params: any) {
        calls.push({ method, params });
        if (method === 'robot.upload') return { uploadId: 'u1', files: 2, bytes: 0, urdfs: ['r/robot.urdf'] };
        if (method === 'robot.open') return { ok: false, error: { code: 'x', message: 'stop here' } };
        if (method === 'robot.recent') return { recent: [] };
        throw new Error(method);
      },
      on: () => () => undefined,
    };
    const wb = { api, state: { session: null }, actions: {}, log: () => undefined } as unknown as Workbench;
    const store = createRobotStore(wb);
    const big = new Uint8Array(1_200_000).map((_, i) => i % 251);
    await store.actions.upload([
      { path: 'r/robot.urdf', data: new TextEncoder().encode('<robot name="r"/>').buffer as ArrayBuffer },
      { path: 'r/meshes/big.stl', data: big.buffer },
      { path: 'r/.git/config', data: new ArrayBuffer(3) },
    ]);
    const uploads = calls.filter((c) => c.method === 'robot.upload');
    expect(uploads.length).toBeGreaterThanOrEqual(3);
    for (const u of uploads) expect(JSON.stringify(u.params).length).toBeLessThan(1024 * 1024 - 1024);
    const chunks = uploads.flatMap((u) => u.params.files).filter((f: any) => f.path === 'r/meshes/big.stl');
    const joined = chunks.flatMap((c: any) => Array.from(atob(c.base64), (ch) => ch.charCodeAt(0)));
    expect(joined.length).toBe(big.length);
    expect(joined.every((v: number, i: number) => v === big[i])).toBe(true);
    expect(chunks.map((c: any) => c.offset ?? 0)).toEqual([0, 491520, 983040]);
    expect(uploads.slice(1).every((u) => u.params.uploadId === 'u1')).toBe(true);
    expect(uploads.flatMap((u) => u.params.files).some((f: any) => f.path.includes('.git'))).toBe(false);
    expect(calls.find((c) => c.method === 'robot.open')!.params).toEqual({ upload: { uploadId: 'u1', file: 'r/robot.urdf' } });
    expect(store.state.error?.message).toBe('stop here');
  });
});
