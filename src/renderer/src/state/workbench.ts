/**
 * The renderer's state: what the service told us, kept in one reactive object. Pose buffers
 * stay outside reactivity (they change 60 times a second and only the viewport reads them).
 */
import { markRaw, reactive } from 'vue';
import type { AppInfo, LogEntry, SceneInfo, WorkbenchApi } from '../../../shared/contract';
import type { SceneSpec } from '../../../shared/scene';
import type { SessionState, SimSnapshot } from '../../../shared/snapshot';

const HISTORY = 600;
const MAX_LOG = 500;

export interface Telemetry {
  time: number[];
  series: Record<string, number[]>;
  /** Bumped when new points arrive, so charts redraw at their own pace. */
  version: number;
}

export function createWorkbench(api: WorkbenchApi) {
  const state = reactive({
    ready: false,
    connected: true,
    info: null as AppInfo | null,
    scenes: [] as SceneInfo[],
    session: null as SessionState | null,
    scene: null as SceneSpec | null,
    logs: [] as LogEntry[],
    telemetry: { time: [], series: {}, version: 0 } as Telemetry,
    lastTelemetry: {} as Record<string, number>,
    selectedBody: -1,
    simTime: 0,
    frame: 0,
    realTimeFactor: 0,
    fps: 0,
    error: '',
  });
  /** Latest poses, read by the viewport each animation frame. */
  const live = { poses: null as Float32Array | null, version: 0 };

  function log(level: LogEntry['level'], source: string, message: string): void {
    state.logs.push({ level, source, message, time: Date.now() });
    if (state.logs.length > MAX_LOG) state.logs.splice(0, state.logs.length - MAX_LOG);
  }

  function onSnapshot(s: SimSnapshot): void {
    if (!state.session || s.sessionId !== state.session.sessionId) return;
    live.poses = s.poses;
    live.version++;
    state.simTime = s.time;
    state.frame = s.frame;
    state.realTimeFactor = s.realTimeFactor;
    state.lastTelemetry = s.telemetry;
    const t = state.telemetry;
    if (t.time.length && s.time < t.time[t.time.length - 1]) clearTelemetry();
    t.time.push(s.time);
    for (const [k, v] of Object.entries(s.telemetry)) (t.series[k] ??= new Array(t.time.length - 1).fill(null)).push(v);
    if (t.time.length > HISTORY) {
      t.time.splice(0, t.time.length - HISTORY);
      for (const k in t.series) t.series[k].splice(0, t.series[k].length - HISTORY);
    }
    t.version++;
  }

  function clearTelemetry(): void {
    state.telemetry.time = [];
    state.telemetry.series = {};
    state.telemetry.version++;
  }

  api.on('sim.snapshot', onSnapshot);
  api.on('sim.state', (s) => {
    if (state.session && s.sessionId === state.session.sessionId) state.session = s;
  });
  api.on('log', (e) => {
    state.logs.push(e);
    if (state.logs.length > MAX_LOG) state.logs.splice(0, state.logs.length - MAX_LOG);
  });

  async function guard<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      state.error = '';
      return await fn();
    } catch (err) {
      state.error = `${what}: ${err instanceof Error ? err.message : String(err)}`;
      log('error', 'ui', state.error);
      return undefined;
    }
  }

  const actions = {
    async init() {
      await guard('start', async () => {
        state.info = await api.invoke('app.info', {});
        state.scenes = await api.invoke('scene.list', {});
        log('info', 'ui', `${state.info.shell} shell (${state.info.shellReason}); physics ${state.info.physicsBackend}`);
        if (state.scenes.length) await actions.openScene(state.scenes[0].id);
        state.ready = true;
      });
    },
    async openScene(sceneId: string) {
      await guard('open scene', async () => {
        const old = state.session;
        const opened = await api.invoke('sim.open', { sceneId, seed: 0 });
        state.scene = markRaw(opened.scene);
        state.session = opened.state;
        state.selectedBody = -1;
        live.poses = null;
        clearTelemetry();
        if (old) await api.invoke('sim.close', { sessionId: old.sessionId });
      });
    },
    async control(command: 'pause' | 'resume' | 'reset' | 'step') {
      const s = state.session;
      if (!s) return;
      await guard(command, async () => {
        state.session = await api.invoke('sim.control', { sessionId: s.sessionId, command, ...(command === 'step' ? { frames: 1 } : {}) });
        if (command === 'reset') clearTelemetry();
      });
    },
    async setTimeScale(timeScale: number) {
      const s = state.session;
      if (!s) return;
      await guard('time scale', async () => {
        state.session = await api.invoke('sim.setTimeScale', { sessionId: s.sessionId, timeScale });
      });
    },
    select(body: number) {
      state.selectedBody = body;
    },
  };

  return { state, live, actions, log, api };
}

export type Workbench = ReturnType<typeof createWorkbench>;
export const WORKBENCH = Symbol('workbench');
