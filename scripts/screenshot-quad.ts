/**
 * The quadrotor adaptation view in the browser shell at 1440x900: the figure-8 under the scene's
 * default method (the latent model where it ships, else PID; --method overrides), the payload
 * swapped at --swap seconds, the picture taken at --at seconds. Writes docs/quad-adapt.png.
 *   npx tsx scripts/screenshot-quad.ts [--method ID] [--swap 4] [--at 8] [--out FILE]
 */
import { sceneTime } from '../test/e2e/browser-shell';
import { arg, pauseAndShoot, waitForTime, withWorkbench } from './lib/shot';

await withWorkbench(async (page, shell) => {
  await page.locator('[data-test=scene-picker]').selectOption('adapt-quad');
  await page.locator('[data-test=swap]').waitFor({ timeout: 30_000 });
  const method = arg('method', '');
  if (method) await page.locator('[data-test=method]').selectOption(method); // a method switch keeps the episode
  const time = () => sceneTime(page, 'adapt-quad');
  await waitForTime(time, Number(arg('swap', '4')));
  await page.locator('[data-test=swap]').click();
  await waitForTime(time, Number(arg('at', '8')));
  await pauseAndShoot(page, arg('out', 'docs/quad-adapt.png'));
  await page.locator('[data-test=tab-log]').click();
  console.log(await page.locator('[data-test=log]').innerText());
  if (process.env.QUAD_SHOT_DEBUG) console.log(shell.output.join(''));
});
