/**
 * What the screenshot scripts share: their `--name value` arguments, a browser-shell page at
 * 1440x900 with the workbench ready, the sim time of a scene, and the paused picture.
 */
import type { Page } from '@playwright/test';
import { launchChromium, startShell, watchConsole, type Shell } from '../../test/e2e/browser-shell';

export { arg } from './args';

/** Runs `body` on a ready workbench page (?debug hook on), then closes the browser and the shell. */
export async function withWorkbench(body: (page: Page, shell: Shell) => Promise<void>): Promise<void> {
  const shell = await startShell();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchConsole(page);
    await page.goto(`${shell.url}&debug=1`);
    await page.locator('[data-test=ready-flag]').filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
    await body(page, shell);
    if (errors.length) console.log(`console errors:\n${errors.join('\n')}`);
  } finally {
    await browser.close();
    await shell.stop();
  }
}

/** Polls `time` until it reaches `at` (seconds). */
export async function waitForTime(time: () => Promise<number>, at: number): Promise<void> {
  while ((await time()) < at) await new Promise((r) => setTimeout(r, 50));
}

/** Pause (a dispatched click: no waiting for a busy page to settle), let the frame land, and shoot. */
export async function pauseAndShoot(page: Page, out: string, settleMs = 500): Promise<void> {
  await page.locator('[data-test=pause]').dispatchEvent('click');
  await page.waitForTimeout(settleMs);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
}
