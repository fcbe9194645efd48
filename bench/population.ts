/**
 * Population benchmark: 64 randomized hoppers (each its own samplePopulation draw, the shipped PPO
 * policy) simulated, and simulated + drawn in the browser shell.
 *   npx tsx bench/population.ts [--robots 64] [--seconds 10] [--viewport 1440x900]
 * Prints and writes bench/results/population.json:
 *  - headless: the scene alone in this process (no rendering): scene steps/s, robot env steps/s
 *    (a robot whose episode has ended waits and costs no step), and the bytes of one snapshot as
 *    the WebSocket carries it (poses + the population's typed arrays).
 *  - browser: `adaptlab start` + headless Chromium at 1440x900 (what a user of the browser shell
 *    runs): drawn frames/s (requestAnimationFrame callbacks the viewport renders in), simulated
 *    robot steps/s (scene steps/s from the frame counter x robots running), real-time factor, and
 *    the WebGL renderer Chromium used (software on a machine without a GPU). For scale, the
 *    frames/s of the one-hopper scene (Hopper-v0) in the same browser and viewport.
 * Both share the machine's cores with each other and with whatever else runs: the JSON records
 * the load average at the start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POSE_STRIDE } from '../src/shared/scene.js';
import { encodeSnapshot } from '../src/shared/wire.js';
import type { PopulationFrame } from '../src/shared/snapshot.js';
import { SceneHost } from '../src/main/service/scene-host.js';
import { findScene } from '../src/main/service/scene-runner.js';
import { launchChromium, startShell } from '../test/e2e/browser-shell.js';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (k: string, d: string): string => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : d;
};
const ROBOTS = Number(arg('robots', '64'));
const [WIDTH, HEIGHT] = arg('viewport', '1440x900').split('x').map(Number);
const SECONDS = Number(arg('seconds', '10'));
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;

async function headless() {
  // the scene on its host, as the sim worker runs it (episodes restart when all robots have ended)
  const scene = await SceneHost.open(findScene(`population:Hopper-v0:${ROBOTS}`), 0);
  const frameOf = () => scene.overlays().population as PopulationFrame;
  const spec = scene.spec();
  for (let i = 0; i < 50; i++) await scene.step(); // warm up (JIT, WASM tier-up)
  let steps = 0, robotSteps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    robotSteps += frameOf().alive.reduce((a, b) => a + b, 0);
    await scene.step();
    steps++;
  }
  const wall = (performance.now() - t0) / 1000;
  // the first second of episodes, when every robot still runs (the costliest frames)
  let early = 0, earlyRobotSteps = 0;
  const t1 = performance.now();
  for (let seed = 1; performance.now() - t1 < (SECONDS * 1000) / 2; seed++) {
    scene.reset(seed);
    for (let k = 0; k < 60; k++) {
      earlyRobotSteps += frameOf().alive.reduce((a, b) => a + b, 0);
      await scene.step();
      early++;
    }
  }
  const earlyWall = (performance.now() - t1) / 1000;
  const poses = new Float32Array(spec.bodies.length * POSE_STRIDE);
  scene.scene.writePoses(poses);
  const bytes = encodeSnapshot({ sessionId: 'bench', frame: 0, time: 0, episode: 0, episodeTime: 0, poses, telemetry: scene.telemetry(), realTimeFactor: 1, overlays: scene.overlays() }).byteLength;
  scene.dispose();
  return {
    sceneStepsPerSec: round(steps / wall),
    robotStepsPerSec: round(robotSteps / wall, 0),
    realTimeFactor: round((steps * scene.dt) / wall, 2),
    episodeStart: { sceneStepsPerSec: round(early / earlyWall), robotStepsPerSec: round(earlyRobotSteps / earlyWall, 0), meanRobotsRunning: round(earlyRobotSteps / early) },
    snapshotBytes: bytes,
    poseBytes: poses.byteLength,
  };
}

async function browser() {
  const shell = await startShell();
  const b = await launchChromium();
  try {
    const page = await b.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    await page.goto(shell.url);
    await page.locator('[data-test=ready-flag]').filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
    // (a string: tsx would wrap a function's inner names in a helper the page does not have)
    const rafRate = (ms: number) =>
      page.evaluate(`new Promise((resolve) => {
        let n = 0;
        const t0 = performance.now();
        const tick = (t) => {
          n++;
          if (t - t0 < ${ms}) requestAnimationFrame(tick);
          else resolve((n * 1000) / (t - t0));
        };
        requestAnimationFrame(tick);
      })`) as Promise<number>;
    await page.locator('[data-test=scene-picker]').selectOption('Hopper-v0');
    await page.waitForTimeout(3000);
    const oneHopperFramesPerSec = await rafRate((SECONDS * 1000) / 2);
    await page.locator('[data-test=scene-picker]').selectOption('population:Hopper-v0:16');
    await page.locator('[data-test=population-legend]').waitFor({ timeout: 60_000 });
    if (ROBOTS !== 16) await page.locator('[data-test=population-size]').selectOption(String(ROBOTS));
    await page.locator('[data-test=population-bodies]').filter({ hasText: `${ROBOTS} robots` }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(3000); // warm up
    const gl = await page.evaluate(() => {
      const ctx = (document.querySelector('canvas[data-test=viewport]') as HTMLCanvasElement).getContext('webgl2');
      const ext = ctx?.getExtension('WEBGL_debug_renderer_info');
      return ext && ctx ? String(ctx.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    });
    const frameNo = async () => Number((await page.locator('.overlay').textContent())!.match(/frame (\d+)/)![1]);
    const running = async () => Number((await page.locator('[data-test=population-status]').textContent())!.match(/(\d+)\/\d+ running/)![1]);
    // count animation frames in the page while sampling the sim's frame counter and running robots
    const rafCount = rafRate(SECONDS * 1000);
    const f0 = await frameNo();
    const t0 = Date.now();
    const alive: number[] = [];
    while (Date.now() - t0 < SECONDS * 1000) {
      alive.push(await running());
      await page.waitForTimeout(250);
    }
    const f1 = await frameNo();
    const wall = (Date.now() - t0) / 1000;
    const framesPerSec = await rafCount;
    const sceneStepsPerSec = (f1 - f0) / wall;
    const meanRunning = alive.reduce((a, c) => a + c, 0) / Math.max(1, alive.length);
    const statusFps = Number((await page.locator('[data-test=fps]').textContent())!.match(/\d+/)![0]);
    const rtf = Number((await page.locator('[data-test=rtf]').textContent())!.match(/[\d.]+/)![0]);
    return {
      drawnFramesPerSec: round(framesPerSec),
      viewportFpsShown: statusFps,
      sceneStepsPerSec: round(sceneStepsPerSec),
      robotStepsPerSec: round(sceneStepsPerSec * meanRunning, 0),
      meanRobotsRunning: round(meanRunning),
      realTimeFactor: rtf,
      webglRenderer: gl,
      viewport: `${WIDTH}x${HEIGHT}`,
      oneHopperFramesPerSec: round(oneHopperFramesPerSec),
    };
  } finally {
    await b.close();
    await shell.stop();
  }
}

const loadAverage = os.loadavg().map((v) => round(v, 2));
const h = await headless();
console.log(`headless: ${ROBOTS} hoppers, ${h.sceneStepsPerSec} scene steps/s, ${h.robotStepsPerSec} robot steps/s (RTF ${h.realTimeFactor}); episode starts (${h.episodeStart.meanRobotsRunning} running): ${h.episodeStart.robotStepsPerSec} robot steps/s; ${h.snapshotBytes} bytes a snapshot`);
const w = await browser();
console.log(`browser shell: ${w.drawnFramesPerSec} drawn frames/s, ${w.robotStepsPerSec} robot steps/s (${w.sceneStepsPerSec} scene steps/s x ${w.meanRobotsRunning} running), RTF ${w.realTimeFactor}; one hopper: ${w.oneHopperFramesPerSec} frames/s; WebGL: ${w.webglRenderer}`);
const result = {
  bench: 'population',
  env: 'Hopper-v0',
  robots: ROBOTS,
  seconds: SECONDS,
  goal: '64 randomized hoppers simulated and drawn at >= 30 fps in the browser shell',
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  loadAverage,
  headless: h,
  browser: w,
  date: new Date().toISOString(),
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'population.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result));
