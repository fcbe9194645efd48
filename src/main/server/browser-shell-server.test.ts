import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_MAX_PAYLOAD } from '../../shared/channels';
import { MAX_CHUNK_BASE64, MAX_THUMBNAIL_BASE64, ROBOT_UPLOAD_CHUNK_BASE64 } from '../../shared/contract';
import { closedWithin, malformedFrames, rawUpgrade } from '../../../test/support/raw-ws';
import { startServerProcess, type ServerProcess } from '../../../test/support/server-process';
import { MAX_SIM_SESSIONS } from '../service/workbench';

// The real server in its own process: a frame that crashes it shows as an exit.
let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(() => server.stop());

/** A well-behaved client: a request/response helper over one WebSocket. */
async function client(): Promise<{ call(method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: { message: string } }>; sendRaw(text: string): Promise<{ ok: boolean; error?: { message: string } }>; close(): Promise<void> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}`, maxPayload: 64 * 2 ** 20 });
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  let next = 1;
  const waiting = new Map<number, (m: never) => void>();
  ws.on('message', (data, binary) => {
    if (binary) return;
    const m = JSON.parse(data.toString());
    if (typeof m.id === 'number') waiting.get(m.id)?.(m as never);
  });
  const wait = (id: number) => new Promise<never>((ok) => waiting.set(id, ok));
  return {
    call(method, params) {
      const id = next++;
      ws.send(JSON.stringify({ id, method, params }));
      return wait(id);
    },
    sendRaw(text) {
      ws.send(text);
      return wait(-1);
    },
    close: () => new Promise((ok) => (ws.once('close', () => ok()), ws.close())),
  };
}

async function serverAnswers(): Promise<void> {
  expect(server.alive(), server.stderr()).toBe(true);
  const r = await fetch(`http://127.0.0.1:${server.port}/api/info?token=${server.token}`);
  expect(r.status).toBe(200);
  const c = await client();
  const info = await c.call('app.info', {});
  expect(info.ok).toBe(true);
  await c.close();
}

describe('browser shell server under malformed input', () => {
  for (const { name, bytes } of malformedFrames(WS_MAX_PAYLOAD)) {
    it(`drops the client that sends one frame with: ${name}; keeps answering`, async () => {
      const sock = await rawUpgrade(server.port, server.token);
      sock.write(bytes);
      expect(await closedWithin(sock, 5000)).toBe(true);
      await serverAnswers();
    });
  }

  it('survives a client that resets the connection mid-handshake and mid-frame', async () => {
    const sock = await rawUpgrade(server.port, server.token);
    sock.write(Buffer.from([0x81, 0xfe, 0x10])); // a frame header cut short
    sock.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 50));
    await serverAnswers();
  });

  it('admits no request the frame limit would cut: the largest valid ones get an answer', async () => {
    // Each big field's limit, plus the envelope around it, fits in one frame.
    for (const max of [MAX_THUMBNAIL_BASE64, MAX_CHUNK_BASE64, ROBOT_UPLOAD_CHUNK_BASE64]) expect(max + 4096).toBeLessThan(WS_MAX_PAYLOAD);
    const c = await client();
    const thumb = Buffer.alloc((MAX_THUMBNAIL_BASE64 / 4) * 3, 1).toString('base64');
    expect(thumb.length).toBe(MAX_THUMBNAIL_BASE64);
    const r = await c.call('recording.finish', { recordingId: 'abcdef0123', thumbnailPng: thumb });
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/recording/);
    const tooBig = await c.call('recording.finish', { recordingId: 'abcdef0123', thumbnailPng: thumb + 'AAAA' });
    expect(tooBig.error?.message).toMatch(/thumbnailPng/);
    await c.close();
    await serverAnswers();
  });

  it('refuses invalid base64 instead of storing it as nothing', async () => {
    const c = await client();
    const r = await c.call('robot.upload', { files: [{ path: 'r/robot.urdf', base64: '<robot name="x"/>' }] });
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/base64/);
    await c.close();
  });

  it('answers a malformed envelope with one line saying what is wrong', async () => {
    const c = await client();
    for (const text of ['not json', JSON.stringify({ id: -1, method: 'app.info' }), JSON.stringify({ id: 1, method: 'app.info', extra: 1 })]) {
      const r = await c.sendRaw(text);
      expect(r.ok).toBe(false);
      expect(r.error?.message).not.toContain('\n');
      expect(r.error?.message).toMatch(/request is not JSON|malformed request envelope/);
    }
    await c.close();
  });

  it('answers malformed percent-encoding with 400, not 500', async () => {
    const r = await fetch(`http://127.0.0.1:${server.port}/%E0%A4%A.js?token=${server.token}`);
    expect(r.status).toBe(400);
  });

  it('refuses an unknown scene at once, and caps sessions; a client that leaves frees its sessions', async () => {
    const a = await client();
    const bad = await a.call('sim.open', { sceneId: 'no-such-scene' });
    expect(bad.error?.message).toMatch(/unknown scene "no-such-scene"/);
    const opens = await Promise.all(Array.from({ length: MAX_SIM_SESSIONS + 1 }, () => a.call('sim.open', { sceneId: 'demo-falling', paused: true })));
    expect(opens.filter((o) => o.ok)).toHaveLength(MAX_SIM_SESSIONS);
    expect(opens.find((o) => !o.ok)?.error?.message).toMatch(/sessions are open, the most at once/);
    await a.close();
    const b = await client();
    // The closes run after the socket closed: give them a moment, then there is room again.
    let again = await b.call('sim.open', { sceneId: 'demo-falling', paused: true });
    for (let i = 0; !again.ok && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await b.call('sim.open', { sceneId: 'demo-falling', paused: true });
    }
    expect(again.ok).toBe(true);
    await b.close();
  });
});
