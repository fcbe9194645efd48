import { beforeAll, describe, expect, it } from 'vitest';
import { loadRapier } from '../rapier.js';
import { ENV_SPECS, makeEnvSync } from './registry.js';
import { QUAD_OBS } from './quadPayload.js';
import { QUAD_VEL_ACTION, type QuadPayloadVelEnv } from './quadPayloadVel.js';

beforeAll(async () => {
  await loadRapier();
});

describe('QuadPayloadVel-v0 (velocity commands through the cascade)', () => {
  it('holds a command for its control period: dt, episode length and spaces as registered', () => {
    const env = makeEnvSync('QuadPayloadVel-v0') as QuadPayloadVelEnv;
    const spec = ENV_SPECS['QuadPayloadVel-v0'];
    expect(env.dt).toBeCloseTo(0.1, 12);
    expect(env.substeps).toBe(5);
    expect(env.maxEpisodeSteps).toBe(spec.maxEpisodeSteps);
    expect(env.maxEpisodeSteps * env.dt).toBeCloseTo(10, 9);
    env.reset({ seed: 0 });
    let last;
    for (let k = 0; k < env.maxEpisodeSteps; k++) last = env.step([0, 0, 0]);
    expect(last!.truncated).toBe(true);
    expect(last!.terminated).toBe(false);
    env.dispose();
  });

  it('moves the quad at the commanded velocity (2 m/s per unit of action)', () => {
    const env = makeEnvSync('QuadPayloadVel-v0') as QuadPayloadVelEnv;
    env.reset({ seed: 0 });
    const a = [0, 0, 0];
    a[QUAD_VEL_ACTION.vy] = 0.25;
    let obs = env.step(a).obs;
    for (let k = 0; k < 15; k++) obs = env.step(a).obs;
    expect(obs[QUAD_OBS.vy]).toBeGreaterThan(0.4);
    expect(obs[QUAD_OBS.vy]).toBeLessThan(0.6);
    env.dispose();
  });

  it('its reward is a pure function of the transition (exact for imagination), with payload parameters set per reset', () => {
    const env = makeEnvSync('QuadPayloadVel-v0', { reference: 'circle' }) as QuadPayloadVelEnv;
    let obs = env.reset({ seed: 4, options: { params: { cable_length: 0.8, payload_mass: 0.2 } } }).obs;
    expect(env.params().cable_length).toBe(0.8);
    expect(env.params().payload_mass).toBe(0.2);
    for (let k = 0; k < 10; k++) {
      const a = new Float32Array([0.3 * Math.sin(k), -0.2, 0.1]);
      const r = env.step(a);
      const imagined = env.rewardFromTransition(obs, a, r.obs)[0];
      expect(imagined).toBeCloseTo(r.reward, 5);
      expect(r.reward).toBeCloseTo((r.info.reward_survive as number) + (r.info.reward_track as number) + (r.info.reward_ctrl as number), 9);
      obs = r.obs;
    }
    env.dispose();
  });

  it('refuses a control period that is not a whole number of physics steps, and says which are', () => {
    expect(() => makeEnvSync('QuadPayloadVel-v0', { controlPeriod: 0.25 })).toThrow(/whole multiple of the physics step 0.02 s/);
    const slow = makeEnvSync('QuadPayloadVel-v0', { controlPeriod: 0.24 }) as QuadPayloadVelEnv;
    expect(slow.substeps).toBe(12);
    expect(slow.maxEpisodeSteps).toBe(41);
    slow.dispose();
  });

  it('schedules faults in its own steps: a dead rotor at step 10 crashes the quad soon after, not before', () => {
    const env = makeEnvSync('QuadPayloadVel-v0', { faults: [{ atStep: 10, fault: { kind: 'weakenMotor', joint: 'rotor_0', factor: 0 } }] });
    env.reset({ seed: 0 });
    let k = 0;
    for (; k < 60; k++) if (env.step([0, 0, 0]).terminated) break;
    expect(k).toBeGreaterThanOrEqual(10);
    expect(k).toBeLessThan(40);
    env.dispose();
  });

  it('swaps the payload mid-flight (setParams): the cable lengthens to the new length, and unknown parameters are refused by name', () => {
    const env = makeEnvSync('QuadPayloadVel-v0') as QuadPayloadVelEnv;
    env.reset({ seed: 0 });
    let obs = env.step([0, 0, 0]).obs;
    const hang = (o: Float32Array) => Math.hypot(o[QUAD_OBS.payloadX], o[QUAD_OBS.payloadY], o[QUAD_OBS.payloadZ]);
    const before = hang(obs);
    env.applyFault({ kind: 'setParams', params: { cable_length: 1.0, payload_mass: 0.25 } });
    expect(env.params().cable_length).toBe(1.0);
    expect(env.params().payload_mass).toBe(0.25);
    for (let k = 0; k < 20; k++) obs = env.step([0, 0, 0]).obs;
    expect(hang(obs) - before).toBeGreaterThan(0.4);
    expect(() => env.applyFault({ kind: 'setParams', params: { cable: 1 } })).toThrow(/no parameter cable \(known: .*cable_length/);
    env.dispose();
  });
});
