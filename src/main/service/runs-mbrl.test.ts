/**
 * Model-based meta-training runs (GrBAL/ReBAL/MB) show up in the Runs view like RL runs: listed
 * with algo, env and progress in gradient steps, their loss curve plottable, and refused by
 * "resume" (which continues PPO runs) with a message that says how to continue them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainModelBasedMeta } from '../../meta/mbrl/train';
import { JobManager } from './jobs';
import { listRuns, runMetrics } from './runs';

const root = mkdtempSync(join(tmpdir(), 'adaptlab-mbruns-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('model-based meta-training runs in the Runs view', () => {
  it('are listed with progress in gradient steps and a plottable loss, and resume says what to do', { timeout: 120_000 }, async () => {
    await trainModelBasedMeta({ method: 'grbal', env: 'Crawler-v0', steps: 300, seed: 3, outDir: join(root, 'crawler-grbal'), hidden: [16], gradSteps: 50, iterations: 0, episodeSteps: 50, M: 4, K: 4, metaBatch: 3 });
    const [r] = listRuns(root);
    expect(r).toMatchObject({ id: 'crawler-grbal', algo: 'grbal', env: 'Crawler-v0', seed: 3, status: 'done', step: 50, totalSteps: 50, stepUnit: 'gradient steps', resumable: false });
    expect(r.last.errorAfter).toBeGreaterThan(0);
    const m = runMetrics(r.dir, r.id);
    const loss = m.values.loss.map((v, i) => [m.steps[i], v]).filter(([, v]) => v !== null);
    expect(loss.map(([s]) => s)).toEqual([25, 50]);
    expect(m.steps.every((s, i) => i === 0 || s >= m.steps[i - 1])).toBe(true);
    const jobs = new JobManager(root, () => {}, () => {}, 1);
    expect(() => jobs.resume('crawler-grbal')).toThrow(/grbal run.*npx adaptlab train grbal --env Crawler-v0 --init-from/);
  });
});
