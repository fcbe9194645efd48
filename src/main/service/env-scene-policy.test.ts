import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../meta/backend';
import { savePolicy } from '../../meta/policy';
import { PPO } from '../../meta/rl/ppo';
import { createVecEnv } from '../../meta/rl/physics-vec-env';
import { EnvScene } from './env-scene';

// A stand-in assets folder with one "shipped" Hopper-v0 policy (an untrained network is enough to
// check that the scene plays what the file says).
const assets = mkdtempSync(join(tmpdir(), 'adaptlab-assets-'));
const before = process.env.ADAPTLAB_ASSETS;
beforeAll(async () => {
  await initBackend();
  mkdirSync(join(assets, 'policies', 'Hopper-v0'), { recursive: true });
  symlinkSync(resolve('assets/robots'), join(assets, 'robots'));
  const env = await createVecEnv('Hopper-v0', 1);
  const ppo = new PPO(env, { seed: 3, hidden: [8] });
  savePolicy(join(assets, 'policies', 'Hopper-v0', 'ppo.json'), ppo.policy('Hopper-v0'));
  ppo.dispose();
  env.close?.();
  process.env.ADAPTLAB_ASSETS = assets;
});
afterAll(() => {
  if (before === undefined) delete process.env.ADAPTLAB_ASSETS;
  else process.env.ADAPTLAB_ASSETS = before;
  rmSync(assets, { recursive: true, force: true });
});

const host = { time: 0, note() {}, restartEpisode() {} };

describe('an env scene plays a shipped learned policy', () => {
  it('opens with it, plays it deterministically, switches away and back, and names what is shipped', async () => {
    expect(EnvScene.defaultPolicy('Hopper-v0')).toBe('learned:ppo');
    expect(EnvScene.defaultPolicy('Ant-v0')).toBe('gait');
    const run = async () => {
      const s = await EnvScene.create('Hopper-v0', 5);
      try {
        for (let i = 0; i < 30; i++) s.step();
        const t = s.telemetry();
        expect(await s.command('policy', 'zero', host)).toBe('policy: zero');
        expect(await s.command('policy', 'learned:ppo', host)).toBe('policy: learned:ppo');
        await expect(Promise.resolve().then(() => s.command('policy', 'learned:sac', host))).rejects.toThrow(/no learned policy "sac" for Hopper-v0 \(shipped: ppo\)/);
        return t;
      } finally {
        s.dispose();
      }
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    // ...and it is the network acting, not the scripted gait
    const g = await EnvScene.create('Hopper-v0', 5);
    try {
      await g.command('policy', 'gait', host);
      for (let i = 0; i < 30; i++) g.step();
      expect(g.telemetry()).not.toEqual(a);
    } finally {
      g.dispose();
    }
  });
});
