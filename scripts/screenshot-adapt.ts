/**
 * The Adaptation view (the broken-leg showcase) in the browser shell at 1440x900: the ant follows
 * the x axis under GrBAL beside its unadapted twin (switched on), leg --leg breaks at --break seconds, the
 * picture is taken at --at seconds. Writes docs/adapt-broken-leg.png.
 *   npx tsx scripts/screenshot-adapt.ts [--method grbal] [--leg 3] [--break 4] [--at 20] [--out FILE]
 */
import { sceneTime } from '../test/e2e/browser-shell';
import { arg, pauseAndShoot, waitForTime, withWorkbench } from './lib/shot';

await withWorkbench(async (page) => {
  // the Adaptation scene opens first; choosing it again would reopen it
  if ((await page.locator('[data-test=scene-picker]').inputValue()) !== 'adapt-ant') await page.locator('[data-test=scene-picker]').selectOption('adapt-ant');
  await page.locator('[data-test=break-leg]').waitFor({ timeout: 60_000 });
  const method = arg('method', '');
  if (method) await page.locator('[data-test=method]').selectOption(method);
  await page.locator('[data-test=twin]').click(); // the unadapted twin, off at first
  await page.locator('[data-test=leg]').selectOption(arg('leg', '3'));
  await page.locator('[data-test=fault-at]').fill(arg('break', '4'));
  await page.locator('[data-test=break-leg]').click();
  await waitForTime(() => sceneTime(page, 'adapt-ant'), Number(arg('at', '20')));
  await pauseAndShoot(page, arg('out', 'docs/adapt-broken-leg.png'));
  await page.locator('[data-test=tab-log]').click();
  console.log(await page.locator('[data-test=log]').innerText());
});
