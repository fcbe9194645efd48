/**
 * Server soak: sends a bounded, seeded mix of malformed WebSocket frames, malformed and
 * schema-invalid requests, raw HTTP garbage, bursts, and hostile robot files to the real
 * browser-shell server on 127.0.0.1, and checks after every batch that it still answers.
 *   npm run soak:server -- [--rounds N] [--seed S]
 * Prints one JSON summary line (and saves it under bench/results/); exits 1 if the server died
 * or stopped answering, or if a hostile robot.open delayed /api/info by more than 100 ms.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WS_MAX_PAYLOAD } from '../src/shared/channels';
import { closedWithin, malformedFrames, rawUpgrade } from '../test/support/raw-ws';
import { startServerProcess } from '../test/support/server-process';

const argv = process.argv.slice(2);
const opt = (k: string, d: number) => {
  const i = argv.indexOf(`--${k}`);
  const v = i >= 0 ? Number(argv[i + 1]) : d;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${k} expects a non-negative integer`);
  return v;
};
const rounds = opt('rounds', 5);
let seed = opt('seed', 1) >>> 0;
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];

// Methods whose valid calls have effects outside the server (open a folder, start training) are
// only ever sent with junk parameters.
const METHODS = ['app.info', 'scene.list', 'sim.open', 'sim.close', 'sim.control', 'sim.setTimeScale', 'sim.command', 'robot.open', 'robot.upload',
  'robot.setJoints', 'robot.setMode', 'robot.recent', 'job.start', 'job.cancel', 'job.resume', 'job.list', 'runs.list', 'runs.metrics', 'runs.reveal',
  'scenario.list', 'recording.begin', 'recording.chunk', 'recording.finish', 'recording.abort', 'recording.list', 'recording.thumbnail', 'recording.reveal', 'no.such'];
function junk(depth = 0): unknown {
  const r = rand();
  if (depth > 3 || r < 0.2) return pick([null, true, -1, 1e308, -0, '', 'x'.repeat(Math.floor(rand() * 5000)), '../../etc/passwd', '\u0000', NaN]);
  if (r < 0.6) {
    const o: Record<string, unknown> = {};
    for (const k of ['sessionId', 'sceneId', 'path', 'seed', 'command', 'files', 'recordingId', 'name', 'runId', 'algo', 'env', 'steps', '__proto__', 'constructor'].filter(() => rand() < 0.3)) o[k] = junk(depth + 1);
    return o;
  }
  return Array.from({ length: Math.floor(rand() * 4) }, () => junk(depth + 1));
}

const server = await startServerProcess();
const base = `http://127.0.0.1:${server.port}`;
const counts = { frames: 0, requests: 0, http: 0, bursts: 0, hostileOpens: 0, answersAfterBatch: 0 };
const infoLatencyMs: number[] = [];
let failure: string | null = null;

async function infoMs(): Promise<number> {
  const t = performance.now();
  const r = await fetch(`${base}/api/info?token=${server.token}`);
  if (r.status !== 200) throw new Error(`/api/info answered ${r.status}`);
  await r.text();
  return performance.now() - t;
}
async function check(what: string): Promise<void> {
  if (!server.alive()) throw new Error(`server died after ${what}: ${server.stderr().slice(-500)}`);
  infoLatencyMs.push(await infoMs());
  counts.answersAfterBatch++;
}
async function wsClient(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: base, maxPayload: 64 * 2 ** 20 });
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  ws.on('error', () => undefined);
  ws.setMaxListeners(0);
  return ws;
}
function rawHttp(text: string): Promise<void> {
  return new Promise((ok) => {
    const s = connect(server.port, '127.0.0.1', () => s.end(text));
    s.on('error', () => ok());
    s.on('close', () => ok());
    s.setTimeout(3000, () => s.destroy());
    s.resume();
  });
}

/** /api/info latency while a hostile URDF is being opened (the max over the open). */
async function hostileOpen(file: string): Promise<number> {
  const ws = await wsClient();
  const done = new Promise<void>((ok) => ws.on('message', (d, binary) => !binary && JSON.parse(d.toString()).id === 1 && ok()));
  ws.send(JSON.stringify({ id: 1, method: 'robot.open', params: { path: file } }));
  let worst = 0;
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    worst = Math.max(worst, await infoMs());
    await new Promise((r) => setTimeout(r, 5));
  }
  ws.close();
  counts.hostileOpens++;
  return worst;
}

const hostileDir = mkdtempSync(join(tmpdir(), 'adaptlab-soak-'));
const hostile: Record<string, number> = {};
try {
  for (let round = 0; round < rounds && !failure; round++) {
    for (const { name, bytes } of malformedFrames(WS_MAX_PAYLOAD)) {
      const sock = await rawUpgrade(server.port, server.token);
      sock.write(bytes);
      if (!(await closedWithin(sock, 5000))) throw new Error(`socket not closed after "${name}"`);
      counts.frames++;
    }
    await check('malformed frames');
    const ws = await wsClient();
    for (let i = 0; i < 200; i++) {
      const r = rand();
      const text = r < 0.1 ? '{"id":' : r < 0.2 ? JSON.stringify({ id: i, method: pick(METHODS) }) : JSON.stringify({ id: i, method: pick(METHODS), params: junk() });
      ws.send(text);
      counts.requests++;
    }
    await check('invalid requests');
    for (const text of [
      'GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`,
      'BREW /pot HTCPCP/1.0\r\n\r\n',
      `POST /api/info?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Length: 99999999\r\n\r\nxx`,
      `GET /ws?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${'X-A: b\r\n'.repeat(5000)}\r\n`,
      '\u0000\u0001\u0002garbage\r\n\r\n',
    ]) {
      await rawHttp(text);
      counts.http++;
    }
    await check('raw HTTP');
    await Promise.all(Array.from({ length: 500 }, () => new Promise<void>((ok) => {
      const id = counts.requests++;
      ws.on('message', function m(d, binary) {
        if (!binary && JSON.parse(d.toString()).id === id + 1_000_000) (ws.off('message', m), ok());
      });
      ws.send(JSON.stringify({ id: id + 1_000_000, method: 'app.info', params: {} }));
    })));
    counts.bursts++;
    ws.close();
    await check('a burst of 500 requests');
  }
  // Hostile robot files: the server must go on answering while they are opened.
  const digits = '1'.repeat(60_000);
  const files: Record<string, string> = {
    'number of 60,000 digits': `<robot name="r"><link name="a"><inertial><mass value="${digits}"/></inertial></link></robot>`,
    'origin of 200 kB': `<robot name="r"><link name="a"/><link name="b"/><joint name="j" type="fixed"><parent link="a"/><child link="b"/><origin xyz="${'1'.repeat(200_000)}x 0 0"/></joint></robot>`,
    'chain of 8000 links': `<robot name="r">${Array.from({ length: 8000 }, (_, i) => `<link name="l${i}"/>`).join('')}${Array.from({ length: 7999 }, (_, i) => `<joint name="j${i}" type="revolute"><parent link="l${i}"/><child link="l${i + 1}"/><axis xyz="0 0 1"/><limit lower="-1" upper="1" effort="1" velocity="1"/></joint>`).join('')}</robot>`,
  };
  for (const [name, text] of Object.entries(files)) {
    const f = join(hostileDir, `${name.replace(/\W+/g, '-')}.urdf`);
    writeFileSync(f, text);
    hostile[name] = Math.round(await hostileOpen(f));
  }
  await check('hostile robot files');
} catch (e) {
  failure = e instanceof Error ? e.message : String(e);
} finally {
  rmSync(hostileDir, { recursive: true, force: true });
}

const sorted = [...infoLatencyMs].sort((a, b) => a - b);
const worstHostile = Math.max(0, ...Object.values(hostile));
const summary = {
  rounds,
  seed: opt('seed', 1),
  ...counts,
  alive: server.alive(),
  infoLatencyMs: { median: Math.round(sorted[sorted.length >> 1] ?? NaN), max: Math.round(sorted[sorted.length - 1] ?? NaN) },
  infoLatencyDuringHostileOpenMs: hostile,
  failure,
  ok: !failure && server.alive() && worstHostile <= 100,
};
await server.stop();
console.log(JSON.stringify(summary));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/soak-server.json', JSON.stringify(summary, null, 2) + '\n');
process.exit(summary.ok ? 0 : 1);
