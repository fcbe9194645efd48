import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { loadPolicy, savePolicy } from './policy.js';
import { PPO } from './rl/ppo.js';
import { SAC } from './rl/sac.js';
import { PointReach } from './rl/tasks.js';

beforeAll(async () => {
  await initBackend();
});

const obs = Float32Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i * 1.7) * 2);

describe('policy files', () => {
  it('a saved PPO or SAC policy acts like the trainer, without TensorFlow, after a round trip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adaptlab-policy-'));
    try {
      const ppo = new PPO(new PointReach(4), { seed: 1, numSteps: 16, epochs: 1, minibatches: 1, hidden: [8, 8] });
      ppo.iterate(); // moves the normalizer and the weights away from their start
      const sac = new SAC(new PointReach(1), { seed: 1, hidden: [8, 8], learningStarts: 10, stepsPerIteration: 20, batchSize: 8 });
      sac.iterate();
      for (const [name, trainer] of [['ppo', ppo], ['sac', sac]] as const) {
        const f = join(dir, `${name}.json`);
        savePolicy(f, trainer.policy('PointReach-v0'));
        const p = loadPolicy(f);
        expect(p.algo).toBe(name);
        const want = trainer.act(obs, true);
        const got = p.act(obs, { deterministic: true });
        for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
      }
      ppo.dispose();
      sac.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which file is wrong and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'adaptlab-policy-'));
    try {
      const f = join(dir, 'x.json');
      writeFileSync(f, '{"format":"something-else"}');
      expect(() => loadPolicy(f)).toThrow(`${f}: not an AdaptLab policy (format:`);
      writeFileSync(f, 'nope');
      expect(() => loadPolicy(f)).toThrow(`${f}: not a readable policy file`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scripted references evaluate like policies', () => {
  it('the ant gait and random actions run the same seeded episodes, deterministically; the gait goes farther', async () => {
    const { evaluatePolicy } = await import('./eval-policy.js');
    const run = (p: 'gait' | 'random') => evaluatePolicy(p, 'Ant-v0', { episodes: 2, seed: 3, maxSteps: 200 });
    const [gait, again, random] = [await run('gait'), await run('gait'), await run('random')];
    expect(gait).toEqual(again);
    expect(gait.lengths.every((n) => n > 0 && n <= 200)).toBe(true);
    expect(gait.forwardDistance.mean).toBeGreaterThan(random.forwardDistance.mean);
  });
});
