/**
 * Picks the transport once, at start: the preload's IPC bridge in Electron, a WebSocket in
 * the browser shell. Everything else in the renderer sees only WorkbenchApi.
 */
import type { WorkbenchApi } from '../../../shared/contract';
import { connectWebSocket } from './ws-client';

declare global {
  interface Window {
    adaptlab?: WorkbenchApi;
  }
}

export async function connectBridge(): Promise<{ api: WorkbenchApi; onClose(cb: () => void): void }> {
  if (window.adaptlab) return { api: window.adaptlab, onClose: () => {} };
  const ws = await connectWebSocket(window.location);
  return { api: ws, onClose: (cb) => ws.onClose(cb) };
}
