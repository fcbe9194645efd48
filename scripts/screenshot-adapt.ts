/**
 * The Adaptation view (the broken-leg showcase) in the browser shell at 1440x900: the ant follows
 * the x axis under GrBAL beside its unadapted twin (switched on), leg --leg breaks at --break seconds, the
 * picture is taken at --at seconds. Writes docs/adapt-broken-leg.png.
 *   npx tsx scripts/screenshot-adapt.ts [--method grbal] [--leg 3] [--break 4] [--at 20] [--out FILE]
 */
import { launchChromium, startShell, watchConsole } from '../test/e2e/browser-shell';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const out = arg('out', 'docs/adapt-broken-leg.png');

const shell = await startShell();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchConsole(page);
  await page.goto(`${shell.url}&debug=1`);
  await page.locator('[data-test=ready-flag]').filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
  // the Adaptation scene opens first; choosing it again would reopen it
  if ((await page.locator('[data-test=scene-picker]').inputValue()) !== 'adapt-ant') await page.locator('[data-test=scene-picker]').selectOption('adapt-ant');
  await page.locator('[data-test=break-leg]').waitFor({ timeout: 60_000 });
  const method = arg('method', '');
  if (method) await page.locator('[data-test=method]').selectOption(method);
  const simTime = () =>
    page.evaluate(() => {
      const d = (window as unknown as { __adaptlab: { time(): number; sceneId(): string | null } }).__adaptlab;
      return d.sceneId() === 'adapt-ant' ? d.time() : -1;
    });
  await page.locator('[data-test=twin]').click(); // the unadapted twin, off at first
  await page.locator('[data-test=leg]').selectOption(arg('leg', '3'));
  await page.locator('[data-test=fault-at]').fill(arg('break', '4'));
  await page.locator('[data-test=break-leg]').click();
  const at = Number(arg('at', '20'));
  while ((await simTime()) < at) await page.waitForTimeout(100);
  await page.locator('[data-test=pause]').dispatchEvent('click');
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  await page.locator('[data-test=tab-log]').click();
  console.log(await page.locator('[data-test=log]').innerText());
  console.log(`wrote ${out}${errors.length ? `; console errors:\n${errors.join('\n')}` : ''}`);
} finally {
  await browser.close();
  await shell.stop();
}
