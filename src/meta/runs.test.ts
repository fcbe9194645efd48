import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { Run, encodeJson, decodeJson } from './runs.js';
import { PPO, type PpoState } from './rl/ppo.js';
import { PointReach } from './rl/tasks.js';
import { runTrainingJob, type TrainingJobSpec } from './jobs/train.js';
import { startTrainingWorker } from './jobs/spawn.js';
import type { JobProgress } from './jobs/train.js';
import { evaluateRun } from './jobs/eval.js';
import { JobQueue } from './jobs/queue.js';

let root: string;
beforeAll(async () => {
  await initBackend();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'adaptlab-runs-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const small = { numSteps: 32, epochs: 2, minibatches: 2, hidden: [16], lr: 1e-3 };

describe('Run folder', () => {
  it('writes config, metrics, events, status and atomic checkpoints', () => {
    const run = Run.create(root, { algo: 'test', x: 1 });
    expect(run.config()).toEqual({ algo: 'test', x: 1 });
    run.appendMetrics(10, { loss: 1.5 });
    run.appendMetrics(20, { loss: 1.2 });
    run.appendEvent(15, 'fault', 'leg broken at step 15', { leg: 2 });
    expect(run.metrics().map((r) => r.step)).toEqual([10, 20]);
    expect(run.events()[0]).toMatchObject({ step: 15, type: 'fault', leg: 2 });
    for (const s of [100, 200, 300, 400]) run.saveCheckpoint(s, { s, w: Float32Array.from([s, -0]) }, 3);
    expect(run.checkpoints().map((c) => c.step)).toEqual([200, 300, 400]);
    expect(run.latestCheckpoint()?.step).toBe(400);
    expect(fs.readdirSync(path.join(run.dir, 'checkpoints')).some((f) => f.includes('.tmp'))).toBe(false);
    const ck = run.loadCheckpoint<{ w: Float32Array }>();
    expect(ck.payload.w).toBeInstanceOf(Float32Array);
    expect(Object.is(ck.payload.w[1], -0)).toBe(true);
    expect(run.truncateMetricsAfter(10)).toBe(1);
    expect(run.metrics().map((r) => r.step)).toEqual([10]);
    run.setStatus({ state: 'done', step: 20, totalSteps: 20 });
    expect(run.status()?.state).toBe('done');
    expect(Run.list(root)).toContain(run.dir);
  });

  it('encodes floats losslessly (NaN, Infinity, subnormals, float64)', () => {
    const v = { a: Float32Array.from([NaN, Infinity, 1e-40, 0.1]), b: Float64Array.from([Math.PI]), c: NaN };
    const back = decodeJson<typeof v>(encodeJson(v));
    expect(Buffer.from(back.a.buffer).equals(Buffer.from(v.a.buffer))).toBe(true);
    expect(back.b[0]).toBe(Math.PI);
    expect(back.c).toBeNaN();
  });

  it('PPO checkpoint round trip is bit-exact', () => {
    const a = new PPO(new PointReach(4), { seed: 11, ...small });
    a.iterate();
    a.iterate();
    const run = Run.create(root, {});
    run.saveCheckpoint(a.envSteps, a.getState());
    const loaded = run.loadCheckpoint<PpoState>().payload;
    const b = new PPO(new PointReach(4), { seed: 999, ...small });
    b.setState(loaded);
    expect(encodeJson(b.getState())).toBe(encodeJson(a.getState()));
    // and they continue identically
    expect(b.iterate()).toEqual(a.iterate());
    a.dispose();
    b.dispose();
  });
});

describe('training jobs', () => {
  const strip = (rows: Record<string, unknown>[]) => rows.map(({ wallTime: _w, fps: _f, ...r }) => r);

  it('resume continues the same curve: 2k steps at once == 1k + resumed 1k', async () => {
    const base: TrainingJobSpec = { algo: 'ppo', env: 'PointReach-v0', totalSteps: 2048, seed: 5, config: { ...small, numEnvs: 4 } };
    const full = await runTrainingJob({ ...base, runDir: path.join(root, 'full') });
    expect(full.status).toBe('done');

    const ac = new AbortController();
    const half = await runTrainingJob({ ...base, runDir: path.join(root, 'half') }, (p) => {
      if (p.step >= 1024) ac.abort();
    }, ac.signal);
    expect(half.status).toBe('cancelled');
    expect(half.step).toBe(1024);
    const resumed = await runTrainingJob({ ...base, runDir: path.join(root, 'half'), resume: true });
    expect(resumed.status).toBe('done');

    const a = strip(Run.open(full.runDir).metrics());
    const b = strip(Run.open(resumed.runDir).metrics());
    expect(a.length).toBe(16);
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++)
      for (const k of Object.keys(a[i])) {
        const x = a[i][k] as number | null;
        const y = b[i][k] as number | null;
        if (x === null || y === null) expect(y).toBe(x);
        else expect(y).toBeCloseTo(x, 5);
      }
    const ev = await evaluateRun(full.runDir, { episodes: 5, seed: 1 });
    expect(ev.returns.length).toBe(5);
    expect(ev.lengths).toEqual([100, 100, 100, 100, 100]);
    expect(ev.step).toBe(2048);
    expect(Number.isFinite(ev.mean) && Number.isFinite(ev.std)).toBe(true);
    expect((await evaluateRun(full.runDir, { episodes: 5, seed: 1 })).returns).toEqual(ev.returns);
    const types = Run.open(resumed.runDir).events().map((e) => e.type);
    expect(types).toEqual(['started', 'cancelled', 'resumed', 'finished']);
    expect(Run.open(resumed.runDir).status()?.state).toBe('done');
  });

  it('runs in a worker thread with progress and cancel', async () => {
    const progress: JobProgress[] = [];
    const job = startTrainingWorker(
      { algo: 'ppo', env: 'PointReach-v0', totalSteps: 1_000_000, seed: 1, runDir: path.join(root, 'worker'), config: { ...small, numEnvs: 4 } },
      {
        onProgress: (p) => {
          progress.push(p);
          if (progress.length === 2) job.cancel();
        },
      },
    );
    const result = await job.result;
    expect(result.status).toBe('cancelled');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatchObject({ step: 128, totalSteps: 1_000_000 });
    expect(progress[1].etaSeconds).toBeGreaterThan(0);
    expect(typeof progress[1].metrics.policyLoss).toBe('number');
    expect(Run.open(result.runDir).latestCheckpoint()?.step).toBe(result.step);
  });
});

describe('JobQueue', () => {
  it('runs at most N jobs at once and cancels queued jobs without starting them', async () => {
    const started: number[] = [];
    const resolvers = new Map<number, (v: string) => void>();
    const q = new JobQueue<number, string>((spec) => {
      started.push(spec);
      return { result: new Promise<string>((r) => resolvers.set(spec, r)), cancel: () => resolvers.get(spec)!('cancelled') };
    }, 2);
    const jobs = [1, 2, 3, 4].map((s) => q.enqueue(s));
    expect(started).toEqual([1, 2]);
    expect(q.queued).toBe(2);
    jobs[2].cancel();
    expect(await jobs[2].result).toBeNull();
    resolvers.get(1)!('done');
    expect(await jobs[0].result).toBe('done');
    expect(started).toEqual([1, 2, 4]);
    jobs[1].cancel();
    expect(await jobs[1].result).toBe('cancelled');
    resolvers.get(4)!('done');
    await jobs[3].result;
    expect(q.active).toBe(0);
  });
});
