import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POSE_STRIDE } from '../../shared/scene';
import { makeEnv } from '../../physics/envs/registry';
import { initBackend } from '../../meta/backend';
import { loadPolicy } from '../../meta/policy';
import { Rng } from '../../meta/rng';
import { DomainClassifiers } from '../../meta/rl/darc-classifier';
import { darcClassifierFile, saveDarcClassifiers } from '../../meta/rl/darc-classifier-file';
import { SceneHost } from './scene-host';
import { DarcScene, VERSUS_LANE, darcPolicies } from './darc-scene';

const dir = mkdtempSync(join(tmpdir(), 'adaptlab-darc-scene-'));
const classifierFile = join(dir, 'darc-classifiers.json');
let classifiers: DomainClassifiers;

beforeAll(async () => {
  await initBackend();
  // classifiers of the hopper's sizes (11 observations, 3 actions) as a fresh DARC run makes them:
  // what the scene reads must be what these compute, whatever their weights
  classifiers = new DomainClassifiers(11, 3, { hidden: [32], inputNoise: 1, lr: 3e-4 }, new Rng(7));
  saveDarcClassifiers(classifierFile, darcClassifierFile(classifiers.getState().params, { env: 'Hopper-v0', observationSize: 11, actionSize: 3 }));
});
afterAll(() => {
  classifiers.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const open: { dispose(): void }[] = [];
afterEach(() => {
  while (open.length) open.pop()!.dispose();
});

async function host(seed: number): Promise<{ scene: DarcScene; host: SceneHost }> {
  const scene = await DarcScene.create('broken-hopper', seed, classifierFile);
  const h = new SceneHost(scene, await DarcScene.describe('broken-hopper'), seed);
  open.push(h);
  return { scene, host: h };
}

describe('the DARC view (darc:broken-hopper)', () => {
  it('plays a policy in the source and reads each step\'s dr: deltaReward of the classifiers on that very transition', async () => {
    const { scene, host: h } = await host(4);
    await h.command('policy', 'env:sac');
    // the same episode replayed on a plain source env: the transitions the scene must have scored
    const policy = loadPolicy(darcPolicies('broken-hopper').find((p) => p.value === 'env:sac')!.file);
    const env = await makeEnv('Hopper-v0');
    const off = await makeEnv('Hopper-v0');
    off.reset({ seed: 4 });
    let obs = env.reset({ seed: 4 }).obs;
    const dr = (s: Float32Array, a: Float32Array, next: Float32Array) => classifiers.deltaReward({ obs: s, actions: a, nextObs: next, rewards: new Float32Array(1), terminals: new Float32Array(1) })[0];
    const drs: number[] = [];
    for (let t = 0; t < 60; t++) {
      const a = policy.act(obs, { deterministic: true });
      // the foot's share: dr minus dr of the same state with the foot's command at 0
      const footOff = Float32Array.from(a);
      footOff[2] = 0;
      off.setBodyState!(env.bodyState!());
      const drFootOff = dr(obs, footOff, off.step(footOff).obs);
      const next = env.step(a).obs;
      const want = dr(obs, a, next);
      await h.step();
      expect(scene.lastDr).toBeCloseTo(want, 4);
      expect(h.telemetry()['dr_due:foot_joint']).toBeCloseTo(want - drFootOff, 3);
      drs.push(scene.lastDr);
      obs = next;
    }
    env.dispose();
    off.dispose();
    expect(Math.max(...drs) - Math.min(...drs)).toBeGreaterThan(1e-3); // not a constant
    const tel = h.telemetry();
    expect(tel.reward_plus_dr).toBeCloseTo(tel.reward + tel.dr, 6);
    expect(Object.keys(tel).filter((k) => k.startsWith('dr_corr:')).sort()).toEqual(['dr_corr:foot_joint', 'dr_corr:leg_joint', 'dr_corr:thigh_joint']);
    const f = scene.frame();
    expect(f.trail).toHaveLength(60 * 4);
    expect(f.trail[59 * 4 + 3]).toBeCloseTo(drs[59], 6);
    expect(f.samples).toBe(60);
    expect(f.bins).toHaveLength(3 * 5);
    expect(Array.from(f.binCounts.subarray(0, 5)).reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('draws a ghost of the target beside the robot, which parts from it when the broken foot acts', async () => {
    const { scene, host: h } = await host(1);
    await h.command('policy', 'env:sac');
    await h.command('ghost', '1'); // re-synced every step: the probe's one-step gap, drawn
    const spec = h.spec();
    const n = spec.bodies.length / 3; // the robot, its ghost, the side-by-side robot
    expect(spec.bodies[n].name).toBe('ghost/torso');
    expect(spec.bodies[n].visuals[0].color[3]).toBeLessThan(1);
    expect(spec.overlays).toEqual(['darc']);
    const gaps: number[] = [];
    const foot: number[] = [];
    const policy = loadPolicy(darcPolicies('broken-hopper').find((p) => p.value === 'env:sac')!.file);
    const env = await makeEnv('Hopper-v0');
    let obs = env.reset({ seed: 1 }).obs;
    for (let t = 0; t < 150; t++) {
      const a = policy.act(obs, { deterministic: true });
      obs = env.step(a).obs;
      await h.step();
      gaps.push(h.telemetry().target_gap);
      foot.push(Math.abs(a[2]));
    }
    env.dispose();
    const used = gaps.filter((_, t) => foot[t] > 0.5);
    const idle = gaps.filter((_, t) => foot[t] < 0.1);
    expect(used.length).toBeGreaterThan(10);
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    expect(mean(used)).toBeGreaterThan(0.3);
    if (idle.length) expect(mean(idle)).toBeLessThan(mean(used) / 5);
    // the ghost's poses follow the robot's, in the second half of the pose buffer
    const poses = new Float32Array(spec.bodies.length * POSE_STRIDE);
    scene.writePoses(poses);
    expect(Math.abs(poses[n * POSE_STRIDE] - poses[0])).toBeLessThan(0.05);
    // left alone for 60 steps with the robot's actions, the dead-footed ghost ends up elsewhere
    await h.command('ghost', '60');
    let far = 0;
    for (let t = 0; t < 59; t++) {
      await h.step();
      far = Math.max(far, h.telemetry().ghost_distance);
    }
    expect(far).toBeGreaterThan(0.05);
  });

  it('with the shipped demo run\'s classifiers, blames the dead foot for the source policy\'s dr, and hardly the DARC policy', async () => {
    const share = async (policy: string) => {
      const scene = await DarcScene.create('broken-hopper', 0); // assets/policies/broken-hopper/darc-classifiers.json
      const h = new SceneHost(scene, await DarcScene.describe('broken-hopper'), 0);
      open.push(h);
      await h.command('policy', policy);
      for (let t = 0; t < 300 && h.episode === 0; t++) await h.step();
      return scene.frame().due;
    };
    const [thigh, leg, foot] = await share('env:sac');
    expect(foot).toBeLessThan(-0.1);
    expect(Math.abs(thigh)).toBeLessThan(Math.abs(foot) / 3);
    expect(Math.abs(leg)).toBeLessThan(Math.abs(foot) / 3);
    const darc = await share('pair:darc');
    expect(Math.abs(darc[2])).toBeLessThan(Math.abs(foot) / 3);
  });

  it('runs a second policy side by side in the same domain from the same start, and ends the episode when both have', async () => {
    const { scene, host: h } = await host(3);
    await h.command('domain', 'target');
    expect(await h.command('versus', 'env:sac')).toMatch(/beside it RL on source/);
    // the side-by-side robot is the policy on a plain target env reset with the same seed
    const policy = loadPolicy(darcPolicies('broken-hopper').find((p) => p.value === 'env:sac')!.file);
    const env = await makeEnv('Hopper-v0', { faults: [{ atStep: 0, fault: { kind: 'weakenMotor', joint: 'foot_joint', factor: 0 } }] });
    let obs = env.reset({ seed: 3 }).obs;
    let ret = 0, steps = 0;
    for (let done = false; !done && steps < 1000; steps++) {
      const r = env.step(policy.act(obs, { deterministic: true }));
      obs = r.obs;
      ret += r.reward;
      done = r.terminated || r.truncated;
    }
    env.dispose();
    const spec = h.spec();
    const B = spec.bodies.length / 3;
    expect(spec.bodies[2 * B].name).toBe('versus/torso');
    h.drainEvents();
    for (let t = 0; t < 1000 && h.episode === 0; t++) await h.step();
    expect(h.episode).toBe(1);
    const ended = h.drainEvents().find((e) => e.kind === 'episode');
    expect(ended?.label).toMatch(new RegExp(`beside it, RL on source.* return ${ret.toFixed(1)}`));
    // in its own lane, beside the robot
    await h.step();
    const poses = new Float32Array(spec.bodies.length * POSE_STRIDE);
    scene.writePoses(poses);
    expect(poses[2 * B * POSE_STRIDE + 1] - poses[1]).toBeCloseTo(VERSUS_LANE, 1);
    expect(steps).toBeGreaterThan(0);
  });

  it('switches the policy and the domain (the ghost then runs in the source), refusing what it does not offer', async () => {
    const { scene, host: h } = await host(2);
    expect(await h.command('domain', 'target')).toMatch(/in the target, beside it .*; the ghost runs in the source/);
    expect(scene.ghostDomain).toBe('source');
    expect(scene.frame().domain).toBe('target');
    await h.step();
    expect(scene.frame().samples).toBe(1);
    await expect(h.command('policy', 'env:nope')).rejects.toThrow(/no policy "env:nope"/);
    await expect(h.command('domain', 'sideways')).rejects.toThrow(/invalid value for "domain"/);
  });
});
