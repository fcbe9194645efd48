/**
 * A simulation session's worker thread: paces one scene host (which owns the scene's clock,
 * episodes and faults) against the wall clock times the time scale, and posts one pose snapshot
 * per rendered frame with the pose buffer transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { POSE_STRIDE } from '../../shared/scene';
import { findScene, physicsBackendName } from './scene-runner';
import { SceneHost } from './scene-host';
import type { FromSimWorker, ToSimWorker } from './sim-protocol';

const port = parentPort!;
const FRAME_MS = 1000 / 60;
/** Cap on physics steps per rendered frame, so a slow machine slows down instead of spiralling. */
const MAX_STEPS_PER_FRAME = 16;

let runner: SceneHost | null = null;
let bodies = 0;
let running = false;
let timeScale = 1;
let seed = 0;
let owed = 0; // simulated seconds owed to the wall clock
let lastWall = 0;
let timer: NodeJS.Timeout | null = null;
const rtfWindow: { wall: number; sim: number }[] = [];

function post(msg: FromSimWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

function realTimeFactor(): number {
  const now = performance.now();
  const simTime = runner?.time ?? 0;
  rtfWindow.push({ wall: now, sim: simTime });
  while (rtfWindow.length > 2 && now - rtfWindow[0].wall > 1000) rtfWindow.shift();
  const first = rtfWindow[0];
  const dWall = (now - first.wall) / 1000;
  return dWall > 0.05 ? Math.max(0, simTime - first.sim) / dWall : 0;
}

function snapshot(): void {
  if (!runner) return;
  const poses = new Float32Array(bodies * POSE_STRIDE);
  runner.scene.writePoses(poses);
  const events = runner.drainEvents();
  const overlays = runner.overlays();
  post(
    {
      type: 'snapshot',
      frame: runner.frame,
      time: runner.time,
      episode: runner.episode,
      episodeTime: runner.episodeTime,
      poses,
      telemetry: runner.telemetry(),
      realTimeFactor: running ? realTimeFactor() : 0,
      ...(events.length ? { events } : {}),
      ...(Object.keys(overlays).length ? { overlays } : {}),
    },
    [poses.buffer],
  );
}

async function stepOnce(): Promise<void> {
  await runner!.step();
}

/** Serializes everything that touches the scene: ticks, commands and single steps. */
let chain: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T> | T): Promise<T> {
  const next = chain.then(fn);
  chain = next.catch(() => undefined);
  return next;
}

async function tick(): Promise<void> {
  timer = null;
  if (!runner || !running) return;
  const now = performance.now();
  owed += ((now - lastWall) / 1000) * timeScale;
  lastWall = now;
  let steps = 0;
  const budgetEnd = now + FRAME_MS;
  while (owed >= runner.dt && steps < MAX_STEPS_PER_FRAME && performance.now() < budgetEnd) {
    await stepOnce();
    owed -= runner.dt;
    steps++;
  }
  if (owed >= runner.dt) owed = Math.min(owed, runner.dt); // behind: drop the debt rather than spiral
  snapshot();
  const spent = performance.now() - now;
  if (running) timer = setTimeout(() => void serial(tick), Math.max(0, FRAME_MS - spent));
}

function start(): void {
  if (running) return;
  running = true;
  lastWall = performance.now();
  owed = 0;
  rtfWindow.length = 0;
  timer = setTimeout(() => void serial(tick), 0);
}

function stop(): void {
  running = false;
  if (timer) clearTimeout(timer);
  timer = null;
}

port.on('message', (msg: ToSimWorker) => void serial(() => handle(msg)));

async function handle(msg: ToSimWorker): Promise<void> {
  try {
    switch (msg.type) {
      case 'init': {
        seed = msg.seed;
        runner = await SceneHost.open(findScene(msg.sceneId), seed);
        const scene = runner.spec();
        bodies = scene.bodies.length;
        post({ type: 'ready', scene, dt: runner.dt, physicsBackend: await physicsBackendName() });
        snapshot();
        if (!msg.paused) start();
        break;
      }
      case 'pause':
        stop();
        snapshot();
        break;
      case 'resume':
        start();
        break;
      case 'reset':
        if (msg.seed !== undefined) seed = msg.seed;
        runner?.reset(seed);
        owed = 0;
        snapshot();
        break;
      case 'step':
        for (let i = 0; i < msg.frames && runner; i++) await stepOnce();
        snapshot();
        post({ type: 'stepped', requestId: msg.requestId });
        break;
      case 'timeScale':
        timeScale = msg.value;
        break;
      case 'command':
        try {
          if (!runner) throw new Error('no scene');
          post({ type: 'commanded', requestId: msg.requestId, ok: true, message: await runner.command(msg.command.control, msg.command.value) });
        } catch (err) {
          post({ type: 'commanded', requestId: msg.requestId, ok: false, message: err instanceof Error ? err.message : String(err) });
        }
        break;
      case 'stop':
        stop();
        runner?.dispose();
        runner = null;
        port.close();
        break;
    }
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}
