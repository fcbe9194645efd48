import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateRun } from '../jobs/eval';
import { runPolicyFile, runTrainingJob } from '../jobs/train';
import { loadPolicy } from '../policy';
import { TRAINERS } from './registry';
import { Run } from '../runs';
import { DARC_CLASSIFIERS_FILE, loadDarcClassifiers } from '../rl/darc-classifier-file';

const root = mkdtempSync(join(tmpdir(), 'adaptlab-driver-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** DARC's toy pair: PointReach, and PointReach whose second actuator pushes with no force. */
const toyPair = join(root, 'toy-pair.json');
writeFileSync(toyPair, JSON.stringify({ source: { env: 'PointReach-v0', config: {} }, target: { env: 'PointReach-v0', config: { forceScale: [1, 0] } } }));

/** Small configs that train on PointReach-v0 in a second or two (annealing off: a split run may not change the schedule). */
const SMALL: Record<string, { config: Record<string, unknown>; half: number }> = {
  ppo: { config: { numEnvs: 2, numSteps: 32, epochs: 2, minibatches: 2, hidden: [8], annealLr: false }, half: 128 },
  sac: { config: { hidden: [8], batchSize: 16, learningStarts: 40, stepsPerIteration: 40, bufferSize: 1000 }, half: 120 },
  darc: {
    config: { pair: toyPair, hidden: [8], batchSize: 16, learningStarts: 40, stepsPerIteration: 40, bufferSize: 1000, targetRandomSteps: 20, targetRatio: 4, warmupSteps: 80, classifierHidden: [8] },
    half: 120,
  },
  // PointReach has no physical parameters: nominal-only (the DR path is tested in src/meta/rl/epopt.test.ts)
  epopt: { config: { numModels: 4, maxEpisodeSteps: 16, epochs: 2, minibatchSize: 16, hidden: [8], annealLr: false, preset: 'none', epsilon: 0.5, warmupIterations: 1 }, half: 128 },
};

const rows = (dir: string) =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { wallTime: _w, fps: _f, ...rest } = JSON.parse(l);
      return rest;
    });

/** Policy learners: the run's length is asked for. Model-based entries fix it by config; their resume is tested in src/meta/mbrl/learning.test.ts. */
const POLICY_LEARNERS = TRAINERS.filter((t) => !t.totalSteps);

describe('the trainer driver runs every registry entry', () => {
  it('covers the policy learners of the registry', () => expect(POLICY_LEARNERS.map((t) => t.id).sort()).toEqual(Object.keys(SMALL).sort()));

  for (const entry of POLICY_LEARNERS) {
    it(`${entry.id}: a run stopped halfway and resumed gives the same metrics as one run; its policy evaluates`, async () => {
      const { config, half } = SMALL[entry.id];
      const base = { algo: entry.id, env: 'PointReach-v0', seed: 4, config, checkpointEvery: half };
      const whole = join(root, `${entry.id}-whole`);
      await runTrainingJob({ ...base, totalSteps: 2 * half, runDir: whole });
      const split = join(root, `${entry.id}-split`);
      await runTrainingJob({ ...base, totalSteps: half, runDir: split });
      await runTrainingJob({ ...base, totalSteps: 2 * half, runDir: split, resume: true });
      expect(rows(split)).toEqual(rows(whole));
      expect(existsSync(runPolicyFile(whole))).toBe(true);
      expect(loadPolicy(runPolicyFile(whole)).algo).toBe(entry.id);
      const r = await evaluateRun(whole, { episodes: 3, seed: 1 });
      expect(r.returns).toHaveLength(3);
      expect(r.step).toBe(2 * half);
      expect(Number.isFinite(r.mean)).toBe(true);
    });
  }
});

describe('darc runs', () => {
  it('refuse to resume once their pair file has changed, and to train another env than the pair\'s', async () => {
    const pairFile = join(root, 'edited-pair.json');
    const pair = { source: { env: 'PointReach-v0', config: {} }, target: { env: 'PointReach-v0', config: { forceScale: [1, 0] } } };
    writeFileSync(pairFile, JSON.stringify(pair));
    const dir = join(root, 'darc-edited');
    const base = { algo: 'darc', env: 'PointReach-v0', seed: 1, runDir: dir, config: { ...SMALL.darc.config, pair: pairFile } };
    await runTrainingJob({ ...base, totalSteps: 40 });
    // the same content written in another key order is the same pair
    writeFileSync(pairFile, JSON.stringify({ target: pair.target, source: pair.source }));
    await runTrainingJob({ ...base, totalSteps: 80, resume: true });
    writeFileSync(pairFile, JSON.stringify({ ...pair, target: { env: 'PointReach-v0', config: { forceScale: [0, 1] } } }));
    await expect(runTrainingJob({ ...base, totalSteps: 120, resume: true })).rejects.toThrow(/edited-pair\.json changed since this run started/);
    await expect(runTrainingJob({ ...base, env: 'Pendulum-v1', runDir: join(root, 'darc-env'), totalSteps: 40 })).rejects.toThrow(/trains PointReach-v0, not Pendulum-v1/);
  });
});

describe('darc runs export their classifiers', () => {
  it('write darc-classifiers.json beside each checkpoint: the checkpoint\'s classifiers, read without TensorFlow', async () => {
    const dir = join(root, 'darc-classifiers');
    await runTrainingJob({ algo: 'darc', env: 'PointReach-v0', seed: 2, runDir: dir, config: { ...SMALL.darc.config, pair: toyPair }, totalSteps: 120, checkpointEvery: 120 });
    const file = loadDarcClassifiers(join(dir, DARC_CLASSIFIERS_FILE));
    expect(file.env).toBe('PointReach-v0');
    expect(file.pair).toEqual(JSON.parse(readFileSync(toyPair, 'utf8')));
    expect(file.meta).toMatchObject({ steps: 120, classifierHidden: [8] });
    const { payload } = Run.open(dir).loadCheckpoint<{ classifiers: { params: Record<string, { data: Float32Array }> } }>();
    const ck = payload.classifiers.params;
    // the file's layers are the checkpoint's arrays, which moved during training (not the initialization)
    expect(file.sa.map((l) => Array.from(l.W))).toEqual([Array.from(ck['sa.l0.W'].data), Array.from(ck['sa.l1.W'].data)]);
    expect(file.sas[1].b).toEqual(ck['sas.l1.b'].data);
    expect(Array.from(file.sas[1].b).some((x) => x !== 0)).toBe(true);
  });
});

describe('periodic evaluation', () => {
  it('evaluates the policy on the physics env every N steps and logs return and forward distance, resumed runs too', async () => {
    const { PHYSICS_ENV_MODULE } = await import('../rl/physics-vec-env');
    const dir = join(root, 'eval-every');
    const base = { algo: 'ppo', env: 'Hopper-v0', envModule: PHYSICS_ENV_MODULE, seed: 1, runDir: dir, config: SMALL.ppo.config };
    await runTrainingJob({ ...base, totalSteps: 128, evalEvery: 128, evalEpisodes: 2 });
    // resumed without the flags: the run keeps its own evaluation schedule
    await runTrainingJob({ ...base, totalSteps: 256, resume: true });
    const r = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(r.map((x) => x.step)).toEqual([64, 128, 192, 256]);
    expect(r.map((x) => typeof x.evalReturn)).toEqual(['undefined', 'number', 'undefined', 'number']);
    expect(Number.isFinite(r[1].evalForwardDistance)).toBe(true);
  });
});
