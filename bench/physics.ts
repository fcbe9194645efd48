/**
 * Physics benchmark: env steps per second on one core (random actions, reset on termination) for
 * each env, and in the same run MuJoCo's speed on the equivalent Gym MJCF models (bench/ref/*.xml,
 * RK4, Gym timestep; env steps = MuJoCo steps / frame skip), timed with Debian's
 * libmujoco-samples `mujoco-testspeed` when installed (reference: null otherwise).
 * Also times both Rapier builds (simd = default, compat) for the record.
 * Writes bench/results/physics.json. Run: npx tsx bench/physics.ts [--seconds S]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRapier, type RapierFlavor } from '../src/physics/rapier.js';
import { makeEnvSync } from '../src/physics/envs/registry.js';
import type { EnvId } from '../src/physics/envs/types.js';
import { Rng } from '../src/physics/rng.js';

const here = dirname(fileURLToPath(import.meta.url));
const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = argSeconds > 0 ? Number(process.argv[argSeconds + 1]) : 4;

interface Row {
  env: EnvId;
  envStepsPerSec: number;
  reference: string | null;
  referenceEnvStepsPerSec: number | null;
  ratio: number | null;
  rapier: RapierFlavor;
  compatEnvStepsPerSec?: number;
  episodes: number;
  settings: Record<string, unknown>;
}

async function rapierSpeed(id: EnvId, flavor: RapierFlavor, seconds: number): Promise<{ sps: number; episodes: number }> {
  const R = await loadRapier(flavor);
  const env = makeEnvSync(id, {}, R);
  const rng = new Rng(0);
  const a = new Float32Array(env.actionSize);
  env.reset({ seed: 0 });
  // warm up (JIT, WASM tier-up)
  for (let i = 0; i < 50; i++) {
    rng.fillUniform(a);
    const r = env.step(a);
    if (r.terminated || r.truncated) env.reset();
  }
  let steps = 0, episodes = 1;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    for (let i = 0; i < 20; i++) {
      rng.fillUniform(a);
      const r = env.step(a);
      steps++;
      if (r.terminated || r.truncated) {
        env.reset();
        episodes++;
      }
    }
  }
  const sps = steps / ((performance.now() - t0) / 1000);
  env.dispose();
  return { sps, episodes };
}

function mujocoSpeed(xml: string, frameSkip: number, timestep: number, seconds: number): { name: string; sps: number } | null {
  const probe = spawnSync('mujoco-testspeed', [], { encoding: 'utf8' });
  if (probe.error) return null;
  const nstep = Math.max(1000, Math.round((seconds / timestep) * 2));
  const r = spawnSync('mujoco-testspeed', [xml, String(nstep), '1', '0.5'], { encoding: 'utf8' });
  const m = /Steps per second\s*:\s*([\d.]+)/.exec(r.stdout ?? '');
  if (!m) return null;
  const ver = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'libmujoco-samples'], { encoding: 'utf8' }).stdout?.trim();
  return { name: `MuJoCo ${ver || '?'} (mujoco-testspeed, RK4, ctrlnoise 0.5)`, sps: Number(m[1]) / frameSkip };
}

const REF: Partial<Record<EnvId, { xml: string; frameSkip: number; timestep: number }>> = {
  'Ant-v0': { xml: join(here, 'ref/ant.xml'), frameSkip: 5, timestep: 0.01 },
  'Hopper-v0': { xml: join(here, 'ref/hopper.xml'), frameSkip: 4, timestep: 0.002 },
};

const rows: Row[] = [];
for (const id of ['Ant-v0', 'Hopper-v0', 'QuadPayload-v0'] as EnvId[]) {
  const main = await rapierSpeed(id, 'simd', SECONDS);
  const ref = REF[id] ? mujocoSpeed(REF[id]!.xml, REF[id]!.frameSkip, REF[id]!.timestep, SECONDS) : null;
  const compat = await rapierSpeed(id, 'compat', SECONDS / 2);
  const env = makeEnvSync(id, {}, await loadRapier('simd'));
  const cfg = env.config;
  rows.push({
    env: id,
    envStepsPerSec: Math.round(main.sps),
    reference: ref?.name ?? null,
    referenceEnvStepsPerSec: ref ? Math.round(ref.sps) : null,
    ratio: ref ? Number((main.sps / ref.sps).toFixed(3)) : null,
    rapier: 'simd',
    compatEnvStepsPerSec: Math.round(compat.sps),
    episodes: main.episodes,
    settings: { dt: env.dt, substeps: cfg.substeps, solverIterations: cfg.solverIterations, limitProjection: cfg.limitProjection ?? 0 },
  });
  env.dispose();
  console.log(JSON.stringify(rows[rows.length - 1]));
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/physics.json'), JSON.stringify(rows, null, 2) + '\n');
console.log(`wrote ${join(here, 'results/physics.json')}`);
