/**
 * The renderer's state: what the service told us, kept in one reactive object. Pose buffers
 * stay outside reactivity (they change 60 times a second and only the viewport reads them).
 */
import { markRaw, reactive } from 'vue';
import type { AppInfo, JobInfo, LogEntry, MetricSeries, OpenedSession, Params, RunSummary, SceneInfo, TrainerInfo, WorkbenchApi } from '../../../shared/contract';
import type { SceneSpec } from '../../../shared/scene';
import type { SessionState, SimEvent, SimSnapshot } from '../../../shared/snapshot';

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
    /** Events of the current episode (chart markers, log). */
    events: [] as SimEvent[],
    lastTelemetry: {} as Record<string, number>,
    selectedBody: -1,
    view: 'simulate' as 'simulate' | 'runs',
    jobs: [] as JobInfo[],
    runs: [] as RunSummary[],
    /** The trainer registry ('trainers.list'): the Runs form is built from it. */
    trainers: [] as TrainerInfo[],
    /** Runs ticked for comparison, and their metrics (fetched on demand). */
    compare: [] as string[],
    metrics: {} as Record<string, MetricSeries>,
    /** Session time (the one time base of charts, events and fault times), episode and time into it. */
    simTime: 0,
    episode: 0,
    episodeTime: 0,
    frame: 0,
    realTimeFactor: 0,
    fps: 0,
    error: '',
    /** Which geometry the viewport draws (the robot panel's visual/collision toggles). */
    viewLayers: { visual: true, collision: false },
    /** Bumped to ask the viewport to frame the bodies (after a robot loads). */
    frameRequest: 0,
  });
  /** Latest poses, read by the viewport each animation frame. */
  const live = { poses: null as Float32Array | null, overlays: {} as Record<string, unknown>, version: 0, frame: -1 };

  function log(level: LogEntry['level'], source: string, message: string): void {
    state.logs.push({ level, source, message, time: Date.now() });
    if (state.logs.length > MAX_LOG) state.logs.splice(0, state.logs.length - MAX_LOG);
  }

  function onSnapshot(s: SimSnapshot): void {
    if (!state.session || s.sessionId !== state.session.sessionId) return;
    live.poses = s.poses;
    live.overlays = s.overlays ?? {};
    live.frame = s.frame;
    live.version++;
    const t = state.telemetry;
    const last = t.time.length ? t.time[t.time.length - 1] : -Infinity;
    if (s.time < last) clearTelemetry(); // a reset: session time starts again
    for (const e of s.events ?? []) {
      state.events.push(e);
      log('info', 'sim', `t = ${e.time.toFixed(2)} s: ${e.label}`);
    }
    state.simTime = s.time;
    state.episode = s.episode;
    state.episodeTime = s.episodeTime;
    state.frame = s.frame;
    state.realTimeFactor = s.realTimeFactor;
    state.lastTelemetry = s.telemetry;
    // A snapshot at the same sim time (pause, a command) adds no point: charts need increasing x.
    if (s.time <= last) return;
    t.time.push(s.time);
    for (const [k, v] of Object.entries(s.telemetry)) {
      (t.series[k] ??= new Array(t.time.length - 1).fill(null)).push(Number.isFinite(v) ? v : (null as unknown as number));
    }
    if (t.time.length > HISTORY) {
      t.time.splice(0, t.time.length - HISTORY);
      for (const k in t.series) t.series[k].splice(0, t.series[k].length - HISTORY);
    }
    t.version++;
  }

  function clearTelemetry(): void {
    state.simTime = state.episodeTime = state.episode = state.frame = 0;
    state.events = [];
    state.telemetry.time = [];
    state.telemetry.series = {};
    state.telemetry.version++;
  }

  api.on('sim.snapshot', onSnapshot);
  api.on('sim.state', (s) => {
    if (state.session && s.sessionId === state.session.sessionId) state.session = s;
  });
  api.on('job.progress', (p) => {
    const j = state.jobs.find((x) => x.jobId === p.jobId);
    const info: JobInfo = { jobId: p.jobId, algo: p.kind, env: j?.env ?? '', status: p.status, runId: p.runId ?? null, step: p.step, totalSteps: p.totalSteps, etaSeconds: p.etaSeconds };
    if (j) Object.assign(j, info, { env: j.env });
    else void actions.refreshJobs();
    // Keep the runs table and compared curves live while a job trains (throttled).
    if (p.runId && (p.status !== 'running' || Date.now() - lastRunsRefresh > 2000)) {
      lastRunsRefresh = Date.now();
      void actions.refreshRuns();
      if (state.compare.includes(p.runId)) void actions.loadMetrics(p.runId);
    }
  });
  let lastRunsRefresh = 0;
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
        // Open the first scene that starts (the adaptation demo needs its shipped checkpoints).
        for (const scene of state.scenes) {
          if (await actions.openScene(scene.id)) break;
        }
        await Promise.all([actions.refreshJobs(), actions.refreshRuns(), actions.loadTrainers()]);
        state.ready = true;
      });
    },
    async openScene(sceneId: string): Promise<boolean> {
      const ok = await guard(`open ${sceneId}`, async () => {
        const old = state.session;
        const opened = await api.invoke('sim.open', { sceneId, seed: 0 });
        state.scene = markRaw(opened.scene);
        state.session = opened.state;
        state.selectedBody = -1;
        live.poses = null;
        clearTelemetry();
        if (old) await api.invoke('sim.close', { sessionId: old.sessionId });
        return true;
      });
      return ok === true;
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
    /** Sends a declared control's value to the scene (sim.command). */
    async command(control: string, value: unknown = null) {
      const s = state.session;
      if (!s) return;
      await guard(control, async () => {
        const r = await api.invoke('sim.command', { sessionId: s.sessionId, control, value });
        log('info', 'sim', r.message);
      });
    },
    async refreshJobs() {
      state.jobs = (await guard('jobs', () => api.invoke('job.list', {}))) ?? state.jobs;
    },
    async refreshRuns() {
      state.runs = (await guard('runs', () => api.invoke('runs.list', {}))) ?? state.runs;
    },
    async loadTrainers() {
      state.trainers = (await guard('trainers', () => api.invoke('trainers.list', {}))) ?? state.trainers;
    },
    /** Queues a training run; resolves to the service's error message when it refuses (null when queued). */
    async startJob(p: Params<'job.start'>): Promise<string | null> {
      try {
        const job = await api.invoke('job.start', p);
        state.jobs.push(job);
        log('info', 'jobs', `queued ${p.algo} on ${p.env} for ${job.totalSteps} steps (seed ${p.seed})`);
        return null;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log('error', 'jobs', `start training: ${message}`);
        return message;
      }
    },
    async cancelJob(jobId: string) {
      await guard('stop', () => api.invoke('job.cancel', { jobId }));
    },
    async resumeRun(runId: string) {
      const job = await guard('resume', () => api.invoke('job.resume', { runId }));
      if (job) state.jobs.push(job);
    },
    async revealRun(runId: string) {
      const r = await guard('open folder', () => api.invoke('runs.reveal', { runId }));
      if (r) log('info', 'runs', r.opened ? `opened ${r.path}` : `run folder: ${r.path}`);
    },
    async loadMetrics(runId: string) {
      const m = await guard('metrics', () => api.invoke('runs.metrics', { runId, maxPoints: 1000 }));
      if (m) state.metrics = { ...state.metrics, [runId]: markRaw(m) };
    },
    toggleCompare(runId: string) {
      const i = state.compare.indexOf(runId);
      if (i >= 0) state.compare.splice(i, 1);
      else {
        state.compare.push(runId);
        void actions.loadMetrics(runId);
      }
    },
    select(body: number) {
      state.selectedBody = body;
    },
    /** Show a session opened by another action (a robot), closing the current one. */
    async adoptSession(opened: OpenedSession) {
      const old = state.session;
      state.scene = markRaw(opened.scene);
      state.session = opened.state;
      state.selectedBody = -1;
      live.poses = null;
      clearTelemetry();
      if (old && old.sessionId !== opened.state.sessionId) await api.invoke('sim.close', { sessionId: old.sessionId }).catch(() => undefined);
    },
  };

  // a population of any size declares what the listed size does (population:<env>:<n>)
  const family = (id: string) => id.replace(/^(population:[\w-]+):\d+$/, '$1');
  const sceneInfo = () => {
    const id = state.session?.sceneId;
    if (!id) return null;
    return state.scenes.find((x) => x.id === id) ?? state.scenes.find((x) => id.startsWith('population:') && family(x.id) === family(id)) ?? null;
  };

  return { state, live, actions, log, sceneInfo, api };
}

export type Workbench = ReturnType<typeof createWorkbench>;
export const WORKBENCH = Symbol('workbench');
