import { describe, expect, it } from 'vitest';
import { makeEnv } from '../physics/envs/registry';
import type { DRTerm } from '../physics/randomization';
import { loadPolicy } from './policy';
import { collectTarget, sourcePosterior } from './source-posterior';

const MASS_PRIOR: DRTerm[] = [{ target: 'mass', select: ['torso'], operation: 'abs', mode: 'reset', distribution: { kind: 'normal', mean: 6, std: 1.5, low: 3, high: 9 } }];
const pin = (m: number): DRTerm[] => [{ ...MASS_PRIOR[0], distribution: { kind: 'uniform', low: m, high: m } }];

describe('source posterior (EPOpt source adaptation)', () => {
  it('replaying a target trajectory with its own parameters matches it exactly; others do not', async () => {
    const env = await makeEnv('Hopper-v0');
    const policy = loadPolicy('assets/policies/Hopper-v0/ppo.json');
    const trajs = collectTarget(env, policy, { 'mass.torso': 7 }, { episodes: 1, steps: 40, seed: 3 });
    const at = (m: number) => sourcePosterior(env, pin(m), trajs, { particles: 2, accept: 1, rounds: 1, horizon: 30, seed: 0 }).distance[0];
    expect(at(7)).toBe(0);
    expect(at(6)).toBeGreaterThan(0);
    expect(at(5)).toBeGreaterThan(at(6.5));
    env.dispose();
  });

  it('moves the torso-mass distribution toward a hidden heavy torso and narrows it', async () => {
    const env = await makeEnv('Hopper-v0');
    const policy = loadPolicy('assets/policies/Hopper-v0/ppo.json');
    const trajs = collectTarget(env, policy, { 'mass.torso': 8.5 }, { episodes: 2, steps: 60, seed: 100 });
    const r = sourcePosterior(env, MASS_PRIOR, trajs, { particles: 40, accept: 0.2, rounds: 2, horizon: 30, seed: 1 });
    const [mass] = r.params;
    expect(mass.key).toBe('mass.torso');
    expect(Math.abs(mass.posterior.mean - 8.5)).toBeLessThan(Math.abs(mass.prior.mean - 8.5) / 2);
    expect(mass.posterior.std).toBeLessThan(mass.prior.std / 2);
    // the posterior is a DR term of the prior's shape, clipped to the prior's bounds
    const d = r.terms[0].distribution;
    expect(d.kind).toBe('normal');
    expect(d).toMatchObject({ low: 3, high: 9 });
    env.dispose();
  });
});
