/**
 * Every scene of the picker, as a new user sees it at 1440x900: the robot stays inside the
 * viewport while it moves (projected bounds of its bodies, read through the ?debug hook), every
 * chart of the strip fits with its axis titles, and the console has no error. Screenshots of
 * each scene go to /tmp/scenes-<id>.png (and test-results/) for people to look at.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Shell, launchChromium, chromiumAvailable, sceneTime, startShell, watchConsole } from './browser-shell';

let shell: Shell;
const runsDir = mkdtempSync(join(tmpdir(), 'adaptlab-e2e-scenes-'));

test.beforeAll(async () => {
  shell = await startShell(['--runs', runsDir]);
});
test.afterAll(async () => {
  await shell?.stop();
});

type Bounds = { minX: number; maxX: number; minY: number; maxY: number; behind: boolean } | null;
const bounds = (page: Page) => page.evaluate(() => (window as unknown as { __adaptlab: { projectedBounds(): Bounds } }).__adaptlab.projectedBounds());

test('every scene opens with its robot in view, charts that fit, and no console error', async () => {
  test.skip(!chromiumAvailable(), 'no Chromium at /usr/bin/chromium');
  test.setTimeout(300_000);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchConsole(page);
  await page.goto(`${shell.url}&debug=1`);
  await expect(page.locator('[data-test=ready-flag]')).toHaveText('ready', { timeout: 60_000 });
  const ids = await page.locator('[data-test=scene-picker] option:not([disabled])').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(ids).toEqual(expect.arrayContaining(['adapt-ant', 'adapt-quad', 'Ant-v0', 'Hopper-v0', 'QuadPayload-v0', 'demo-falling']));

  for (const id of ids) {
    await test.step(id, async () => {
      await page.locator('[data-test=scene-picker]').selectOption(id);
      await expect(page.locator('[data-test=scene-picker]')).toHaveValue(id);
      // let it run: the robot walks, hops or flies for 5 s of sim time (the ant used to leave the frame by then)
      await expect.poll(() => sceneTime(page, id), { timeout: 60_000, intervals: [500] }).toBeGreaterThan(5);
      await page.screenshot({ path: `/tmp/scenes-${id}.png` });
      await page.screenshot({ path: `test-results/scenes-${id}.png` });
      // the robot is drawn inside the viewport
      const b = await bounds(page);
      expect(b, `${id}: no poses drawn`).not.toBeNull();
      expect(b!.behind, `${id}: a body is behind the camera`).toBe(false);
      for (const v of [b!.minX, b!.maxX, b!.minY, b!.maxY]) expect(Math.abs(v), `${id}: bodies at ${JSON.stringify(b)}`).toBeLessThanOrEqual(1);
      // every chart fits in the strip, and its plot (uPlot draws the axis titles inside it) in the chart
      const strip = (await page.locator('.charts').boundingBox({ timeout: 5000 }))!;
      const charts = page.locator('.charts .chart');
      await expect.poll(() => charts.count(), { message: `${id}: no charts` }).toBeGreaterThan(0);
      for (const c of await charts.all()) {
        const box = (await c.boundingBox({ timeout: 5000 }))!;
        expect(box.x + box.width, `${id}: a chart runs past the strip`).toBeLessThanOrEqual(strip.x + strip.width + 1);
        expect(box.y + box.height, `${id}: a chart runs below the strip`).toBeLessThanOrEqual(strip.y + strip.height + 1);
        const plot = (await c.locator('.uplot').boundingBox({ timeout: 5000 }))!;
        expect(plot.y + plot.height, `${id}: the plot (and its x axis title) is cut off`).toBeLessThanOrEqual(box.y + box.height + 1);
        expect(plot.x + plot.width, `${id}: the plot is cut off at the right`).toBeLessThanOrEqual(box.x + box.width + 1);
      }
    });
  }
  expect(errors).toEqual([]);
  await browser.close();
});
