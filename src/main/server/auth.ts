/**
 * Who may talk to the browser shell's server: requests that carry the per-start token (query
 * or cookie), addressed to our own host name (no DNS rebinding), and, for WebSockets and
 * state-changing requests, sent from our own origin.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_COOKIE, TOKEN_QUERY } from '../../shared/channels';

export type AuthResult = { ok: true; fromQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function checkRequest(req: IncomingMessage, token: string, port: number, requireOrigin: boolean): AuthResult {
  const host = req.headers.host ?? '';
  if (!allowedHosts(port).includes(host)) return { ok: false, status: 403, reason: `foreign Host "${host}"` };
  const origin = req.headers.origin;
  if (origin !== undefined || requireOrigin) {
    const allowed = allowedHosts(port).map((h) => `http://${h}`);
    if (!origin || !allowed.includes(origin)) return { ok: false, status: 403, reason: `foreign Origin "${origin ?? '(none)'}"` };
  }
  const url = new URL(req.url ?? '/', `http://${host}`);
  const q = url.searchParams.get(TOKEN_QUERY);
  if (q !== null && sameSecret(q, token)) return { ok: true, fromQuery: true };
  const c = cookieToken(req);
  if (c !== null && sameSecret(c, token)) return { ok: true, fromQuery: false };
  return { ok: false, status: 401, reason: q !== null || c !== null ? 'wrong token' : 'missing token' };
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
