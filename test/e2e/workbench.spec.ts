import { expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { type Shell, distinctViewportColors, openWorkbench, startShell } from './browser-shell';

let shell: Shell;

const runsDir = mkdtempSync(join(tmpdir(), 'adaptlab-e2e-runs-'));

test.beforeAll(async () => {
  shell = await startShell(['--runs', runsDir]);
});
test.afterAll(async () => {
  await shell?.stop();
});

test('start prints which shell runs and why', () => {
  expect(shell.output.join('')).toMatch(/AdaptLab: browser shell, because .+/);
});

test('the workbench opens, bodies move, and the viewport is drawn', async () => {
  const { browser, page, errors } = await openWorkbench(shell, { width: 1280, height: 800 });
  await expect(page.locator('[data-test=shell]')).toHaveText('browser shell');

  // The default scene is the ant walking under MPC: its torso's position changes.
  await page.locator('.tree li', { hasText: 'torso', hasNotText: 'twin/' }).click(); // the ant's, not its twin's
  const pos = page.locator('.props dd').first();
  await expect(pos).not.toBeEmpty();
  const a = await pos.textContent();
  // Planning makes a control step slow to start (~0.1 s or more): poll rather than sleep.
  await expect.poll(() => pos.textContent(), { timeout: 15_000 }).not.toEqual(a);

  // Pause holds the scene still; step advances it by one frame.
  await page.locator('[data-test=pause]').click();
  const frame = async () => Number((await page.locator('.overlay').textContent())!.match(/frame (\d+)/)![1]);
  // a control step already under way when pause arrives still lands: MPC's first steps can take
  // most of a second (the control-step chart shows ~700 ms spikes), so still means still for 1 s
  const advance = async () => {
    const f = await frame();
    await page.waitForTimeout(1000);
    return (await frame()) - f;
  };
  await expect.poll(advance, { timeout: 15_000 }).toBe(0);
  const f0 = await frame();
  await page.waitForTimeout(300);
  expect(await frame()).toBe(f0);
  await page.locator('[data-test=step]').click();
  await expect.poll(frame).toBe(f0 + 1);
  await page.locator('[data-test=play]').click();

  // The viewport is not blank: its pixels vary.
  expect(await distinctViewportColors(page)).toBeGreaterThan(50);
  await page.screenshot({ path: 'test-results/workbench-full.png' });
  expect(errors).toEqual([]);
  await browser.close();
});

test('the adaptation demo opens first: break a leg and the charts mark it', async () => {
  const { browser, page, errors } = await openWorkbench(shell, { width: 1400, height: 850 });
  await expect(page.locator('[data-test=scene-picker]')).toHaveValue('adapt-ant');
  await expect(page.locator('[data-test=chart-model-state-error]')).toBeVisible({ timeout: 30_000 });
  await page.locator('[data-test=leg]').selectOption('3');
  await page.locator('[data-test=break-leg]').click();
  await expect(page.locator('[data-test=log]')).toContainText('leg 3 broken', { timeout: 20_000 });
  await page.locator('[data-test=adaptation]').click();
  await expect(page.locator('[data-test=log]')).toContainText('adaptation off', { timeout: 20_000 });
  await page.waitForTimeout(3000);
  await page.screenshot({ path: 'test-results/adaptation.png' });
  expect(errors).toEqual([]);
  await browser.close();
});

test('the Hopper scene opens playing the shipped learned policy, and it hops forward', async () => {
  const { browser, page, errors } = await openWorkbench(shell, { width: 1400, height: 850 });
  await page.locator('[data-test=scene-picker]').selectOption('Hopper-v0');
  await expect(page.locator('[data-test=policy]')).toHaveValue('learned:ppo', { timeout: 20_000 });
  // The torso moves forward in x (the scripted gait and zero action fall where they stand).
  await page.locator('.tree li', { hasText: 'torso', hasNotText: 'twin/' }).click(); // the ant's, not its twin's
  const x = async () => Number((await page.locator('.props dd').first().textContent())!.match(/-?\d+(\.\d+)?/)![0]);
  const x0 = await x();
  await expect.poll(x, { timeout: 20_000 }).toBeGreaterThan(x0 + 1);
  await page.screenshot({ path: 'test-results/hopper-learned.png' });
  expect(errors).toEqual([]);
  await browser.close();
});

test('a training run started from the Runs view shows progress and its curve', async () => {
  const { browser, page, errors } = await openWorkbench(shell, { width: 1280, height: 800 });
  await page.locator('[data-test=view-runs]').click();
  await page.locator('[data-test=train-env]').selectOption('PointReach-v0');
  await page.locator('[data-test=train-steps]').fill('6144');
  await page.locator('[data-test=train-start]').click();
  const row = page.locator('[data-test=run-row]').first();
  await expect(row).toContainText('done', { timeout: 90_000 });
  await row.locator('input[type=checkbox]').check();
  await expect(page.locator('[data-test=compare-chart] canvas')).toBeVisible({ timeout: 10_000 });
  await page.screenshot({ path: 'test-results/runs.png' });
  expect(errors).toEqual([]);
  await browser.close();
});

test('requests without the token or from a foreign origin are refused', async () => {
  const base = `http://127.0.0.1:${shell.port}`;
  expect((await fetch(`${base}/`)).status).toBe(401);
  expect((await fetch(`${base}/api/info`)).status).toBe(401);
  expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
  expect((await fetch(`${base}/?token=${shell.token}`)).status).toBe(200);
  expect(await statusWithHost(shell.port, `/?token=${shell.token}`, `evil.example:${shell.port}`)).toBe(403);

  const upgrade = (query: string, origin: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/ws${query}`, { headers: { Origin: origin } });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
  expect(await upgrade('', base)).toBe(401);
  expect(await upgrade(`?token=${shell.token}`, 'http://evil.example')).toBe(403);
  expect(await upgrade(`?token=${shell.token}`, base)).toBe(101);
});

/** fetch() will not send a forged Host header; node:http will (DNS-rebinding check). */
function statusWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
