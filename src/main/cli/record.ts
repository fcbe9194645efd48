/**
 * `adaptlab record`: runs a scenario through the app's own frame-stepped recorder in headless
 * system Chromium, against an in-process browser shell server, and writes the video file.
 */
import { copyFile, mkdir, mkdtemp, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import type { RecordingInfo } from '../../shared/contract';
import { resolveRecording, scenarioProblems, type RecordOptions, type VideoFormat } from '../../shared/scenario';
import { startBrowserShellServer } from '../server/browser-shell-server';
import { loadScenarioFile } from '../service/scenarios';
import { listScenes } from '../service/scene-runner';
import { WorkbenchService } from '../service/workbench';
import { ensureWritableDir, flag, intFlag, UsageError, type ParsedArgs } from './args';
import { ensureBuilt } from './build-renderer';
import { RENDERER_OUT } from './paths';
import { findChromium, HEADLESS_CHROMIUM_ARGS } from './shell-choice';

export const RECORD_USAGE =
  'adaptlab record --scenario FILE --out OUT.mp4|OUT.webm [--width W --height H --fps F --duration S]';

interface RecordSummary {
  frames: number;
  fps: number;
  codec: string;
  wallSeconds: number;
  physicsFrames: number;
  timings: { stepMs: number; drawMs: number; encodeMs: number };
}

/** What the page exposes (src/renderer/src/recorder/automation.ts), seen from Node. */
interface PageGlobals {
  adaptlabRecorder?: {
    record(scenario: unknown, options: RecordOptions): Promise<RecordingInfo & { result: RecordSummary }>;
    cancel(): void;
    stage(): string;
  };
}

/** Seconds without a progress report after which the recording is declared stuck. */
const STALL_MS = 180_000;

type Progress = { phase: string; frame: number; frames: number; simTime: number; elapsed: number; eta: number | null } | { log: string };

export function recordOptions(args: ParsedArgs): { scenarioPath: string; out: string; options: RecordOptions } {
  const scenarioPath = flag(args, 'scenario');
  const out = flag(args, 'out');
  if (!scenarioPath || scenarioPath === 'true') throw new UsageError('--scenario FILE is required');
  if (!out || out === 'true') throw new UsageError('--out FILE is required');
  const ext = extname(out).toLowerCase();
  if (ext !== '.mp4' && ext !== '.webm') throw new UsageError(`--out must end in .mp4 (H.264) or .webm (VP9), got "${out}"`);
  const format: VideoFormat = ext === '.mp4' ? 'mp4' : 'webm';
  // Checked before minutes of rendering (and mkdir -p never returns on some paths, e.g. /proc/x).
  ensureWritableDir(dirname(resolve(out)), 'out');
  const even = (name: string, max: number) => {
    const v = flag(args, name) === undefined ? undefined : intFlag(args, name, 0, 16, max);
    if (v !== undefined && v % 2) throw new UsageError(`--${name} must be even (H.264 and VP9 need even sizes), got ${v}`);
    return v;
  };
  const options: RecordOptions = { format };
  const width = even('width', 1920);
  const height = even('height', 1080);
  if (width !== undefined) options.width = width;
  if (height !== undefined) options.height = height;
  if (flag(args, 'fps') !== undefined) options.fps = intFlag(args, 'fps', 30, 1, 60);
  const d = flag(args, 'duration');
  if (d !== undefined) {
    const n = Number(d);
    if (!Number.isFinite(n) || n <= 0 || n > 600) throw new UsageError(`--duration expects seconds in (0, 600], got "${d}"`);
    options.duration = n;
  }
  return { scenarioPath: resolve(scenarioPath), out: resolve(out), options };
}

function clock(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '–';
  return `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
}

export async function record(args: ParsedArgs): Promise<number> {
  const { scenarioPath, out, options } = recordOptions(args);
  const scenario = loadScenarioFile(scenarioPath);
  const problems = scenarioProblems(scenario, await listScenes());
  if (problems.length) throw new Error(problems.join('\n'));
  const chromium = findChromium();
  if (!chromium) {
    throw new Error('no Chromium found (looked at $ADAPTLAB_CHROMIUM, $CHROME_PATH, /usr/bin/chromium and the usual places); ' +
      'install one (e.g. "apt-get install chromium") or set ADAPTLAB_CHROMIUM=/path/to/chrome');
  }
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new Error('the playwright-core package is not installed; it drives the headless Chromium that records');
  }
  const rec = resolveRecording(scenario, options);
  console.log(`record: ${scenario.title} (${scenario.env}, method ${scenario.method}) → ${out}`);
  console.log(`record: ${rec.width}x${rec.height}, ${rec.fps} fps, ${rec.duration} s = ${rec.frames} frames, ${rec.format === 'mp4' ? 'H.264/MP4' : 'VP9/WebM'}`);
  ensureBuilt((l) => console.log(l));

  const runsRoot = await mkdtemp(join(tmpdir(), 'adaptlab-record-'));
  const service = new WorkbenchService({ shell: 'browser', shellReason: 'adaptlab record (headless Chromium)', runsRoot });
  const server = await startBrowserShellServer({ service, rendererDir: RENDERER_OUT });
  const browser = await playwright.chromium.launch({ executablePath: chromium, args: HEADLESS_CHROMIUM_ARGS, headless: true });
  const pageErrors: string[] = [];
  let cancelled = false;
  const onSignal = () => {
    cancelled = true;
    console.log('record: cancelling…');
    void page?.evaluate(() => (globalThis as unknown as PageGlobals).adaptlabRecorder?.cancel()).catch(() => {});
  };
  let page: import('playwright-core').Page | undefined;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    let lastPrint = 0;
    let lastPercent = -1;
    let lastSign = Date.now();
    await page.exposeFunction('adaptlabRecordProgress', (p: Progress) => {
      lastSign = Date.now();
      if ('log' in p) return console.log(`record: ${p.log}`);
      const percent = Math.floor((100 * p.frame) / Math.max(1, p.frames));
      const now = Date.now();
      if (p.frame === p.frames || (percent >= lastPercent + 10) || now - lastPrint > 2000) {
        lastPrint = now;
        lastPercent = percent;
        console.log(`record: ${p.phase} frame ${p.frame}/${p.frames} (${percent}%) t = ${p.simTime.toFixed(2)} s, elapsed ${clock(p.elapsed)}, ETA ${clock(p.eta)}`);
      }
    });
    await page.goto(server.url);
    await page.locator('[data-test=ready-flag]').getByText('ready').waitFor({ timeout: 60_000 });
    // The app opens a live demo session; hold it still so the recording gets the CPU.
    const pause = page.locator('[data-test=pause]');
    if (await pause.isEnabled()) await pause.click();
    const hasHook = await page.evaluate(() => typeof (globalThis as unknown as PageGlobals).adaptlabRecorder?.record === 'function');
    if (!hasHook) throw new Error('the app in Chromium has no recorder (is the renderer build current? run "npm run build")');

    // A page that stops reporting progress (crashed GPU process, hung encoder) fails the command.
    let watchdog: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      watchdog = setInterval(() => {
        if (Date.now() - lastSign <= STALL_MS) return;
        clearInterval(watchdog);
        // say where it stuck; a hung page may not answer, so do not wait on it long
        const where = page!.evaluate(() => (globalThis as unknown as PageGlobals).adaptlabRecorder?.stage() ?? 'unknown');
        const quiet = new Promise<string>((ok) => setTimeout(() => ok('the page did not answer'), 3000));
        void Promise.race([where, quiet]).catch(() => 'the page did not answer').then((w) =>
          reject(new Error(`the recorder made no progress for ${STALL_MS / 1000} s (stuck: ${w})`)));
      }, 1000);
    });
    const recording = page.evaluate(
      ({ s, o }) => (globalThis as unknown as PageGlobals).adaptlabRecorder!.record(s, o).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, message: e instanceof Error ? e.message : String(e) }),
      ),
      { s: scenario, o: options },
    );
    lastSign = Date.now();
    const info = await Promise.race([recording, stalled]).finally(() => clearInterval(watchdog));
    if (!info.ok) throw new Error(cancelled ? 'cancelled' : info.message);
    const saved: RecordingInfo & { result: RecordSummary } = info.r;
    await mkdir(dirname(out), { recursive: true });
    await move(saved.path, out);
    const r = saved.result;
    const per = (ms: number) => `${(ms / r.frames).toFixed(0)} ms`;
    console.log(`record: wrote ${out} (${r.frames} frames = ${(r.frames / r.fps).toFixed(3)} s at ${r.fps} fps, ` +
      `${r.physicsFrames} physics steps, ${r.codec}, ${(saved.bytes / 1024 / 1024).toFixed(2)} MB) in ${clock(r.wallSeconds)}`);
    console.log(`record: per frame: stepping ${per(r.timings.stepMs)}, drawing ${per(r.timings.drawMs)}, encoding ${per(r.timings.encodeMs)}`);
    return 0;
  } catch (err) {
    if (pageErrors.length) console.error(`record: errors in the page:\n  ${pageErrors.slice(0, 5).join('\n  ')}`);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // after a stall the page, its worker or a socket may never answer: cleanup must not hang the command
    await bounded('closing Chromium', () => browser.close());
    await bounded('closing the local server', () => server.close());
    await bounded('stopping the workbench service', () => service.dispose());
    await rm(runsRoot, { recursive: true, force: true });
  }
}

async function bounded(label: string, work: () => Promise<unknown>, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((ok) => {
    timer = setTimeout(() => {
      console.error(`record: ${label} did not finish in ${ms / 1000} s; left behind`);
      ok();
    }, ms);
  });
  await Promise.race([work().catch(() => {}), late]).finally(() => clearTimeout(timer));
}

async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await unlink(from);
  }
}
