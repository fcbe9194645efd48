import { beforeAll, describe, expect, it } from 'vitest';
import { loadRapier } from './rapier.js';
import { makeEnvSync, ENV_SPECS } from './envs/registry.js';
import { randomize, termKeys, termRange, type DRTerm } from './randomization.js';
import { Rng } from './rng.js';

beforeAll(async () => {
  await loadRapier();
});

describe('domain randomization', () => {
  it('samples every registered randomizer inside its range, from nominal values', () => {
    for (const spec of Object.values(ENV_SPECS)) {
      const env = makeEnvSync(spec.id, { randomize: spec.randomizers, maxEpisodeSteps: 5 });
      const nominal = env.nominalParams();
      for (let ep = 0; ep < 15; ep++) {
        const { info } = env.reset(ep === 0 ? { seed: 3 } : {});
        for (const t of spec.randomizers) {
          for (const k of termKeys(t, nominal)) {
            const [lo, hi] = termRange(t, nominal[k]);
            expect(info.params[k], `${spec.id} ${k}`).toBeGreaterThanOrEqual(lo - 1e-9);
            expect(info.params[k], `${spec.id} ${k}`).toBeLessThanOrEqual(hi + 1e-9);
          }
        }
      }
      env.dispose();
    }
  });

  it('never compounds: scale terms apply to the nominal value at every reset', () => {
    const term: DRTerm = { target: 'mass', select: ['torso'], distribution: { kind: 'uniform', low: 1.1, high: 1.2 }, operation: 'scale', mode: 'reset' };
    const env = makeEnvSync('Hopper-v0', { randomize: [term] });
    const m0 = env.nominalParams()['mass.torso'];
    env.reset({ seed: 1 });
    for (let i = 0; i < 20; i++) {
      const m = env.reset().info.params['mass.torso'];
      expect(m).toBeGreaterThanOrEqual(1.1 * m0 - 1e-9);
      expect(m).toBeLessThanOrEqual(1.2 * m0 + 1e-9);
    }
    // the physics uses the sampled value
    const r = env.reset({ options: { params: { 'mass.torso': 6 } } });
    expect(r.info.params['mass.torso']).toBe(6);
    env.step(new Float32Array(3)); // Rapier recomputes mass properties in its step
    expect((env as unknown as { robot: { bodies: { mass(): number }[] } }).robot.bodies[0].mass()).toBeCloseTo(6, 4);
    env.dispose();
  });

  it('interval terms resample during an episode; reset restores nominal params and clears faults', () => {
    const env = makeEnvSync('Ant-v0', {
      randomize: [{ target: 'gravity', distribution: { kind: 'uniform', low: -11, high: -9 }, operation: 'abs', mode: 'interval', intervalSteps: 2 }],
      faults: [{ atStep: 1, fault: { kind: 'weakenMotor', joint: 'hip_1', factor: 0 } }],
      maxEpisodeSteps: 10,
    });
    const nominal = env.nominalParams();
    env.reset({ seed: 0 });
    const a = new Float32Array(8);
    const seen = new Set<number>();
    for (let t = 0; t < 5; t++) {
      const r = env.step(a);
      expect(r.info.params.gravity).toBe(env.params().gravity);
      expect(r.info.faults.length).toBe(t >= 1 ? 1 : 0);
      seen.add(r.info.params.gravity);
    }
    expect(seen.size).toBeGreaterThan(1);
    env.dispose();

    const plain = makeEnvSync('Ant-v0', {});
    plain.reset({ seed: 0 });
    plain.applyFault({ kind: 'cripple', leg: 0 });
    plain.applyFault({ kind: 'lockJoint', joint: 'ankle_2' });
    plain.step(a);
    const { info } = plain.reset();
    expect(info.params).toEqual(plain.nominalParams());
    expect(info.faults).toEqual([]);
    expect(Array.from((plain as unknown as { faultScale: Float64Array }).faultScale)).toEqual(new Array(8).fill(1));
    expect(nominal.gravity).toBe(-9.81);
    plain.dispose();
  });

  it('randomize() is a pure function of (nominal, rng)', () => {
    const nominal = { 'mass.a': 1, 'mass.b': 2, gravity: -9.81 };
    const terms: DRTerm[] = [{ target: 'mass', distribution: { kind: 'loguniform', low: 0.5, high: 2 }, operation: 'scale', mode: 'reset' }];
    const p1 = randomize(nominal, nominal, terms, ['reset'], new Rng(5));
    const p2 = randomize(nominal, p1, terms, ['reset'], new Rng(5));
    expect(p2).toEqual(p1);
    expect(p1.gravity).toBe(-9.81);
  });
});
