/**
 * Does the quadrotor's inferred z move with the true cable length? The shipped latent model flies
 * the figure-8 (its own CEM planner, z inferred online) with cable lengths from 0.3 to 1.4 m
 * (payload 0.2 kg, a mass it was not trained on); at each episode's end the posterior mean of z
 * and its linear read-out as cable length are recorded. Trained lengths: 0.3 and 1.0 m.
 *   npx tsx scripts/quad-z-sweep.ts [--checkpoint assets/checkpoints/QuadPayloadVel-v0/latent.json] [--episodes 3] [--seed 0] [--plot docs/quad-latent-z.svg]
 * Prints a table and one JSON line.
 */
import { writeFileSync } from 'node:fs';
import { initBackend } from '../src/meta/backend';
import { evalQuadEpisodes, quadCheckpointPath } from '../src/meta/mbrl/eval-quad';
import { meanCi } from '../src/shared/paired';
import { lineChartSvg } from '../src/main/cli/svg-chart';

const argv = process.argv.slice(2);
const arg = (k: string, d: string) => (argv.includes(`--${k}`) ? argv[argv.indexOf(`--${k}`) + 1] : d);
const checkpoint = arg('checkpoint', quadCheckpointPath('latent'));
const episodes = Number(arg('episodes', '3'));
const seed = Number(arg('seed', '0'));
const plot = arg('plot', '');
const LENGTHS = [0.3, 0.45, 0.65, 0.8, 1.0, 1.15, 1.3, 1.4];

await initBackend();
const rows: { cable_length: number; readout: ReturnType<typeof meanCi>; z: number[][]; trackingError: number }[] = [];
for (const L of LENGTHS) {
  const { episodes: per } = await evalQuadEpisodes({ payload: { cable_length: L, payload_mass: 0.2 }, methods: ['latent'], checkpoints: { latent: checkpoint }, episodes, seed });
  const eps = per.latent;
  rows.push({ cable_length: L, readout: meanCi(eps.map((e) => e.readout?.cable_length ?? NaN)), z: eps.map((e) => e.z ?? []), trackingError: eps.reduce((s, e) => s + e.trackingError, 0) / eps.length });
}
console.log('| true cable length (m) | read-out of z (m), mean [95% interval] | z (episode means) | tracking error (m) |\n|---|---|---|---|');
for (const r of rows) {
  const zm = r.z[0].map((_, j) => (r.z.reduce((s, z) => s + z[j], 0) / r.z.length).toFixed(2)).join(', ');
  console.log(`| ${r.cable_length} | ${r.readout.mean.toFixed(2)} [${r.readout.ci95.map((x) => x.toFixed(2)).join(', ')}] | (${zm}) | ${r.trackingError.toFixed(3)} |`);
}
const xs = rows.map((r) => r.cable_length);
const ys = rows.map((r) => r.readout.mean);
const mx = xs.reduce((a, b) => a + b) / xs.length;
const my = ys.reduce((a, b) => a + b) / ys.length;
const corr = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ys.reduce((s, y) => s + (y - my) ** 2, 0));
console.log(JSON.stringify({ checkpoint, episodes, seed, payload_mass: 0.2, correlation: corr, rows }));
if (plot) {
  const svg = lineChartSvg(
    [
      { label: 'read-out of inferred z', points: rows.map((r) => [r.cable_length, r.readout.mean]) },
      { label: 'truth', points: rows.map((r) => [r.cable_length, r.cable_length]) },
    ],
    { title: `Quadrotor latent model: cable length read from z (trained on 0.3 and 1.0 m; ${episodes} episodes each)`, xLabel: 'true cable length (m)', yLabel: 'cable length (m)', markers: true, xRange: [0.25, 1.45] },
  );
  writeFileSync(plot, svg);
  console.error(`wrote ${plot}`);
}
