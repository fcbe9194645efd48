import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../shared/contract';
import { jobService } from '../../../test/support/job-service';

const { service, finished } = jobService('adaptlab-runs-');

describe('training jobs through the workbench service', () => {
  it('trains PPO in a worker, streams progress, and lists the run with its metrics', async () => {
    const seen: JobProgress[] = [];
    const off = service.on('job.progress', (p) => seen.push(p));
    const job = await service.call('job.start', { algo: 'ppo', env: 'PointReach-v0', steps: 4096, seed: 3, numEnvs: 8 });
    const end = await finished(job.jobId);
    off();
    expect(end.status).toBe('done');
    expect(seen.some((p) => p.status === 'running' && p.step > 0 && p.etaSeconds !== null)).toBe(true);
    const runs = await service.call('runs.list', {});
    const run = runs.find((r) => r.id === end.runId)!;
    expect(run).toBeDefined();
    expect(run.status).toBe('done');
    expect(run.step).toBeGreaterThanOrEqual(4096);
    const m = await service.call('runs.metrics', { runId: run.id });
    expect(m.steps.length).toBeGreaterThan(1);
    expect(Object.keys(m.values)).toContain('episodeReturn');

    // Resume continues the same curve from its checkpoint.
    const resumed = await service.call('job.resume', { runId: run.id });
    const end2 = await finished(resumed.jobId);
    expect(end2.status).toBe('done');
    expect(end2.runId).toBe(run.id);
  });

  it('runs a physics env (Hopper-v0) in a training worker', async () => {
    const job = await service.call('job.start', { algo: 'ppo', env: 'Hopper-v0', steps: 512, seed: 1, numEnvs: 2 });
    const end = await finished(job.jobId);
    expect(end.status).toBe('done');
    expect(end.metrics).toHaveProperty('info/reward_forward');
  });

  it('refuses run ids that would leave the runs folder', async () => {
    await expect(service.call('runs.metrics', { runId: '../etc' })).rejects.toThrow(/invalid run id/);
  });
});
