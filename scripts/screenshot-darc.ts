/**
 * The README's DARC picture: the DARC view of a pair (default broken-hopper) in the browser shell
 * at 1440x900, a policy playing in the source with its trail coloured by dr, the translucent ghost
 * of the target, the side-by-side robot and the legend. Writes docs/darc-<pair>.png.
 *   npx tsx scripts/screenshot-darc.ts [--pair broken-hopper] [--policy env:sac] [--domain source] [--versus pair:source] [--at SIM_SECONDS] [--out FILE]
 */
import { launchChromium, startShell } from '../test/e2e/browser-shell';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const pair = arg('pair', 'broken-hopper');
const out = arg('out', `docs/darc-${pair}.png`);

const shell = await startShell();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(shell.url);
  await page.locator('[data-test=ready-flag]').filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
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
  const simTime = async () => Number((await page.locator('.overlay').textContent())!.match(/t = ([\d.]+)/)![1]);
  const at = Number(arg('at', '3'));
  await page.waitForTimeout(500);
  while ((await simTime()) < at) await page.waitForTimeout(50);
  await page.locator('[data-test=pause]').dispatchEvent('click');
  await page.waitForTimeout(600);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
  console.log(`legend: ${(await page.locator('[data-test=darc-legend]').innerText()).replace(/\s+/g, ' ')}`);
  if (errors.length) console.log(`page errors:\n${errors.join('\n')}`);
} finally {
  await browser.close();
  await shell.stop();
}
