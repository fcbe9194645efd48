/**
 * Model-based meta-training runs (GrBAL/ReBAL/MB) are runs of the one driver: listed in the Runs
 * view with algo, env and progress in gradient steps, their loss curve plottable, resumable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrainingJob } from '../../meta/jobs/train';
import { Run } from '../../meta/runs';
import { JobManager } from './jobs';
import { listRuns, runMetrics } from './runs';

const root = mkdtempSync(join(tmpdir(), 'adaptlab-mbruns-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('model-based meta-training runs in the Runs view', () => {
  it('are listed with progress in gradient steps and a plottable loss, and can be resumed', { timeout: 120_000 }, async () => {
    const config = { steps: 300, hidden: [16], gradSteps: 50, iterations: 0, episodeSteps: 50, past: 4, future: 4, metaBatch: 3 };
    await runTrainingJob({ algo: 'grbal', env: 'Crawler-v0', seed: 3, totalSteps: 0, runDir: join(root, 'crawler-grbal'), config });
    const [r] = listRuns(root);
    expect(r).toMatchObject({ id: 'crawler-grbal', algo: 'grbal', env: 'Crawler-v0', seed: 3, status: 'done', step: 50, totalSteps: 50, stepUnit: 'gradient steps', resumable: true });
    expect(r.last.errorAfter).toBeGreaterThan(0);
    const m = runMetrics(r.dir, r.id);
    const loss = m.values.loss.map((v, i) => [m.steps[i], v]).filter(([, v]) => v !== null);
    expect(loss.map(([s]) => s)).toEqual([25, 50]);
    expect(m.steps.every((s, i) => i === 0 || s >= m.steps[i - 1])).toBe(true);
  });

  it('an MB run logs its prediction error and no "after adapting" (MB does not adapt)', { timeout: 120_000 }, async () => {
    const config = { steps: 300, hidden: [16], gradSteps: 50, iterations: 0, episodeSteps: 50, past: 4, future: 4 };
    await runTrainingJob({ algo: 'mb', env: 'Crawler-v0', seed: 3, totalSteps: 0, runDir: join(root, 'mb-only', 'crawler-mb'), config });
    const [r] = listRuns(join(root, 'mb-only'));
    expect(r.last.errorBefore).toBeGreaterThan(0);
    expect(r.last.errorAfter).toBeUndefined();
  });

  it('a model-based run from before the trainer platform lists as not resumable; resume says how to start one warm', () => {
    const legacy = join(root, 'legacy');
    Run.create(legacy, { algo: 'grbal', env: 'Crawler-v0', seed: 0, totalSteps: 100, stepUnit: 'gradient steps' }, 'old-grbal');
    expect(listRuns(legacy)[0]).toMatchObject({ id: 'old-grbal', resumable: false });
    const jobs = new JobManager(legacy, () => {}, () => {}, 1);
    expect(() => jobs.resume('old-grbal')).toThrow(/from before the trainer platform.*npx adaptlab train grbal --env Crawler-v0 --init-from/);
  });
});
