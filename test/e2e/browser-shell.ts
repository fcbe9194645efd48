/**
 * Starts the real `adaptlab start` (browser shell) as a child process, the way a user does,
 * and launches the system's Chromium against it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HEADLESS_CHROMIUM_ARGS } from '../../src/main/cli/shell-choice';
import { chromium, expect, test, type Browser, type ConsoleMessage, type Page } from '@playwright/test';

export const CHROMIUM = process.env.ADAPTLAB_CHROMIUM ?? '/usr/bin/chromium';

export interface Shell {
  url: string;
  port: number;
  token: string;
  proc: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

export async function startShell(extra: string[] = []): Promise<Shell> {
  const proc = spawn(process.execPath, ['bin/adaptlab.mjs', 'start', '--no-open', '--shell', 'browser', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s:\n${output.join('')}`)), 20_000);
    const onData = (d: Buffer) => {
      output.push(d.toString());
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`adaptlab start exited with ${code}:\n${output.join('')}`)));
  });
  const u = new URL(url);
  return {
    url,
    port: Number(u.port),
    token: u.searchParams.get('token')!,
    proc,
    output,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: HEADLESS_CHROMIUM_ARGS, headless: true });
}

/** Collects console errors and page errors; a test fails if any appear. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Sim time of the session showing scene `id` (-1 while another scene is still shown), through the ?debug hook. */
export const sceneTime = (page: Page, id: string): Promise<number> =>
  page.evaluate((id) => {
    const d = (window as unknown as { __adaptlab: { time(): number; sceneId(): string | null } }).__adaptlab;
    return d.sceneId() === id ? d.time() : -1;
  }, id);

/** How many distinct colours the WebGL viewport shows (a blank canvas has one or two). */
export async function distinctViewportColors(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector('canvas[data-test=viewport]') as HTMLCanvasElement;
    const off = document.createElement('canvas');
    off.width = c.width;
    off.height = c.height;
    const ctx = off.getContext('2d')!;
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, off.width, off.height).data;
    const colors = new Set<number>();
    for (let i = 0; i < d.length; i += 4 * 7) colors.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return colors.size;
  });
}

/**
 * Opens the workbench in the system Chromium (skipping the test, with the reason, where there is
 * none) and waits until it says "ready". `errors` collects console errors: tests expect none.
 */
export async function openWorkbench(shell: Shell, viewport = { width: 1280, height: 800 }): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  test.skip(!chromiumAvailable(), 'no Chromium at /usr/bin/chromium (apt-get install chromium)');
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  const errors = watchConsole(page);
  await page.goto(shell.url);
  await expect(page.locator('[data-test=ready-flag]')).toHaveText('ready', { timeout: 30_000 });
  return { browser, page, errors };
}
