/**
 * A user's robot in the browser shell: a folder with its meshes uploaded through the folder
 * input, shown in the viewport and the tree, moved with a slider, simulated; a broken URDF gives
 * an error naming file and line while the app keeps running.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { type Shell, distinctViewportColors, openWorkbench, startShell } from './browser-shell';

let shell: Shell;

test.beforeAll(async () => {
  shell = await startShell();
});
test.afterAll(async () => {
  await shell?.stop();
});

test('upload a robot folder, move a joint, simulate, and survive a broken URDF', async () => {
  const { browser, page, errors } = await openWorkbench(shell, { width: 1280, height: 800 });

  // A pybullet-style quadruped: URDF + meshes/ (OBJ with MTL, STL, a texture), as a folder.
  await page.locator('[data-test=robot-folder-input]').setInputFiles('test/fixtures/urdf/quadruped');
  await expect(page.locator('[data-test=robot-name]')).toHaveText('quad', { timeout: 30_000 });
  const tree = page.locator('[data-test=robot-tree]');
  await expect(tree).toContainText('fl_thigh');
  await expect(tree).toContainText('fl_knee');
  await expect(page.locator('.tree li', { hasText: 'body' }).first()).toBeVisible();

  // The slider moves the thigh: its pose in the inspector changes.
  await tree.locator('li.link', { hasText: 'fl_thigh' }).click();
  const rotation = page.locator('.props dd').nth(1);
  await expect(rotation).not.toBeEmpty();
  const before = await rotation.textContent();
  await page.locator('[data-test="joint-fl_hip"]').fill('0.8');
  await expect(page.locator('.slider', { hasText: 'fl_hip' }).locator('.v')).toHaveText('45.8°');
  await expect.poll(() => rotation.textContent()).not.toEqual(before);
  expect(await distinctViewportColors(page)).toBeGreaterThan(50);

  await page.locator('[data-test=robot-show-collision]').check();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/robot-kinematic.png' });

  // Simulate: gravity, joints held at the sliders; time runs.
  await page.locator('[data-test=robot-simulate]').click();
  const frame = async () => Number((await page.locator('.overlay').textContent())!.match(/frame (\d+)/)![1]);
  const f0 = await frame();
  await expect.poll(frame).toBeGreaterThan(f0 + 10);

  // A broken URDF: a clear error (file, element, line); the robot and the app keep running.
  await page.locator('[data-test=robot-file-input]').setInputFiles('test/fixtures/urdf/broken/missing_link.urdf');
  const err = page.locator('[data-test=robot-error]');
  await expect(err).toBeVisible({ timeout: 20_000 });
  await expect(err).toContainText('missing_link.urdf');
  await expect(err).toContainText('ghost');
  await expect(err.locator('dd').nth(2)).toHaveText('6');
  await expect(page.locator('[data-test=robot-name]')).toHaveText('quad');
  const f1 = await frame();
  await expect.poll(frame).toBeGreaterThan(f1);
  await page.screenshot({ path: 'test-results/robot-error.png' });

  // Drag and drop goes the same way: a dropped URDF with a cycle.
  const xml = readFileSync('test/fixtures/urdf/broken/cycle.urdf', 'utf8');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'cycle.urdf', { type: 'application/xml' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, xml);
  await expect(err.locator('dd').last()).toHaveText('cycle', { timeout: 20_000 });
  await expect(err).toContainText('cycle.urdf');
  await expect(page.locator('[data-test=robot-name]')).toHaveText('quad');
  expect(errors).toEqual([]);
  await browser.close();
});
