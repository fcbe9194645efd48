/**
 * The contract over a WebSocket, for the browser shell. Requests are JSON envelopes; events
 * arrive as JSON, except pose snapshots, which arrive as binary frames (shared/wire.ts).
 */
import { TOKEN_QUERY, WS_PATH } from '../../../shared/channels';
import type { EventName, Events, Method, Params, Results, ResponseEnvelope, WorkbenchApi } from '../../../shared/contract';
import { decodeSnapshot } from '../../../shared/wire';

export class RemoteError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export function connectWebSocket(loc: Location): Promise<WorkbenchApi & { onClose(cb: () => void): void }> {
  const token = new URLSearchParams(loc.search).get(TOKEN_QUERY);
  const url = `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${WS_PATH}${token ? `?${TOKEN_QUERY}=${encodeURIComponent(token)}` : ''}`;
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const handlers = new Map<EventName, Set<(p: unknown) => void>>();
  const closeHandlers: (() => void)[] = [];
  let nextId = 1;

  const emit = (event: EventName, payload: unknown) => handlers.get(event)?.forEach((h) => h(payload));

  ws.onmessage = (ev) => {
    if (ev.data instanceof ArrayBuffer) return emit('sim.snapshot', decodeSnapshot(ev.data));
    const msg = JSON.parse(ev.data as string);
    if ('event' in msg) return emit(msg.event, msg.payload);
    const r = msg as ResponseEnvelope;
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    if (r.ok) p.resolve(r.result);
    else p.reject(new RemoteError(r.error.name, r.error.message));
  };
  ws.onclose = () => {
    for (const p of pending.values()) p.reject(new Error('connection to the workbench closed'));
    pending.clear();
    closeHandlers.forEach((cb) => cb());
  };

  const api = {
    invoke<M extends Method>(method: M, params: Params<M>): Promise<Results[M]> {
      return new Promise((resolve, reject) => {
        if (ws.readyState !== WebSocket.OPEN) return reject(new Error('not connected to the workbench'));
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): () => void {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as (p: unknown) => void);
      return () => set!.delete(handler as (p: unknown) => void);
    },
    onClose(cb: () => void) {
      closeHandlers.push(cb);
    },
  };
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve(api);
    ws.onerror = () => reject(new Error(`could not connect to the workbench at ${loc.host} (is the server running, is the token right?)`));
  });
}
