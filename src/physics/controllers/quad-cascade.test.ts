import { beforeAll, describe, expect, it } from 'vitest';
import { loadRapier } from '../rapier.js';
import { makeEnvSync } from '../envs/registry.js';
import { QUAD_OBS, type QuadPayloadEnv } from '../envs/quadPayload.js';
import type { PhysParams } from '../envs/types.js';
import { CASCADE_GAINS, QuadCascade } from './quad-cascade.js';

beforeAll(async () => {
  await loadRapier();
});

/** Flies QuadPayload-v0 under the cascade with a velocity command per step (m/s); returns the quad's track. */
function fly(seconds: number, command: (t: number) => [number, number, number], params: PhysParams = {}) {
  const env = makeEnvSync('QuadPayload-v0', { reference: 'hover' }) as QuadPayloadEnv;
  try {
    const c = new QuadCascade(env);
    const rotors = new Float32Array(4);
    let obs = env.reset({ seed: 3, options: { params } }).obs;
    const start = env.diagnostics();
    const track: { t: number; x: number; z: number; vx: number; vz: number }[] = [];
    const steps = Math.round(seconds / env.dt);
    for (let k = 0; k < steps; k++) {
      const r = env.step(c.rotorCommands(obs, command(k * env.dt), rotors));
      if (r.terminated) throw new Error(`crashed at ${(k * env.dt).toFixed(2)} s`);
      obs = r.obs;
      const d = env.diagnostics();
      track.push({ t: (k + 1) * env.dt, x: d.x - start.x, z: d.torsoHeight - start.torsoHeight, vx: obs[QUAD_OBS.vx], vz: obs[QUAD_OBS.vz] });
    }
    return { track, obs, nominal: env.nominalParams() };
  } finally {
    env.dispose();
  }
}

describe('the quadrotor cascade (velocity -> attitude/thrust -> rotors)', () => {
  it('holds a hover: zero velocity commanded for 6 s, the quad drifts under 3 cm and stays level', () => {
    const { track, obs } = fly(6, () => [0, 0, 0]);
    const drift = Math.max(...track.map((p) => Math.hypot(p.x, p.z)));
    expect(drift).toBeLessThan(0.03);
    expect(obs[QUAD_OBS.qw]).toBeGreaterThan(0.999);
  });

  it('with a payload 3x the nominal mass, settles: the quad sinks by the extra weight over the z integral gain, no further', () => {
    const { track, nominal } = fly(8, () => [0, 0, 0], { payload_mass: 0.3, cable_length: 1 });
    const late = track.filter((p) => p.t > 6);
    expect(Math.max(...late.map((p) => Math.abs(p.vz)))).toBeLessThan(0.01);
    // the cascade believes the nominal mass: it needs (m / m_nominal - 1) g more acceleration, which the integral supplies
    const m0 = nominal['mass.body'] + nominal.payload_mass;
    const expected = (((nominal['mass.body'] + 0.3) / m0 - 1) * Math.abs(nominal.gravity)) / CASCADE_GAINS.kvi;
    expect(-late[late.length - 1].z).toBeCloseTo(expected, 1);
  });

  it('follows a step in commanded velocity: 1 m/s along x is reached (90%) within 0.5 s; after, only the payload swing remains', () => {
    const { track } = fly(4, (t) => (t < 0.5 ? [0, 0, 0] : [1, 0, 0]));
    const rise = track.find((p) => p.vx >= 0.9)!;
    expect(rise.t - 0.5).toBeLessThan(0.5);
    const after = track.filter((p) => p.t >= 1.5);
    for (const p of after) expect(Math.abs(p.vx - 1)).toBeLessThan(0.15);
    const mean = after.reduce((s, p) => s + p.vx, 0) / after.length;
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
    expect(Math.max(...track.map((p) => Math.abs(p.z)))).toBeLessThan(0.03);
  });

  it('follows a step in climb rate: 0.5 m/s up within 10% after 1 s', () => {
    const { track } = fly(3, (t) => (t < 0.5 ? [0, 0, 0] : [0, 0, 0.5]));
    for (const p of track.filter((q) => q.t >= 1.5)) expect(Math.abs(p.vz - 0.5)).toBeLessThan(0.05);
  });
});
