/** Requests as they arrive over the WebSocket: one JSON envelope, errors in one readable line. */
import { requestEnvelope } from '../../shared/contract';

export interface Envelope {
  id: number;
  method: string;
  params: unknown;
}

export class EnvelopeError extends Error {
  override name = 'EnvelopeError';
}

/** Parses `{id, method, params}`; throws EnvelopeError with one line saying what is wrong. */
export function parseEnvelope(text: string): Envelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new EnvelopeError(`request is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = requestEnvelope.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'envelope';
    throw new EnvelopeError(`malformed request envelope: ${where}: ${issue?.message ?? 'invalid'} (expected {"id": integer >= 0, "method": string, "params": ...})`);
  }
  return r.data as Envelope;
}

/** The session a successful sim.open or robot.open created, if any. */
export function sessionOpened(method: string, result: unknown): string | undefined {
  if (method !== 'sim.open' && method !== 'robot.open') return undefined;
  const r = result as { ok?: boolean; state?: { sessionId?: string }; session?: { state?: { sessionId?: string } } } | null;
  return r?.state?.sessionId ?? (r?.ok ? r.session?.state?.sessionId : undefined);
}
