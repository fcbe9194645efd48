/**
 * The frame-stepped recorder. For each video frame i it advances a paused simulation session to
 * simulated time i/fps (exact physics frames, events fired at their own frame; between two
 * physics frames the poses are blended), draws the scene
 * off screen at the clip's size, composites the overlays, and encodes the frame with timestamp
 * i/fps. Wall-clock speed does not matter: a slow machine records the same file, just later.
 */
import * as THREE from 'three';
import type { OpenedSession, SceneInfo, WorkbenchApi } from '../../../shared/contract';
import {
  describeEvent,
  eventCommand,
  methodCommand,
  resolveRecording,
  scenarioProblems,
  type RecordOptions,
  type ResolvedRecording,
  type Scenario,
  type ScenarioEvent,
} from '../../../shared/scenario';
import type { SimSnapshot } from '../../../shared/snapshot';
import { blendPoses, jumped } from '../three/pose-interp';
import { SceneView } from '../three/scene-view';
import { RecordingCamera, followedBody } from './camera';
import { ClipEncoder } from './encoder';
import { drawOverlay } from './overlay';
import { etaSeconds, eventFrame, framesAround, stepPlan } from './schedule';

export interface RecordProgress {
  phase: 'preparing' | 'recording' | 'finishing';
  frame: number;
  frames: number;
  simTime: number;
  /** Wall seconds since the start. */
  elapsed: number;
  /** Wall seconds left, estimated; null until known. */
  eta: number | null;
}

export interface RecordHooks {
  onProgress?(p: RecordProgress): void;
  /** Human-readable notes (events fired, warnings). */
  onLog?(line: string): void;
  signal?: AbortSignal;
}

export interface RecordResult extends ResolvedRecording {
  bytes: Uint8Array;
  mimeType: string;
  codec: string;
  /** A small PNG of a frame a third of the way in, for thumbnails. */
  thumbnailPng: Uint8Array | null;
  /** Physics frames stepped in total, and the simulated time they make. */
  physicsFrames: number;
  simDuration: number;
  warnings: string[];
  wallSeconds: number;
  /** Wall milliseconds spent stepping (round trips included), drawing, and encoding. */
  timings: { stepMs: number; drawMs: number; encodeMs: number };
}

export class RecordCancelled extends Error {
  override name = 'RecordCancelled';
  constructor() {
    super('recording cancelled');
  }
}

/** What the recorder is doing now, for a stall report ("encoding video frame 44"). */
let stage = 'idle';
export function recorderStage(): string {
  return stage;
}

/** How long to wait for the snapshot of a step before giving up. */
const SNAPSHOT_TIMEOUT_MS = 15_000;

/** Things about a scenario that the recorder cannot honour yet, said once rather than ignored. */
export function scenarioWarnings(s: Scenario, rec: ResolvedRecording): string[] {
  const w: string[] = [];
  const last = (rec.frames - 1) / rec.fps;
  for (const e of s.events) {
    if (e.at > last + 1e-9) w.push(`event "${describeEvent(e)}" is after the last frame (t = ${last.toFixed(2)} s) and will not appear`);
  }
  if (s.checkpoint) w.push(`checkpoint ${s.checkpoint} is named in the overlay only: sessions do not load controllers yet`);
  return w;
}

/** Checks a scenario against the scenes the service has; throws with every problem found. */
export async function preflight(api: WorkbenchApi, s: Scenario): Promise<SceneInfo> {
  const scenes = await api.invoke('scene.list', {});
  const problems = scenarioProblems(s, scenes);
  if (problems.length) throw new Error(problems.join('\n'));
  return scenes.find((x) => x.id === s.env)!;
}

export async function recordScenario(
  api: WorkbenchApi,
  scenario: Scenario,
  options: RecordOptions = {},
  hooks: RecordHooks = {},
): Promise<RecordResult> {
  const rec = resolveRecording(scenario, options);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const checkCancel = () => {
    if (hooks.signal?.aborted) throw new RecordCancelled();
  };
  const progress = (phase: RecordProgress['phase'], frame: number, simTime: number) =>
    hooks.onProgress?.({ phase, frame, frames: rec.frames, simTime, elapsed: elapsed(), eta: etaSeconds(frame, rec.frames, elapsed()) });
  progress('preparing', 0, 0);

  stage = 'preparing: checking the scenario against the scenes';
  const sceneInfo = await preflight(api, scenario);
  const warnings = scenarioWarnings(scenario, rec);
  warnings.forEach((w) => hooks.onLog?.(`warning: ${w}`));
  checkCancel();

  // Snapshots of every session, latest only, so the first one is not missed if it arrives
  // before sim.open's reply; waiters are resolved when their frame arrives.
  const latest = new Map<string, SimSnapshot>();
  let waiter: { sessionId: string; frame: number; resolve(s: SimSnapshot): void } | null = null;
  const off = api.on('sim.snapshot', (s) => {
    latest.set(s.sessionId, s);
    if (waiter && s.sessionId === waiter.sessionId && s.frame === waiter.frame) {
      const w = waiter;
      waiter = null;
      w.resolve(s);
    }
  });
  const snapshotAt = (sessionId: string, frame: number): Promise<SimSnapshot> => {
    const have = latest.get(sessionId);
    if (have && have.frame === frame) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = null;
        reject(new Error(`no snapshot of physics frame ${frame} within ${SNAPSHOT_TIMEOUT_MS / 1000} s (the connection dropped it?)`));
      }, SNAPSHOT_TIMEOUT_MS);
      waiter = { sessionId, frame, resolve: (s) => (clearTimeout(timer), resolve(s)) };
    });
  };

  let opened: OpenedSession | null = null;
  let encoder: ClipEncoder | null = null;
  let view: SceneView | null = null;
  try {
    stage = 'preparing: creating the video encoder';
    encoder = await ClipEncoder.create({ width: rec.width, height: rec.height, fps: rec.fps, format: rec.format });
    stage = 'preparing: opening the scene';
    opened = await api.invoke('sim.open', { sceneId: scenario.env, seed: scenario.seed, paused: true });
    const sessionId = opened.state.sessionId;
    const dt = opened.dt;
    if (!(dt > 0)) throw new Error(`scene ${scenario.env} reported no physics time step`);
    // Select the scenario's method where the scene offers a choice.
    const method = methodCommand(scenario, sceneInfo);
    if (method) hooks.onLog?.((await api.invoke('sim.command', { sessionId, ...method })).message);
    stage = 'waiting for the snapshot of physics frame 0';
    let snap = await snapshotAt(sessionId, 0);
    const key = scenario.overlay.sparkline;
    if (key && !(key in snap.telemetry)) {
      throw new Error(
        `scene ${scenario.env} has no telemetry "${key}" for the sparkline; it has: ${Object.keys(snap.telemetry).join(', ') || 'none'}`,
      );
    }

    // Off-screen drawing at exactly the clip's size.
    const gl = document.createElement('canvas');
    gl.width = rec.width;
    gl.height = rec.height;
    view = new SceneView(gl);
    view.renderer.setPixelRatio(1);
    view.resize(rec.width, rec.height);
    view.setScene(opened.scene);
    const sun = view.scene.children.find((c): c is THREE.DirectionalLight => c instanceof THREE.DirectionalLight) ?? null;
    const sunOffset = sun ? sun.position.clone() : null;
    const camera = new RecordingCamera(scenario.camera, opened.scene, rec.fps);
    const follow = followedBody(scenario.camera, opened.scene);
    const out = document.createElement('canvas');
    out.width = rec.width;
    out.height = rec.height;
    const ctx = out.getContext('2d', { alpha: false })!;

    const fired = new Set<ScenarioEvent>();
    const firedList: ScenarioEvent[] = [];
    const samples: { t: number; v: number }[] = [];
    const actions = [...new Set(scenario.events.map((e) => e.action))];
    let physicsFrame = 0;
    let thumbnailPng: Uint8Array | null = null;
    const thumbAt = Math.floor(rec.frames / 3);
    const timings = { stepMs: 0, drawMs: 0, encodeMs: 0 };
    let mark = performance.now();
    const lap = (k: keyof typeof timings) => {
      const now = performance.now();
      timings[k] += now - mark;
      mark = now;
    };

    // Snapshots of the physics frames around the frame being drawn, keyed by frame.
    const held = new Map<number, SimSnapshot>([[0, snap]]);
    const advanceTo = async (target: number) => {
      for (const action of stepPlan(physicsFrame, target, scenario.events, dt, fired)) {
        if (action.kind === 'event') {
          const command = eventCommand(action.event);
          stage = `firing event "${describeEvent(action.event)}"`;
          if (command) await api.invoke('sim.command', { sessionId, ...command });
          firedList.push(action.event);
          hooks.onLog?.(describeEvent(action.event));
        } else {
          stage = `stepping physics frames ${physicsFrame} to ${physicsFrame + action.frames}`;
          await api.invoke('sim.control', { sessionId, command: 'step', frames: action.frames });
          physicsFrame += action.frames;
        }
      }
      stage = `waiting for the snapshot of physics frame ${physicsFrame}`;
      held.set(physicsFrame, await snapshotAt(sessionId, physicsFrame));
    };
    // an event due at a frame already held (t = 0) still fires at that frame
    const due = (f: number) => scenario.events.some((e) => !fired.has(e) && eventFrame(e.at, dt) <= f);
    let blended = new Float32Array(0);

    progress('recording', 0, 0);
    for (let i = 0; i < rec.frames; i++) {
      checkCancel();
      mark = performance.now();
      // Physics slower than the video (the ant: 20 Hz at 30 fps) is drawn as a blend of the two
      // physics frames around the frame's time; telemetry and highlights come from the nearer one.
      const { before, after, alpha } = framesAround(i, rec.fps, dt);
      if (!held.has(before) || due(before)) await advanceTo(before);
      if (!held.has(after)) await advanceTo(after);
      for (const f of held.keys()) if (f < before) held.delete(f);
      const from = held.get(before)!, to = held.get(after)!;
      snap = alpha < 0.5 ? from : to;
      const t = i / rec.fps;
      if (key) samples.push({ t, v: snap.telemetry[key] });
      lap('stepMs');

      stage = `drawing video frame ${i}`;
      let poses = snap.poses;
      if (alpha > 0 && !jumped(from.poses, to.poses)) {
        if (blended.length !== to.poses.length) blended = new Float32Array(to.poses.length);
        poses = blendPoses(from.poses, to.poses, alpha, blended);
      }
      view.setOverlays(snap.overlays);
      view.applyPoses(poses);
      view.scene.updateMatrixWorld();
      const focus = camera.place(view.camera, t, scenario.camera.mode === 'follow' ? view.bodyPosition(follow) : null);
      view.centreGround(focus);
      if (sun && sunOffset) {
        sun.position.copy(focus).add(sunOffset);
        sun.target.position.copy(focus);
      }
      view.renderer.render(view.scene, view.camera);
      ctx.drawImage(gl, 0, 0, rec.width, rec.height);
      drawOverlay(ctx, rec.width, rec.height, {
        title: scenario.title,
        subtitle: scenario.overlay.subtitle,
        method: scenario.method,
        env: scenario.env,
        seed: scenario.seed,
        time: t,
        frame: i,
        frames: rec.frames,
        duration: rec.duration,
        sparkKey: key,
        sparkLabel: scenario.overlay.label,
        samples,
        // an event that fired to reach the frame after this one has not happened yet at t
        fired: firedList.filter((e) => e.at <= t + 1e-9),
        actions,
      });
      if (i === thumbAt) thumbnailPng = await thumbnail(out);
      lap('drawMs');
      stage = `encoding video frame ${i}`;
      await encoder.encode(out, i);
      lap('encodeMs');
      progress('recording', i + 1, t);
    }
    progress('finishing', rec.frames, (rec.frames - 1) / rec.fps);
    stage = 'finishing the file';
    const bytes = await encoder.finish();
    const result: RecordResult = {
      ...rec,
      bytes,
      mimeType: encoder.mimeType,
      codec: encoder.codec,
      thumbnailPng,
      physicsFrames: physicsFrame,
      simDuration: physicsFrame * dt,
      warnings,
      wallSeconds: elapsed(),
      timings,
    };
    encoder = null;
    return result;
  } finally {
    stage = 'idle';
    off();
    if (view) {
      view.renderer.forceContextLoss();
      view.dispose();
    }
    if (encoder) await encoder.cancel();
    if (opened) await api.invoke('sim.close', { sessionId: opened.state.sessionId }).catch(() => {});
  }
}

async function thumbnail(src: HTMLCanvasElement): Promise<Uint8Array | null> {
  const w = 320;
  const h = Math.round((src.height * w) / src.width);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  c.getContext('2d')!.drawImage(src, 0, 0, w, h);
  const blob = await new Promise<Blob | null>((resolve) => c.toBlob(resolve, 'image/png'));
  return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
}
