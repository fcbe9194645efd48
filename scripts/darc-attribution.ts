/**
 * What the DARC view measures, without the view: for each policy it offers and each domain, a few
 * whole episodes of the darc:<pair> scene (the same code), printing per actuator its mean share of
 * dr (dr minus dr with its command at 0, same state), the correlation of dr with |a| and dr's mean
 * per |a| bin, and the mean dr, return and one-step gap to the other
 * domain. One JSON object on stdout (the README's numbers).
 *   npx tsx scripts/darc-attribution.ts [--pair broken-hopper] [--episodes 3] [--seed 0]
 */
import { loadRapier } from '../src/physics/rapier';
import { SceneHost } from '../src/main/service/scene-host';
import { DarcScene, darcPolicies } from '../src/main/service/darc-scene';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const pair = arg('pair', 'broken-hopper');
const episodes = Number(arg('episodes', '3'));
const seed = Number(arg('seed', '0'));

await loadRapier();
const results = [];
for (const policy of darcPolicies(pair)) {
  for (const domain of ['source', 'target'] as const) {
    const scene = await DarcScene.create(pair, seed);
    const host = new SceneHost(scene, await DarcScene.describe(pair), seed);
    await host.command('policy', policy.value);
    await host.command('domain', domain);
    const returns: number[] = [];
    let gapSum = 0, steps = 0;
    const start = host.episode;
    host.drainEvents();
    while (host.episode - start < episodes) {
      const measured = scene.attributionNow.n;
      await host.step();
      // an episode's end is an event: "episode N ended: terminated in the source, return R, ..."
      for (const e of host.drainEvents()) {
        const m = /return (-?[\d.]+),/.exec(e.label);
        if (e.kind === 'episode' && m) returns.push(Number(m[1]));
      }
      // only the robot's own steps (it stands still while the side-by-side robot finishes)
      if (scene.attributionNow.n > measured) {
        gapSum += scene.lastGap;
        steps++;
      }
    }
    const f = scene.frame();
    const nb = f.bins.length / f.actuators.length;
    results.push({
      policy: policy.label,
      value: policy.value,
      domain,
      episodes,
      steps: f.samples,
      meanReturn: returns.reduce((a, b) => a + b, 0) / returns.length,
      meanDr: scene.attributionNow.mean,
      meanGapToOtherDomain: gapSum / steps,
      actuators: Object.fromEntries(
        f.actuators.map((name, k) => [
          name,
          { meanDrDue: Number(f.due[k].toFixed(3)), corrDrAbsA: Number(f.correlation[k].toFixed(3)), meanDrPerAbsABin: Array.from(f.bins.subarray(k * nb, (k + 1) * nb), (v) => (Number.isFinite(v) ? Number(v.toFixed(3)) : null)), steps: Array.from(f.binCounts.subarray(k * nb, (k + 1) * nb)) },
        ]),
      ),
    });
    host.dispose();
  }
}
console.log(JSON.stringify({ pair, seed, episodes, results }, null, 1));
