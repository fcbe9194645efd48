import { afterEach, describe, expect, it } from 'vitest';
import { POSE_STRIDE } from '../../shared/scene';
import type { PopulationFrame } from '../../shared/snapshot';
import { ENV_SPECS, makeEnv } from '../../physics/envs/registry';
import { findScene, listScenes } from './scene-runner';
import { SceneHost } from './scene-host';
import { laneSpacing, PopulationScene } from './population-scene';

const open: { dispose(): void }[] = [];
async function create(n: number, seed: number): Promise<PopulationScene> {
  const s = await PopulationScene.create('Hopper-v0', n, seed);
  open.push(s);
  return s;
}
async function host(id: string, seed: number): Promise<SceneHost> {
  const h = await SceneHost.open(findScene(id), seed);
  open.push(h);
  return h;
}
afterEach(() => {
  while (open.length) open.pop()!.dispose();
});

describe('a population scene', () => {
  it('runs N hoppers, each with its own draw, in lanes side by side', async () => {
    const s = await create(16, 3);
    const spec = s.spec();
    expect(spec.population).toEqual({ count: 16, bodiesPerRobot: 4 });
    expect(spec.bodies).toHaveLength(64);
    expect(spec.bodies[4].name).toBe('r1/torso');
    const f = s.populationFrame();
    expect(f.columns).toEqual(['mass.torso', 'friction.foot', 'damping.*', 'armature.*']);
    expect(f.params).toHaveLength(16 * 4);
    // distinct draws: no two robots share a torso mass (but the normal's clip at 3 or 9 can repeat)
    const all = Array.from({ length: 16 }, (_, i) => f.params[i * 4]);
    const inside = all.filter((m) => m > 3 && m < 9);
    expect(new Set(inside).size).toBe(inside.length);
    expect(inside.length).toBeGreaterThan(10);
    for (const m of all) expect(m >= 3 && m <= 9).toBe(true);
    // each robot runs in its own lane (world y), its bodies together
    const poses = new Float32Array(spec.bodies.length * POSE_STRIDE);
    s.writePoses(poses);
    for (let i = 0; i < 16; i++) expect(poses[i * 4 * POSE_STRIDE + 1]).toBeCloseTo((i - 7.5) * laneSpacing(16), 4);
  });

  it('the same seed gives the same draws (robot 0: what one env reset with that seed draws); another seed others', async () => {
    const a = (await create(8, 5)).populationFrame().params;
    const b = (await create(8, 5)).populationFrame().params;
    const c = (await create(8, 6)).populationFrame().params;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    const env = await makeEnv('Hopper-v0', { randomize: ENV_SPECS['Hopper-v0'].randomizers });
    const { info } = env.reset({ seed: 5 });
    expect(info.params['mass.torso']).toBeCloseTo(a[0], 5);
    expect(info.params['friction.foot']).toBeCloseTo(a[1], 5);
    env.dispose();
    const s = open[0] as PopulationScene;
    s.reset(6);
    expect(s.populationFrame().params).toEqual(c);
    s.reset(5);
    expect(s.populationFrame().params).toEqual(a);
  });

  it('on the host: synchronous episodes under the learned policy, the robots apply their own draws, the next episode draws again', async () => {
    const h = await host('population:Hopper-v0:4', 1);
    const s = h.scene as PopulationScene;
    const frame = () => h.overlays().population as PopulationFrame;
    const first = frame().params.slice();
    const masses = first.filter((_, i) => i % 4 === 0);
    const envs = (s as unknown as { envs: { params(): Record<string, number> }[] }).envs;
    envs.forEach((e, i) => expect(e.params()['mass.torso']).toBeCloseTo(masses[i], 5));
    let waited = 0;
    let events: { label: string }[] = [];
    for (let k = 0; k < 1500 && !events.length; k++) {
      const before = frame();
      await h.step();
      events = h.drainEvents();
      const after = frame();
      // a robot whose episode ended stands still (its return stops growing) until all have ended
      if (!events.length)
        for (let i = 0; i < 4; i++)
          if (!before.alive[i]) {
            waited++;
            expect(after.returns[i]).toBe(before.returns[i]);
            expect(after.alive[i]).toBe(0);
          }
    }
    expect(events[0].label).toMatch(/^episode 0 ended: \d\/4 lasted 1000 steps, mean return \d+/);
    expect(waited).toBeGreaterThan(0); // with torso masses from 3 to 9 kg, not all four fall at once
    expect(h.episode).toBe(1);
    expect(Array.from(frame().alive)).toEqual([1, 1, 1, 1]);
    expect(h.telemetry().running).toBe(4);
    // episode 1 is the host's seed + 1: a new draw, the one that seed gives
    expect(frame().params).not.toEqual(first);
    expect(frame().params).toEqual((await create(4, 2)).populationFrame().params);
  });

  it('takes DR terms through its declared control: draws again from them, refuses terms that cannot be sampled', async () => {
    const h = await host('population:Hopper-v0:4', 2);
    const msg = await h.command('randomize', [{ target: 'mass', select: ['torso'], distribution: { kind: 'uniform', low: 6, high: 6.5 }, operation: 'abs', mode: 'reset' }]);
    expect(msg).toMatch(/drawn again from 1 DR term/);
    const f = h.overlays().population as PopulationFrame;
    expect(f.columns).toEqual(['mass.torso']);
    for (const m of f.params) expect(m >= 6 && m <= 6.5).toBe(true);
    await expect(h.command('randomize', [{ target: 'wings', distribution: { kind: 'uniform', low: 1, high: 2 }, operation: 'scale', mode: 'reset' }])).rejects.toThrow(/targets no parameter/);
    await expect(h.command('randomize', [{ target: 'mass', distribution: { kind: 'uniform', low: 2, high: 1 }, operation: 'scale', mode: 'reset' }])).rejects.toThrow(/low > high/);
    await expect(h.command('randomize', [{ target: 'mass' }])).rejects.toThrow(/invalid value for "randomize"/);
    expect(await h.command('policy', 'zero')).toMatch(/policy: zero/);
  });

  it("adapts its DR terms to a hidden target from the policy's episodes there, and back to the prior", async () => {
    const h = await host('population:Hopper-v0:8', 0);
    const frame = () => h.overlays().population as PopulationFrame;
    const priorMasses = Array.from(frame().params.filter((_, i) => i % 4 === 0));
    const msg = await h.command('adapt', 'heavy');
    expect(msg).toMatch(/DR adapted to heavy torso/);
    const a = frame().adaptation!;
    const mass = a.columns.find((c) => c.label === 'mass.torso')!;
    expect(mass.truth).toBe(8.5);
    // toward the hidden 8.5 kg from the prior's 6, and narrower
    expect(mass.posterior.mean).toBeGreaterThan(mass.prior.mean + 0.5);
    expect(mass.posterior.std).toBeLessThan(mass.prior.std);
    // the robots are drawn from the posterior now
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    const postMasses = Array.from(frame().params.filter((_, i) => i % 4 === 0));
    expect(mean(postMasses)).toBeGreaterThan(mean(priorMasses));
    expect(await h.command('adapt', 'prior')).toMatch(/the prior/);
    expect(frame().adaptation).toBeNull();
    await expect(h.command('adapt', 'moon')).rejects.toThrow(/no adaptation target "moon"/);
    await h.command('policy', 'zero');
    await expect(h.command('adapt', 'heavy')).rejects.toThrow(/replays a learned policy/);
  });

  it('is in the scene list with its declaration, and any size up to 64 opens by id', async () => {
    const info = (await listScenes()).find((x) => x.id === 'population:Hopper-v0:16')!;
    expect(info.controls.map((c) => [c.id, c.kind])).toEqual([['policy', 'select'], ['adapt', 'select'], ['randomize', 'drTerms']]);
    expect(info.controls[0].initial).toBe('learned:ppo');
    expect(info.overlays).toEqual(['population']);
    expect(info.dr!.active).toEqual(ENV_SPECS['Hopper-v0'].randomizers);
    expect(info.dr!.nominal['mass.torso']).toBeGreaterThan(0);
    const h = await host('population:Hopper-v0:2', 0);
    expect((h.scene as PopulationScene).n).toBe(2);
    expect(h.spec().overlays).toEqual(['population']);
    await expect(findScene('population:Hopper-v0:65').create(0)).rejects.toThrow(/1 to 64/);
    expect(() => findScene('population:Nope-v0:4')).toThrow(/unknown env/);
  });
});
