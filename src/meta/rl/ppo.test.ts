import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { initBackend } from '../backend.js';
import { computeGae } from './gae.js';
import { PPO } from './ppo.js';
import { PointReach, Pendulum } from './tasks.js';
import { vecEnvFromEnvs, type GymEnvLike } from './env.js';

beforeAll(async () => {
  await initBackend();
});

describe('GAE', () => {
  it('matches a direct sum of discounted TD errors, cut at episode ends', () => {
    const T = 5;
    const rewards = Float32Array.from([1, 2, 3, 4, 5]);
    const values = Float32Array.from([0.5, 0.1, -0.2, 0.3, 0.7]);
    const dones = Float32Array.from([0, 1, 0, 0, 0]);
    const last = Float32Array.from([0.9]);
    const g = 0.9;
    const l = 0.8;
    const { advantages, returns } = computeGae(rewards, values, dones, last, T, 1, g, l);
    const V = [...values, last[0]];
    const delta = (t: number) => rewards[t] + g * V[t + 1] * (1 - dones[t]) - values[t];
    for (let t = 0; t < T; t++) {
      let a = 0;
      let w = 1;
      for (let k = t; k < T; k++) {
        a += w * delta(k);
        if (dones[k]) break;
        w *= g * l;
      }
      expect(advantages[t]).toBeCloseTo(a, 5);
      expect(returns[t]).toBeCloseTo(a + values[t], 5);
    }
  });
});

describe('tasks', () => {
  it('Pendulum follows Gymnasium dynamics; point mass moves toward a pushed direction', () => {
    const p = new Pendulum(1);
    p.reset(0);
    const st = p.getState();
    st.s = [Math.PI / 2, 0];
    p.setState(st);
    const r = p.step(Float32Array.from([0]));
    // theta'' = 15 sin(theta) -> thetadot = 0.75, theta = pi/2 + 0.0375
    expect(r.obs[2]).toBeCloseTo(0.75, 5);
    expect(Math.atan2(r.obs[1], r.obs[0])).toBeCloseTo(Math.PI / 2 + 0.0375, 5);
    expect(r.rewards[0]).toBeCloseTo(-((Math.PI / 2) ** 2), 5);

    const m = new PointReach(1);
    const o0 = m.reset(3);
    let o = o0;
    for (let i = 0; i < 10; i++) o = m.step(Float32Array.from([1, 0])).obs;
    expect(o[0]).toBeGreaterThan(o0[0]);
    expect(o[2]).toBeGreaterThan(0);
    expect(Math.abs(o[1] - o0[1])).toBeLessThan(1e-9);
  });

  it('vecEnvFromEnvs auto-resets and reports the final observation', () => {
    let k = 0;
    const mk = (): GymEnvLike => {
      let t = 0;
      return {
        observationSize: 1,
        actionSize: 1,
        reset: () => ((t = 0), { obs: [0] }),
        step: () => {
          t++;
          k++;
          return { obs: [t], reward: 1, terminated: t >= 2, truncated: false, info: { reward_alive: 0.5, other: 'x' } };
        },
      };
    };
    const v = vecEnvFromEnvs([mk(), mk()]);
    v.reset(1);
    v.step(new Float32Array(2));
    const r = v.step(new Float32Array(2));
    expect(Array.from(r.terminated)).toEqual([1, 1]);
    expect(Array.from(r.finalObs!)).toEqual([2, 2]);
    expect(Array.from(r.obs)).toEqual([0, 0]);
    expect(k).toBe(4);
    expect(Array.from(r.info!.reward_alive)).toEqual([0.5, 0.5]);
    expect(Object.keys(r.info!)).toEqual(['reward_alive']);
    const ppo = new PPO(vecEnvFromEnvs([mk(), mk()]), { numSteps: 4, epochs: 1, minibatches: 1, hidden: [4] });
    expect(ppo.iterate()['info/reward_alive']).toBeCloseTo(0.5, 6);
    ppo.dispose();
  });
});

describe('PPO', () => {
  it('is reproducible by seed and keeps the tensor count flat', () => {
    const cfg = { seed: 3, numSteps: 16, epochs: 2, minibatches: 2, hidden: [8] };
    const a = new PPO(new PointReach(4), cfg);
    const b = new PPO(new PointReach(4), cfg);
    const ma = [a.iterate(), a.iterate()];
    const mb = [b.iterate(), b.iterate()];
    expect(mb).toEqual(ma);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) a.iterate();
    expect(tf.memory().numTensors).toBe(before);
    const c = new PPO(new PointReach(4), { ...cfg, seed: 4 });
    expect(c.iterate().policyLoss).not.toBe(ma[0].policyLoss);
    [a, b, c].forEach((p) => p.dispose());
  });

  it('improves the return clearly on PointReach-v0 within a small seeded budget', () => {
    // 30 iterations x 1600 env steps; about 10 s of CPU on wasm.
    const ppo = new PPO(new PointReach(16), { seed: 1, numSteps: 100, epochs: 5, minibatches: 4, lr: 3e-3, hidden: [32, 32], initLogStd: -0.5 });
    const returns: number[] = [];
    for (let i = 0; i < 30; i++) returns.push(ppo.iterate().episodeReturn);
    const first = (returns[0] + returns[1] + returns[2]) / 3;
    const last = (returns[27] + returns[28] + returns[29]) / 3;
    // A random policy scores about -120; reaching the goal and holding there scores about -20.
    expect(first).toBeLessThan(-90);
    expect(last).toBeGreaterThan(-45);
    expect(last - first).toBeGreaterThan(50);
    // The deterministic policy reaches the goal.
    const env = new PointReach(8);
    let obs = env.reset(123);
    let ret = 0;
    for (let t = 0; t < 100; t++) {
      const r = env.step(ppo.act(obs, true));
      ret += r.rewards.reduce((s, x) => s + x, 0) / 8;
      obs = r.obs;
    }
    expect(ret).toBeGreaterThan(-40);
    ppo.dispose();
  });
});
