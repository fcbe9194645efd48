/**
 * Resuming a run folder (issue 15, item 6): a resume before the first checkpoint must not
 * duplicate metrics rows, a resume keeps (or visibly changes) the run's total steps, and a resume
 * with another env fails before building anything.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { Run } from '../runs.js';
import { runTrainingJob, type TrainingJobSpec } from './train.js';

let root: string;
beforeAll(async () => {
  await initBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'adaptlab-resume-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const small = { numSteps: 16, epochs: 1, minibatches: 2, hidden: [8], lr: 1e-3 };
// 4 envs x 16 steps = 64 env steps an iteration
const base: TrainingJobSpec = { algo: 'ppo', env: 'PointReach-v0', totalSteps: 320, seed: 7, config: { ...small, numEnvs: 4 } };

class Killed extends Error {}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/** Trains until `iterations` iterations have been logged, then dies the way a kill -9 leaves a run. */
async function trainUntilKilled(spec: TrainingJobSpec, iterations: number): Promise<void> {
  let n = 0;
  await expect(
    runTrainingJob(spec, () => {
      if (++n >= iterations) throw new Killed('killed');
    }),
  ).rejects.toThrow('killed');
  // what kill -9 leaves: status still "running", no 'failed' event
  const run = Run.open(spec.runDir!);
  fs.writeFileSync(path.join(run.dir, 'status.json'), JSON.stringify({ state: 'running', step: n * 64, totalSteps: spec.totalSteps, updatedAt: new Date().toISOString(), pid: deadPid(), hostname: os.hostname() }));
  fs.writeFileSync(path.join(run.dir, 'events.jsonl'), fs.readFileSync(path.join(run.dir, 'events.jsonl'), 'utf8').split('\n').filter((l) => !l.includes('"failed"')).join('\n'));
}

const steps = (rows: { step: number }[]) => rows.map((r) => r.step);
const strip = (rows: Record<string, unknown>[]) => rows.map(({ wallTime: _w, fps: _f, ...r }) => r);

describe('resuming a run folder', () => {
  it('before the first checkpoint: metrics and events stay monotone, and the run equals a fresh one', async () => {
    const runDir = path.join(root, 'early');
    await trainUntilKilled({ ...base, runDir, checkpointEvery: 1_000_000 }, 3);
    const before = Run.open(runDir);
    expect(before.checkpoints()).toEqual([]);
    expect(steps(before.metrics())).toEqual([64, 128, 192]);

    const r = await runTrainingJob({ ...base, runDir, resume: true, checkpointEvery: 1_000_000 });
    expect(r).toMatchObject({ status: 'done', step: 320 });
    const run = Run.open(runDir);
    expect(steps(run.metrics())).toEqual([64, 128, 192, 256, 320]);
    const evSteps = steps(run.events());
    expect(evSteps).toEqual([...evSteps].sort((a, b) => a - b));
    expect(run.events().map((e) => e.type)).toEqual(['started', 'resumed', 'finished']);

    // a resume with no checkpoint starts over as configured: the same curve as a run never killed
    const fresh = await runTrainingJob({ ...base, runDir: path.join(root, 'early-fresh'), checkpointEvery: 1_000_000 });
    const a = strip(Run.open(fresh.runDir).metrics());
    const b = strip(run.metrics());
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) for (const k of Object.keys(a[i])) expect(b[i][k]).toBeCloseTo(a[i][k] as number, 5);
  });

  it('after a checkpoint: rows logged after it are dropped, steps stay strictly increasing', async () => {
    const runDir = path.join(root, 'mid');
    await trainUntilKilled({ ...base, runDir, checkpointEvery: 128 }, 3);
    expect(Run.open(runDir).latestCheckpoint()?.step).toBe(128);
    expect(steps(Run.open(runDir).metrics())).toEqual([64, 128, 192]);
    await runTrainingJob({ ...base, runDir, resume: true, checkpointEvery: 128 });
    const run = Run.open(runDir);
    expect(steps(run.metrics())).toEqual([64, 128, 192, 256, 320]);
    expect(run.events().find((e) => e.type === 'resumed')).toMatchObject({ step: 128, droppedMetricRows: 1 });
  });

  it('keeps the configured total; a changed total is written to config.json and logged', async () => {
    const runDir = path.join(root, 'extend');
    await trainUntilKilled({ ...base, runDir, checkpointEvery: 64 }, 2);
    await runTrainingJob({ ...base, runDir, resume: true, totalSteps: 448 });
    const run = Run.open(runDir);
    expect(run.config<{ totalSteps: number }>().totalSteps).toBe(448);
    expect(run.status()).toMatchObject({ state: 'done', step: 448, totalSteps: 448 });
    expect(run.events().find((e) => e.type === 'total-steps-changed')).toMatchObject({ from: 320, to: 448 });
    expect(steps(run.metrics())).toEqual([64, 128, 192, 256, 320, 384, 448]);
  });

  it('with another env fails at once, naming both, and leaves the run as it was', async () => {
    const runDir = path.join(root, 'other-env');
    await trainUntilKilled({ ...base, runDir, checkpointEvery: 64 }, 2);
    const files = () => ['metrics.jsonl', 'events.jsonl', 'config.json'].map((f) => fs.readFileSync(path.join(runDir, f), 'utf8'));
    const was = files();
    const t0 = performance.now();
    await expect(runTrainingJob({ ...base, env: 'Pendulum-v1', runDir, resume: true })).rejects.toThrow(/trains ppo on PointReach-v0, not ppo on Pendulum-v1/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(files()).toEqual(was);
  });

  it('refuses a run another live process is training', async () => {
    const run = Run.create(root, { algo: 'ppo', env: 'PointReach-v0', seed: 0, numEnvs: 4, totalSteps: 320 }, 'busy');
    // a live process that is not this one: the parent of this test process
    fs.writeFileSync(path.join(run.dir, 'status.json'), JSON.stringify({ state: 'running', step: 0, totalSteps: 320, pid: process.ppid, hostname: os.hostname() }));
    await expect(runTrainingJob({ ...base, runDir: run.dir, resume: true })).rejects.toThrow(new RegExp(`process ${process.ppid} on this host is training it now`));
  });
});
