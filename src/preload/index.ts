/**
 * Exposes the contract to the sandboxed renderer. ipcRenderer itself never crosses the bridge:
 * only `invoke` (one channel, validated again on the main side) and `on` for known events.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../shared/channels';
import { EVENT_NAMES, type EventName, type WorkbenchApi } from '../shared/contract';

const handlers = new Map<EventName, Set<(p: unknown) => void>>();

ipcRenderer.on(IPC_EVENT, (_e: IpcRendererEvent, event: EventName, payload: unknown) => {
  handlers.get(event)?.forEach((h) => h(payload));
});

const api: WorkbenchApi = {
  async invoke(method, params) {
    const r = await ipcRenderer.invoke(IPC_INVOKE, method, params);
    if (!r.ok) {
      const err = new Error(r.error.message);
      err.name = r.error.name;
      throw err;
    }
    return r.result;
  },
  on(event, handler) {
    if (!EVENT_NAMES.includes(event)) throw new Error(`unknown event "${String(event)}"`);
    let set = handlers.get(event);
    if (!set) handlers.set(event, (set = new Set()));
    set.add(handler as (p: unknown) => void);
    return () => set!.delete(handler as (p: unknown) => void);
  },
};

contextBridge.exposeInMainWorld('adaptlab', api);
