/**
 * The quadrotor adaptation view in the browser shell at 1440x900: the figure-8 under the scene's
 * default method (the latent model where it ships, else PID; --method overrides), the payload
 * swapped at --swap seconds, the picture taken at --at seconds. Writes docs/quad-adapt.png.
 *   npx tsx scripts/screenshot-quad.ts [--method ID] [--swap 4] [--at 8] [--out FILE]
 */
import { launchChromium, startShell, watchConsole } from '../test/e2e/browser-shell';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const out = arg('out', 'docs/quad-adapt.png');

const shell = await startShell();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = watchConsole(page);
  await page.goto(`${shell.url}&debug=1`);
  await page.locator('[data-test=ready-flag]').filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-test=scene-picker]').selectOption('adapt-quad');
  await page.locator('[data-test=swap]').waitFor({ timeout: 30_000 });
  const method = arg('method', '');
  if (method) await page.locator('[data-test=method]').selectOption(method); // a method switch keeps the episode
  // session time of the quad's session (-1 while the previous scene is still shown), through the ?debug hook
  const simTime = () =>
    page.evaluate(() => {
      const d = (window as unknown as { __adaptlab: { time(): number; sceneId(): string | null } }).__adaptlab;
      return d.sceneId() === 'adapt-quad' ? d.time() : -1;
    });
  const swap = Number(arg('swap', '4'));
  while ((await simTime()) < swap) await page.waitForTimeout(50);
  await page.locator('[data-test=swap]').click();
  const at = Number(arg('at', '8'));
  while ((await simTime()) < at) await page.waitForTimeout(50);
  await page.locator('[data-test=pause]').dispatchEvent('click');
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  await page.locator('[data-test=tab-log]').click();
  console.log(await page.locator("[data-test=log]").innerText());
  if (process.env.QUAD_SHOT_DEBUG) console.log(shell.output.join(""));
  console.log(`wrote ${out}${errors.length ? `; console errors:\n${errors.join('\n')}` : ''}`);
} finally {
  await browser.close();
  await shell.stop();
}
