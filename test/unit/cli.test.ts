import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const out = mkdtempSync(join(tmpdir(), 'adaptlab-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/adaptlab.mjs', ...args], { encoding: 'utf8', timeout: 240_000 });

describe('adaptlab command line', () => {
  it('prints help and its version; refuses unknown commands and bad flags', () => {
    expect(cli('--help').stdout).toMatch(/Usage: adaptlab <command>/);
    expect(cli('version').stdout).toMatch(/^adaptlab \d+\.\d+\.\d+/);
    const unknown = cli('fly');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "fly"/);
    const bad = cli('train', 'ppo', '--env', 'PointReach-v0', '--steps', 'many');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--steps expects an integer/);
  });

  it('trains, lists and evaluates a run', () => {
    const log = execFileSync(process.execPath, ['bin/adaptlab.mjs', 'train', 'ppo', '--env', 'PointReach-v0', '--steps', '2048', '--seed', '2', '--out', out], { encoding: 'utf8' });
    expect(log).toMatch(/step \d+\/2048 \(\d+%\)/);
    expect(log).toMatch(/train: done at step/);
    const [runId] = readdirSync(out);
    const table = cli('runs', out).stdout;
    expect(table).toContain(runId);
    expect(table).toMatch(/done\s+\d+\/2048/);
    const evalOut = JSON.parse(cli('eval', '--run', join(out, runId), '--episodes', '2', '--json').stdout);
    expect(evalOut.episodes).toBe(2);
    expect(evalOut.returns).toHaveLength(2);
    expect(Number.isFinite(evalOut.mean)).toBe(true);
  });

  it('trains a model-based method on the same platform, copies its model and evaluates the run', () => {
    const run = join(out, 'mb', 'crawler-grbal');
    const model = join(out, 'mb', 'grbal.json');
    const args = ['--env', 'Crawler-v0', '--steps', '300', '--grad-steps', '20', '--iterations', '0', '--episode-steps', '50', '--hidden', '16', '--past', '4', '--future', '4', '--meta-batch', '3', '--planner', 'rs:16:3'];
    const log = execFileSync(process.execPath, ['bin/adaptlab.mjs', 'train', 'grbal', ...args, '--seed', '1', '--run-dir', run, '--copy-to', model], { encoding: 'utf8' });
    expect(log).toMatch(/train: grbal on Crawler-v0, 20 gradient steps/);
    expect(log).toMatch(/train: done at step 20/);
    expect(JSON.parse(readFileSync(model, 'utf8')).format).toBe('adaptlab-mbrl/1');
    expect(existsSync(join(run, 'data.json'))).toBe(true);
    const evalOut = JSON.parse(cli('eval', '--run', run, '--episodes', '1', '--json').stdout);
    expect(evalOut.episodes).toBe(1);
    expect(Number.isFinite(evalOut.forwardDistance.mean)).toBe(true);
    // the run already holds a run: --run-dir refuses to write over it
    expect(cli('train', 'grbal', ...args, '--run-dir', run).stderr).toMatch(/already holds a run/);
  });
});
