/**
 * A workbench service on a temporary runs folder, for tests of training jobs: the service, its
 * runs root, and `finished(jobId)`, which resolves with the job's last progress event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { JobProgress } from '../../src/shared/contract';
import { WorkbenchService } from '../../src/main/service/workbench';

export function jobService(prefix: string) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const service = new WorkbenchService({ shell: 'browser', shellReason: 'test', runsRoot: root, maxJobs: 1 });
  afterAll(async () => {
    await service.dispose();
    rmSync(root, { recursive: true, force: true });
  });
  const finished = (jobId: string): Promise<JobProgress> =>
    new Promise((resolve) => {
      const off = service.on('job.progress', (p) => {
        if (p.jobId === jobId && (p.status === 'done' || p.status === 'failed' || p.status === 'cancelled')) {
          off();
          resolve(p);
        }
      });
    });
  return { root, service, finished };
}
