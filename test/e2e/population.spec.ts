import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Shell, distinctViewportColors, openWorkbench, startShell } from './browser-shell';

let shell: Shell;

test.beforeAll(async () => {
  shell = await startShell(['--runs', mkdtempSync(join(tmpdir(), 'adaptlab-e2e-pop-'))]);
});
test.afterAll(async () => {
  await shell?.stop();
});

/** Clicks over the viewport's middle until a robot is hit (the robot card shows); returns whether one was. */
async function clickARobot(page: Page): Promise<boolean> {
  const box = (await page.locator('canvas[data-test=viewport]').boundingBox())!;
  for (let fy = 0.3; fy <= 0.8; fy += 0.05) {
    for (let fx = 0.2; fx <= 0.8; fx += 0.03) {
      await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
      if (await page.locator('[data-test=robot-card]').isVisible()) return true;
    }
  }
  return false;
}

test('a population of 16 randomized hoppers: colours with a legend, click a robot for its parameters and return', async () => {
  const { browser, page, errors } = await openWorkbench(shell, { width: 1440, height: 900 });
  await page.locator('[data-test=scene-picker]').selectOption('population:Hopper-v0:16');
  const legend = page.locator('[data-test=population-legend]');
  await expect(legend).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-test=population-bodies]')).toHaveText('16 robots × 4 bodies');
  await expect(page.locator('[data-test=population-size]')).toHaveValue('16');
  await expect(page.locator('[data-test=population-status]')).toContainText('/16 running', { timeout: 20_000 });
  await expect(page.locator('[data-test=policy]')).toHaveValue('learned:ppo');

  // colour by the torso mass: the legend spans the drawn masses, inside the term's 3..9 kg
  const colourBy = page.locator('[data-test=colour-by]');
  await expect(colourBy.locator('option')).toHaveText(['return (this episode)', 'mass.torso', 'friction.foot', 'damping.*', 'armature.*']);
  await colourBy.selectOption('mass.torso');
  const range = page.locator('[data-test=legend-range]');
  await expect(range).toContainText('kg');
  const [lo, hi] = ((await range.textContent())!.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
  expect(lo).toBeGreaterThanOrEqual(3);
  expect(hi).toBeLessThanOrEqual(9);
  expect(hi - lo).toBeGreaterThan(2); // 16 draws of U(3, 9) spread out
  expect(await distinctViewportColors(page)).toBeGreaterThan(50);

  // click a robot: its card shows its parameters and its return
  await page.locator('[data-test=pause]').click();
  expect(await clickARobot(page)).toBe(true);
  const card = page.locator('[data-test=robot-card]');
  await expect(card).toContainText(/Robot \d+/);
  await expect(card).toContainText('mass.torso');
  await expect(card).toContainText('kg');
  await expect(card).toContainText('friction.foot');
  await expect(page.locator('[data-test=robot-return]')).toHaveText(/^-?\d/);
  await page.locator('[data-test=play]').click();

  // the DR panel edits the declared terms and shows their ranges; a narrower mass term redraws
  const terms = page.locator('[data-test=dr-term]');
  await expect(terms).toHaveCount(4);
  await expect(terms.first().locator('[data-test=dr-range]')).toContainText('mass.torso 3.00 – 9.00 kg');
  await terms.first().locator('[data-test=dr-high]').fill('4');
  await terms.first().locator('[data-test=dr-high]').dispatchEvent('change');
  await expect(terms.first().locator('[data-test=dr-range]')).toContainText('mass.torso 3.00 – 4.00 kg');
  await page.locator('[data-test=apply-dr]').click();
  await expect(page.locator('[data-test=log]')).toContainText('population drawn again from 4 DR term(s)', { timeout: 20_000 });
  await expect.poll(async () => Number(((await range.textContent())!.match(/-?\d+(\.\d+)?/g) ?? [])[1]), { timeout: 10_000 }).toBeLessThanOrEqual(4);
  await page.screenshot({ path: 'test-results/population-hopper.png' });
  expect(errors).toEqual([]);
  await browser.close();
});
