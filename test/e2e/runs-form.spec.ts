/**
 * The Runs view's training form is generated from the trainer registry ('trainers.list'): pick
 * an algorithm, its options appear with their defaults and docs; a bad value comes back from the
 * service named beside the form; a good one trains.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Shell, openWorkbench, startShell } from './browser-shell';

let shell: Shell;
const runsDir = mkdtempSync(join(tmpdir(), 'adaptlab-e2e-runs-form-'));
/** Screenshots people look at (the form, SAC's options open; PPO training). */
const SHOTS = process.env.ADAPTLAB_SHOTS ?? tmpdir();

test.beforeAll(async () => {
  shell = await startShell(['--runs', runsDir]);
});
test.afterAll(async () => {
  await shell?.stop();
});

test('the Runs form lists the registry trainers, builds their options, and starts a run', async () => {
  const { browser, page, errors } = await openWorkbench(shell, { width: 1280, height: 860 });
  await page.locator('[data-test=view-runs]').click();
  const algo = page.locator('[data-test=train-algo]');
  const opt = (key: string) => page.locator(`[data-test=opt-${key}]`);

  // Every registry trainer gets a form: its envs, and its options as fields (whatever their kinds).
  await page.locator('[data-test=train-options] summary').click();
  const ids = await algo.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(ids).toEqual(expect.arrayContaining(['ppo', 'sac']));
  for (const id of ids) {
    await algo.selectOption(id);
    await expect(page.locator('[data-test=train-env] option').first()).toBeAttached();
    await expect(page.locator('[data-test=train-form] .field').first()).toBeVisible();
    await page.locator('[data-test=train-form]').screenshot({ path: join(SHOTS, `runs-form-${id}.png`) });
  }

  // SAC: its summary, its envs, its budget and every option of its schema with the default.
  await algo.selectOption('sac');
  await expect(algo.locator('option')).toContainText(['PPO', 'SAC'], { timeout: 20_000 });
  await expect(page.locator('[data-test=train-summary]')).toContainText('Soft Actor-Critic');
  await expect(page.locator('[data-test=train-steps]')).toHaveValue('100000');
  await expect(page.locator('[data-test=train-form]')).toContainText('Env steps');
  await expect(opt('batchSize')).toHaveValue('256');
  await expect(opt('batchSize')).toHaveAttribute('step', '1');
  await expect(opt('tau')).toHaveValue('0.005');
  await expect(opt('autotune')).toBeChecked();
  await expect(opt('activation')).toHaveValue('relu');
  await expect(opt('hidden')).toHaveValue('256,256');
  await expect(page.locator('.field', { has: opt('tau') })).toContainText('Polyak rate of the target critics');
  await page.screenshot({ path: join(SHOTS, 'runs-form-sac.png') });

  // A value the schema refuses: the service's error names the option, beside the form.
  await opt('gamma').fill('2');
  await page.locator('[data-test=train-start]').click();
  await expect(page.locator('[data-test=train-error]')).toContainText('sac option "gamma"', { timeout: 20_000 });
  await page.locator('[data-test=train-defaults]').click();
  await expect(opt('gamma')).toHaveValue('0.99');
  await expect(page.locator('[data-test=train-error]')).toHaveCount(0);

  // PPO: its own options replace SAC's; a tiny run on PointReach-v0 trains with what was typed.
  await algo.selectOption('ppo');
  await expect(page.locator('[data-test=train-summary]')).toContainText('PPO');
  await expect(opt('tau')).toHaveCount(0);
  await expect(opt('numSteps')).toHaveValue('256');
  await expect(opt('normalizeObs')).toBeChecked();
  await page.locator('[data-test=train-env]').selectOption('PointReach-v0');
  await page.locator('[data-test=train-steps]').fill('1024');
  await opt('numEnvs').fill('2');
  await opt('numSteps').fill('64');
  await opt('epochs').fill('2');
  await opt('minibatches').fill('4');
  await opt('hidden').fill('16, 16');
  await opt('annealLr').uncheck();
  await expect(page.locator('[data-test=train-options] summary')).toContainText('6 changed');
  await page.locator('[data-test=train-start]').click();
  await expect(page.locator('[data-test=job]').first()).toContainText('/ 1,024 env steps', { timeout: 20_000 });
  const row = page.locator('[data-test=run-row]', { hasText: 'PointReach-v0' }).first();
  await expect(row).toContainText(/running|done/, { timeout: 60_000 });
  await page.screenshot({ path: join(SHOTS, 'runs-form.png') });
  await expect(row).toContainText('done', { timeout: 90_000 });
  const runId = (await row.locator('td.id').textContent())!.trim();
  const cfg = JSON.parse(readFileSync(join(runsDir, runId, 'config.json'), 'utf8'));
  expect(cfg).toMatchObject({ algo: 'ppo', env: 'PointReach-v0' });
  expect(cfg.trainer).toMatchObject({ numEnvs: 2, numSteps: 64, hidden: [16, 16], annealLr: false, epochs: 2, minibatches: 4, lr: 3e-4 });
  expect(errors).toEqual([]);
  await browser.close();
});
