import { beforeAll, describe, expect, it } from 'vitest';
import { loadRapier } from '../rapier.js';
import { makeEnvSync } from '../envs/registry.js';
import type { QuadReference } from '../envs/quadPayload.js';
import type { QuadPayloadVelEnv } from '../envs/quadPayloadVel.js';
import type { PhysParams } from '../envs/types.js';
import { quadPid } from './quad-pid.js';
import { scriptedPolicies } from './scripted.js';
import { Rng } from '../rng.js';

beforeAll(async () => {
  await loadRapier();
});

/** Mean payload tracking error (m) over a seeded QuadPayloadVel-v0 episode under the PID or zero commands. */
function track(reference: QuadReference, policy: 'pid' | 'zero', seconds: number, params: PhysParams = {}) {
  const env = makeEnvSync('QuadPayloadVel-v0', { reference }) as QuadPayloadVelEnv;
  try {
    const pid = quadPid(env.dt, env.maxSpeed);
    const a = new Float32Array(env.actionSize);
    let obs = env.reset({ seed: 7, options: { params } }).obs;
    let err = 0, n = 0;
    for (; n < Math.round(seconds / env.dt); ) {
      const r = env.step(policy === 'pid' ? pid.act(obs, a) : a.fill(0));
      n++;
      err += r.info.tracking_error as number;
      if (r.terminated) return { crashed: true, meanError: err / n };
      obs = r.obs;
    }
    return { crashed: false, meanError: err / n };
  } finally {
    env.dispose();
  }
}

describe('the per-axis PID tracker on velocity commands', () => {
  it('tracks a circle with the payload far better than zero velocity commands (seeded, 6 s)', () => {
    const pid = track('circle', 'pid', 6);
    const zero = track('circle', 'zero', 6);
    expect(pid.crashed).toBe(false);
    expect(pid.meanError).toBeLessThan(0.15);
    expect(pid.meanError).toBeLessThan(zero.meanError / 3);
  });

  it('holds the payload on a hover point, and a heavier payload on a longer cable costs it accuracy', () => {
    const nominal = track('hover', 'pid', 6);
    const heavy = track('hover', 'pid', 6, { payload_mass: 0.3, cable_length: 1 });
    expect(nominal.meanError).toBeLessThan(0.01);
    expect(heavy.crashed).toBe(false);
    expect(heavy.meanError).toBeGreaterThan(2 * nominal.meanError);
  });

  it('flies the rotor-level env the same way (the scenes\' default): same seed, same trajectory as QuadPayloadVel-v0', () => {
    const vel = makeEnvSync('QuadPayloadVel-v0', { reference: 'figure8' }) as QuadPayloadVelEnv;
    const rotor = makeEnvSync('QuadPayload-v0', { reference: 'figure8' });
    try {
      const a = new Float32Array(3);
      const pid = scriptedPolicies('QuadPayloadVel-v0')[0].create(vel, new Rng(0));
      let ov = vel.reset({ seed: 2 }).obs;
      const rp = scriptedPolicies('QuadPayload-v0')[0];
      expect(rp.id).toBe('pid');
      const c = rp.create(rotor, new Rng(0));
      let or = rotor.reset({ seed: 2 }).obs;
      const u = new Float32Array(4);
      for (let k = 0; k < 20; k++) {
        ov = vel.step(pid.act(ov, k, a)).obs;
        for (let j = 0; j < vel.substeps; j++) or = rotor.step(c.act(or, k * vel.substeps + j, u)).obs;
        expect(Array.from(or)).toEqual(Array.from(ov));
      }
    } finally {
      vel.dispose();
      rotor.dispose();
    }
  });
});
