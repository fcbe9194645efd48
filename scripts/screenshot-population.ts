/**
 * The README's population pictures: randomized hoppers in the browser shell at 1440x900, coloured
 * by torso mass, one robot clicked. Writes docs/population-hopper.png; with --policy and --size,
 * EPOpt's picture (e.g. --policy learned:epopt --size 32 --out docs/population-epopt.png).
 *   npx tsx scripts/screenshot-population.ts [--colour-by return] [--at SIM_SECONDS] [--policy ID] [--size N] [--adapt TARGET] [--out FILE]
 */
import { arg, pauseAndShoot, waitForTime, withWorkbench } from './lib/shot';

await withWorkbench(async (page) => {
  await page.locator('[data-test=scene-picker]').selectOption('population:Hopper-v0:16');
  await page.locator('[data-test=population-legend]').waitFor({ timeout: 30_000 });
  const size = arg('size', '16');
  if (size !== '16') {
    await page.locator('[data-test=population-size]').selectOption(size);
    await page.locator('[data-test=population-status]').filter({ hasText: `/${size} running` }).waitFor({ timeout: 30_000 });
  }
  const policy = arg('policy', '');
  if (policy) await page.locator('[data-test=policy]').selectOption(policy);
  const adapt = arg('adapt', '');
  if (adapt) await page.locator('[data-test=adapt]').selectOption(adapt);
  if (policy || adapt) await page.waitForTimeout(2000); // the restarted episode's first frames
  await page.locator('[data-test=colour-by]').selectOption(arg('colour-by', 'mass.torso'));
  // into the episode: the robots are hopping and the first heavy ones have fallen
  // (time into the current episode: a policy switch or an adaptation restarts it)
  await waitForTime(async () => Number((await page.locator('.overlay').textContent())!.match(/([\d.]+) s in/)![1]), Number(arg('at', '1.5')));
  await page.locator('[data-test=pause]').dispatchEvent('click');
  await page.waitForTimeout(500);
  const box = (await page.locator('canvas[data-test=viewport]').boundingBox())!;
  // click the nearest robots first (lower right of the view), until one is hit
  search: for (let fy = 0.75; fy >= 0.3; fy -= 0.04) {
    for (let fx = 0.65; fx >= 0.15; fx -= 0.025) {
      await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
      if (await page.locator('[data-test=robot-card]').isVisible()) break search;
    }
  }
  await pauseAndShoot(page, arg('out', 'docs/population-hopper.png'), 300);
});
