/**
 * The quadrotor's per-axis PID tracking baseline (issue 21) on QuadPayloadVel-v0 (velocity
 * commands held 0.1 s through the cascaded flight controller): mean payload tracking error (m,
 * info.tracking_error averaged over each episode's control steps, then over episodes) and
 * crashes, on the hover, circle and figure-8 references, for a few payloads (payload_mass kg,
 * cable_length m, set per reset), next to zero velocity commands on the same seeded episodes.
 *   npx tsx bench/quad-pid.ts [--episodes 5] [--seed 0]
 * Prints a table and writes bench/results/quad-pid.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRapier } from '../src/physics/rapier.js';
import { makeEnvSync } from '../src/physics/envs/registry.js';
import { QUAD_REFERENCES } from '../src/physics/envs/quadPayload.js';
import { scriptedPolicies } from '../src/physics/controllers/scripted.js';
import { Rng } from '../src/physics/rng.js';

const args = process.argv.slice(2);
const arg = (k: string, d: string) => (args.includes(`--${k}`) ? args[args.indexOf(`--${k}`) + 1] : d);
const episodes = Number(arg('episodes', '5'));
const seed = Number(arg('seed', '0'));
if (!(Number.isInteger(episodes) && episodes > 0) || !Number.isInteger(seed)) {
  console.error('usage: npx tsx bench/quad-pid.ts [--episodes N >= 1] [--seed integer]');
  process.exit(2);
}

await loadRapier();
const ENV = 'QuadPayloadVel-v0';
const nominal = makeEnvSync(ENV).nominalParams();
const PAYLOADS = [
  { name: 'nominal', payload_mass: nominal.payload_mass, cable_length: nominal.cable_length },
  { name: 'light, short', payload_mass: 0.05, cable_length: 0.3 },
  { name: 'heavy, long', payload_mass: 0.3, cable_length: 1.0 },
  { name: 'mid', payload_mass: 0.2, cable_length: 0.7 },
];
const POLICIES = ['pid', 'zero'] as const;

interface Row { reference: string; payload: string; payload_mass: number; cable_length: number; policy: string; meanError: number; std: number; crashes: number; episodes: number }
const rows: Row[] = [];
const t0 = performance.now();
for (const reference of QUAD_REFERENCES) {
  const env = makeEnvSync(ENV, { reference });
  for (const p of PAYLOADS) {
    for (const policyId of POLICIES) {
      const policy = scriptedPolicies(ENV).find((x) => x.id === policyId)!.create(env, new Rng(seed));
      const errors: number[] = [];
      let crashes = 0;
      for (let k = 0; k < episodes; k++) {
        let obs = env.reset({ seed: seed + k, options: { params: { payload_mass: p.payload_mass, cable_length: p.cable_length } } }).obs;
        policy.reset();
        const a = new Float32Array(env.actionSize);
        let sum = 0, n = 0;
        for (let t = 0; t < env.maxEpisodeSteps; t++) {
          const r = env.step(policy.act(obs, t, a));
          sum += r.info.tracking_error as number;
          n++;
          obs = r.obs;
          if (r.terminated) crashes++;
          if (r.terminated || r.truncated) break;
        }
        errors.push(sum / n);
      }
      const mean = errors.reduce((s, x) => s + x, 0) / errors.length;
      const std = errors.length > 1 ? Math.sqrt(errors.reduce((s, x) => s + (x - mean) ** 2, 0) / (errors.length - 1)) : 0;
      rows.push({ reference, payload: p.name, payload_mass: p.payload_mass, cable_length: p.cable_length, policy: policyId, meanError: +mean.toFixed(4), std: +std.toFixed(4), crashes, episodes });
    }
  }
  env.dispose();
}

const spec = makeEnvSync(ENV);
const out = {
  env: ENV,
  controlPeriod: spec.dt,
  episodeSeconds: spec.maxEpisodeSteps * spec.dt,
  episodes,
  seed,
  metric: 'mean payload tracking error (m) over the control steps of an episode, mean and std over episodes',
  rows,
  seconds: +((performance.now() - t0) / 1000).toFixed(1),
};
const here = path.dirname(fileURLToPath(import.meta.url));
fs.mkdirSync(path.join(here, 'results'), { recursive: true });
fs.writeFileSync(path.join(here, 'results', 'quad-pid.json'), JSON.stringify(out, null, 2) + '\n');
const fmt = (r?: Row) => (r ? `${r.meanError.toFixed(3)}${r.crashes ? ` (${r.crashes} crash)` : ''}` : '-');
console.log(`| reference | payload (kg, m) | PID | zero commands |\n|---|---|---|---|`);
for (const reference of QUAD_REFERENCES)
  for (const p of PAYLOADS) {
    const get = (pol: string) => rows.find((r) => r.reference === reference && r.payload === p.name && r.policy === pol);
    console.log(`| ${reference} | ${p.name} (${p.payload_mass}, ${p.cable_length}) | ${fmt(get('pid'))} | ${fmt(get('zero'))} |`);
  }
console.log(`wrote bench/results/quad-pid.json (${out.seconds} s)`);
