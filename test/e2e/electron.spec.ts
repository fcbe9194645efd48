import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary, hasDisplay } from '../../src/main/cli/shell-choice';

const bin = electronBinary();

test('the Electron app opens the workbench with no console errors', async () => {
  test.skip('missing' in bin, `skipped: ${'missing' in bin ? bin.missing : ''}`);
  test.skip(!hasDisplay(), 'skipped: no display for Electron (run under xvfb-run)');
  const userData = mkdtempSync(join(tmpdir(), 'adaptlab-e2e-'));
  const app = await electron.launch({
    executablePath: (bin as { path: string }).path,
    args: ['.', `--user-data-dir=${userData}`],
  });
  const page = await app.firstWindow();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await expect(page.locator('[data-test=ready-flag]')).toHaveText('ready', { timeout: 30_000 });
  await expect(page.locator('[data-test=shell]')).toHaveText('electron shell');
  // The renderer has no Node and no raw IPC: only the contract.
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => Object.keys((globalThis as unknown as { adaptlab: object }).adaptlab).sort())).toEqual(['invoke', 'on']);
  await page.screenshot({ path: 'test-results/electron.png' });
  expect(errors).toEqual([]);
  await app.close();
});
