/**
 * The browser shell: the workbench service behind a local HTTP + WebSocket server bound to
 * 127.0.0.1. Serves the built renderer and carries the contract over one WebSocket.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_INFO_PATH, TOKEN_QUERY, WS_MAX_PAYLOAD, WS_PATH } from '../../shared/channels';
import { EVENT_NAMES, type ResponseEnvelope } from '../../shared/contract';
import { encodeSnapshot } from '../../shared/wire';
import type { WorkbenchService } from '../service/workbench';
import { checkRequest, tokenCookie } from './auth';
import { contentSecurityPolicy } from './csp';
import { parseEnvelope, sessionOpened } from './envelope';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** Snapshots are dropped for a client whose socket has this much unsent data (a slow tab). */
const MAX_BUFFERED = 4 * 1024 * 1024;

export interface BrowserShellServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export interface ServerOptions {
  service: WorkbenchService;
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); a fresh random one per start otherwise. */
  token?: string;
}

export async function startBrowserShellServer(opts: ServerOptions): Promise<BrowserShellServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`renderer not built: ${join(root, 'index.html')} is missing (run "npm run build")`);
  }
  let port = 0;

  const http = createServer((req, res) => {
    const auth = checkRequest(req, token, port, req.method !== 'GET' && req.method !== 'HEAD');
    if (!auth.ok) return deny(res, auth.status, auth.reason);
    if (auth.fromQuery) res.setHeader('Set-Cookie', tokenCookie(token));
    void serve(req, res).catch((err) => deny(res, 500, String(err)));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === API_INFO_PATH) {
      const info = await opts.service.call('app.info', {});
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(info));
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return deny(res, 400, 'malformed percent-encoding in the path');
    }
    if (rel === '/' || !extname(rel)) rel = '/index.html';
    const file = normalize(join(root, rel));
    if (file !== root && !file.startsWith(root + sep)) return deny(res, 403, 'outside the app');
    if (!existsSync(file) || !statSync(file).isFile()) return deny(res, 404, `not found: ${rel}`);
    const headers: Record<string, string> = {
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': rel === '/index.html' ? 'no-store' : 'max-age=3600',
    };
    if (rel === '/index.html') {
      headers['Content-Security-Policy'] = contentSecurityPolicy(`ws://127.0.0.1:${port} ws://localhost:${port}`);
      headers['X-Frame-Options'] = 'DENY';
    }
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD });
  wss.on('error', (err) => opts.service.log('warn', 'server', `WebSocket server: ${err.message}`));
  http.on('upgrade', (req, socket, head) => {
    // Node takes its own 'error' listener off an upgraded socket: without ours, a reset during
    // the handshake would be an unhandled 'error' event, which ends the process.
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const auth = path === WS_PATH ? checkRequest(req, token, port, true) : ({ ok: false, status: 403, reason: 'no such endpoint' } as const);
    if (!auth.ok) {
      socket.end(`HTTP/1.1 ${auth.status} ${auth.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    // A malformed frame (too long, reserved bits, unmasked, bad opcode, bad UTF-8, bad close
    // code) makes ws emit 'error' and close the socket: that client is gone, the server stays.
    ws.on('error', (err) => {
      opts.service.log('warn', 'server', `WebSocket client dropped: ${err.message}`);
      ws.terminate();
    });
    // Sessions this client opened close with it (a reloaded tab must not leak workers).
    const owned = new Set<string>();
    const offs = EVENT_NAMES.map((event) =>
      opts.service.on(event, (payload: unknown) => {
        if (ws.readyState !== ws.OPEN) return;
        if (event === 'sim.snapshot') {
          if (ws.bufferedAmount > MAX_BUFFERED) return;
          ws.send(encodeSnapshot(payload as never));
        } else {
          ws.send(JSON.stringify({ event, payload }));
        }
      }),
    );
    ws.on('close', () => {
      offs.forEach((off) => off());
      for (const sessionId of owned) void opts.service.call('sim.close', { sessionId }).catch(() => undefined);
      owned.clear();
    });
    ws.on('message', async (data, isBinary) => {
      let id = -1;
      try {
        if (isBinary) throw new Error('binary requests are not part of the contract');
        const env = parseEnvelope(data.toString());
        id = env.id;
        const result = await opts.service.dispatch(env.method, env.params);
        const opened = sessionOpened(env.method, result);
        if (opened) {
          if (ws.readyState === ws.OPEN) owned.add(opened);
          else void opts.service.call('sim.close', { sessionId: opened }).catch(() => undefined);
        }
        if (env.method === 'sim.close') owned.delete((env.params as { sessionId?: string })?.sessionId ?? '');
        reply(ws, { id, ok: true, result });
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        reply(ws, { id, ok: false, error: { name: e.name, message: e.message } });
      }
    });
  }

  await new Promise<void>((ok, fail) => {
    http.once('error', fail);
    http.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (http.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?${TOKEN_QUERY}=${token}`;
  return {
    url,
    token,
    port,
    close: () =>
      new Promise<void>((ok) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => ok());
      }),
  };
}

function reply(ws: WebSocket, msg: ResponseEnvelope): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

function deny(res: ServerResponse, status: number, reason: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${status} ${reason}\n`);
}
