/**
 * The README's DARC picture: the DARC view of a pair (default broken-hopper) in the browser shell
 * at 1440x900, a policy playing in the source with its trail coloured by dr, the translucent ghost
 * of the target, the side-by-side robot and the legend. Writes docs/darc-<pair>.png.
 *   npx tsx scripts/screenshot-darc.ts [--pair broken-hopper] [--policy env:sac] [--domain source] [--versus pair:source] [--at SIM_SECONDS] [--out FILE]
 */
import { arg, pauseAndShoot, waitForTime, withWorkbench } from './lib/shot';

const pair = arg('pair', 'broken-hopper');
await withWorkbench(async (page) => {
  await page.locator('[data-test=scene-picker]').selectOption(`darc:${pair}`);
  await page.locator('[data-test=darc-legend]').waitFor({ timeout: 30_000 });
  // the policy and the side-by-side selects offer the same values: the side-by-side one is the second
  const select = async (label: string, value: string, nth = 0) => {
    const s = page.locator('select').filter({ has: page.locator(`option[value="${value}"]`) }).nth(nth);
    if ((await s.inputValue()) !== value) await s.selectOption(value);
    console.log(`${label}: ${value}`);
  };
  await select('policy', arg('policy', 'env:sac'));
  await select('domain', arg('domain', 'source'));
  if (process.argv.includes('--versus')) await select('versus', arg('versus', 'pair:source'), 1);
  if (process.argv.includes('--ghost')) await select('ghost', arg('ghost', '30'));
  await page.waitForTimeout(500);
  await waitForTime(async () => Number((await page.locator('.overlay').textContent())!.match(/t = ([\d.]+)/)![1]), Number(arg('at', '3')));
  await pauseAndShoot(page, arg('out', `docs/darc-${pair}.png`), 600);
  console.log(`legend: ${(await page.locator('[data-test=darc-legend]').innerText()).replace(/\s+/g, ' ')}`);
});
