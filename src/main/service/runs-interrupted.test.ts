/**
 * A run killed with kill -9 leaves status.json at "running"; the listing must not call it running
 * (issue 15, item 6): status.json names the training process, and a run whose process is gone lists
 * as "interrupted", resumable.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Run } from '../../meta/runs';
import { listRuns } from './runs';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'adaptlab-interrupted-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const cfg = { algo: 'ppo', env: 'PointReach-v0', seed: 0, numEnvs: 4, totalSteps: 1000, trainer: { numEnvs: 4 } };
const writeStatus = (run: Run, s: object) => fs.writeFileSync(path.join(run.dir, 'status.json'), JSON.stringify({ step: 64, totalSteps: 1000, updatedAt: new Date().toISOString(), ...s }));

describe('listRuns after kill -9', () => {
  it('a running status names its process', () => {
    const run = Run.create(root, cfg, 'own');
    run.setStatus({ state: 'running', step: 0, totalSteps: 1000 });
    expect(run.status()).toMatchObject({ state: 'running', pid: process.pid, hostname: os.hostname() });
    run.setStatus({ state: 'done', step: 1000, totalSteps: 1000 });
    expect(run.status()).not.toHaveProperty('pid');
  });

  it('lists a run whose recorded process is dead as interrupted (resumable); live and foreign ones as running', () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    writeStatus(Run.create(root, cfg, 'dead'), { state: 'running', pid: deadPid, hostname: os.hostname() });
    writeStatus(Run.create(root, cfg, 'alive'), { state: 'running', pid: process.pid, hostname: os.hostname() });
    writeStatus(Run.create(root, cfg, 'elsewhere'), { state: 'running', pid: deadPid, hostname: `not-${os.hostname()}` });
    writeStatus(Run.create(root, cfg, 'legacy'), { state: 'running' });
    writeStatus(Run.create(root, cfg, 'finished'), { state: 'done', pid: deadPid, hostname: os.hostname() });
    const byId = Object.fromEntries(listRuns(root).map((r) => [r.id, r]));
    expect(byId.dead).toMatchObject({ status: 'interrupted', resumable: true, step: 64 });
    expect(byId.alive.status).toBe('running');
    expect(byId.elsewhere.status).toBe('running');
    expect(byId.legacy.status).toBe('running');
    expect(byId.finished.status).toBe('done');
  });
});
