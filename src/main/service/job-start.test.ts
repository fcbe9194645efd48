import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobService } from '../../../test/support/job-service';

const { root, service, finished } = jobService('adaptlab-jobstart-');

describe('trainers.list', () => {
  it('lists every registry trainer as plain data: envs, step unit and the config as fields', async () => {
    const list = await service.call('trainers.list', {});
    expect(list.map((t) => t.id)).toEqual(expect.arrayContaining(['ppo', 'sac']));
    // plain JSON: what crosses the WebSocket is what the service holds
    expect(JSON.parse(JSON.stringify(list))).toEqual(list);
    const sac = list.find((t) => t.id === 'sac')!;
    expect(sac.summary).toMatch(/Soft Actor-Critic/);
    expect(sac.stepUnit).toBe('env steps');
    expect(sac.defaultSteps).toBeGreaterThan(0);
    expect(sac.envs).toContain('PointReach-v0');
    const byKey = Object.fromEntries(sac.fields.map((f) => [f.key, f]));
    expect(byKey.batchSize).toMatchObject({ type: 'number', isInt: true, min: 1, defaultValue: 256 });
    expect(byKey.autotune).toMatchObject({ type: 'boolean', defaultValue: true });
    expect(byKey.activation).toMatchObject({ type: 'enum', values: ['relu', 'tanh', 'elu'], defaultValue: 'relu' });
    expect(byKey.hidden).toMatchObject({ type: 'array', elementType: 'number', defaultValue: [256, 256] });
    for (const f of sac.fields) expect(f.description, f.key).toBeTruthy();
  });
});

describe('job.start validation', () => {
  const base = { env: 'PointReach-v0', steps: 64, seed: 0 };

  it('refuses an unknown algorithm, naming the registered ones', async () => {
    await expect(service.call('job.start', { ...base, algo: 'dqn' })).rejects.toThrow(/unknown algorithm "dqn" \(registered: ppo, sac/);
  });

  it('refuses an env the trainer does not train', async () => {
    await expect(service.call('job.start', { ...base, algo: 'ppo', env: 'Nowhere-v9' })).rejects.toThrow(/ppo does not train on "Nowhere-v9"/);
  });

  it('refuses a bad option value, naming the option', async () => {
    await expect(service.call('job.start', { ...base, algo: 'sac', config: { gamma: 2 } })).rejects.toThrow(/sac option "gamma": .*1/);
    await expect(service.call('job.start', { ...base, algo: 'ppo', config: { activation: 'sigmoid' } })).rejects.toThrow(/ppo option "activation"/);
    await expect(service.call('job.start', { ...base, algo: 'ppo', config: { hidden: [64, 0] } })).rejects.toThrow(/ppo option "hidden" \(item 1\)/);
    await expect(service.call('job.start', { ...base, algo: 'ppo', config: { epochs: 'ten' } })).rejects.toThrow(/ppo option "epochs"/);
  });

  it('refuses an option the trainer does not have (not silently dropped)', async () => {
    await expect(service.call('job.start', { ...base, algo: 'ppo', config: { tau: 0.1 } })).rejects.toThrow(/ppo has no option "tau"/);
  });

  it('refuses malformed params at the contract, and keeps serving', async () => {
    await expect(service.dispatch('job.start', { ...base, algo: 'ppo', config: { lr: { nested: 1 } } })).rejects.toThrow(/job\.start: invalid config\.lr/);
    await expect(service.dispatch('job.start', { ...base, algo: 7 })).rejects.toThrow(/job\.start: invalid algo/);
    await expect(service.dispatch('job.start', { ...base, algo: 'ppo', config: { numEnvs: 2 }, numEnvs: 3 })).rejects.toThrow(/numEnvs given twice/);
    expect((await service.call('trainers.list', {})).length).toBeGreaterThan(0);
    expect(await service.call('job.list', {})).toEqual([]);
  });

  it('queues a valid request, and the run trains with the config given', async () => {
    const job = await service.call('job.start', { ...base, algo: 'ppo', config: { numEnvs: 2, numSteps: 32, hidden: [8], annealLr: false } });
    expect(job).toMatchObject({ algo: 'ppo', env: 'PointReach-v0', totalSteps: 64 });
    expect(['queued', 'running']).toContain(job.status);
    const end = await finished(job.jobId);
    expect(end.status).toBe('done');
    const cfg = JSON.parse(readFileSync(join(root, end.runId!, 'config.json'), 'utf8'));
    expect(cfg.trainer).toMatchObject({ numEnvs: 2, numSteps: 32, hidden: [8], annealLr: false, epochs: 10 });
    expect(existsSync(join(root, end.runId!, 'policy.json'))).toBe(true);
    // any registry run resumes
    const run = (await service.call('runs.list', {})).find((r) => r.id === end.runId)!;
    expect(run.resumable).toBe(true);
  });

  it('runs a trainer whose config fixes its length (model-based) with the same request', async () => {
    const grbal = (await service.call('trainers.list', {})).find((t) => t.id === 'grbal')!;
    expect(grbal).toMatchObject({ stepUnit: 'gradient steps', stepsFromConfig: true });
    const env = grbal.envs[0];
    // its schema's own checks come back named too
    await expect(service.call('job.start', { ...base, env, algo: 'grbal', config: { steps: 0 } })).rejects.toThrow(/grbal option "steps"/);
    const job = await service.call('job.start', { ...base, env, algo: 'grbal', config: { steps: 200, gradSteps: 4, iterations: 0 } });
    expect(job.totalSteps).toBe(4); // (1 + iterations) x gradSteps, not the request's 64
    const end = await finished(job.jobId);
    expect(end).toMatchObject({ status: 'done', step: 4 });
    expect((await service.call('runs.list', {})).find((r) => r.id === end.runId)).toMatchObject({ stepUnit: 'gradient steps', resumable: true });
  });

  it('still takes numEnvs beside the config (the older spelling)', async () => {
    const job = await service.call('job.start', { ...base, algo: 'sac', numEnvs: 1, config: { learningStarts: 8, batchSize: 8, hidden: [8], stepsPerIteration: 32 } });
    const end = await finished(job.jobId);
    expect(end.status).toBe('done');
    const cfg = JSON.parse(readFileSync(join(root, end.runId!, 'config.json'), 'utf8'));
    expect(cfg.trainer).toMatchObject({ numEnvs: 1, batchSize: 8, hidden: [8] });
  });
});
