/**
 * Physics benchmark: env steps per second on one core (random actions, reset on termination) for
 * each env, and in the same run MuJoCo's speed on the equivalent Gym MJCF models (bench/ref/*.xml,
 * RK4, Gym timestep; env steps = MuJoCo steps / frame skip), timed with Debian's
 * libmujoco-samples `mujoco-testspeed` when installed (reference: null otherwise).
 * Also times both Rapier builds (simd = default, compat) for the record. Each engine runs in
 * alternating short rounds and the best round counts (shared machines are noisy).
 * Writes bench/results/physics.json. Run: npx tsx bench/physics.ts [--seconds S]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadRapier, type RapierFlavor } from '../src/physics/rapier.js';
import { makeEnvSync } from '../src/physics/envs/registry.js';
import type { EnvId } from '../src/physics/envs/types.js';
import { Rng } from '../src/physics/rng.js';
import { simulate } from '../src/physics/simulate.js';

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
  /** behaviour next to MuJoCo on the same inputs (ant only): gait speed, rest height, limit violation */
  fidelity?: Record<string, number | null>;
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

/** Compile bench/ref/mjdriver.c against libmujoco-dev (once); null when gcc or MuJoCo is missing. */
let driverPath: string | null | undefined;
function mjDriver(): string | null {
  if (driverPath !== undefined) return driverPath;
  const out = join(tmpdir(), 'adaptlab-mjdriver');
  const r = spawnSync('gcc', ['-O2', join(here, 'ref/mjdriver.c'), '-lmujoco', '-lm', '-o', out], { encoding: 'utf8' });
  driverPath = r.status === 0 ? out : null;
  return driverPath;
}

function mujocoVersion(): string {
  return spawnSync('dpkg-query', ['-W', '-f=${Version}', 'libmujoco-dev'], { encoding: 'utf8' }).stdout?.trim() || spawnSync('dpkg-query', ['-W', '-f=${Version}', 'libmujoco-samples'], { encoding: 'utf8' }).stdout?.trim() || '?';
}

interface DriverOut {
  steps: number;
  episodes: number;
  finalX: number;
  meanForwardVelocity: number;
  finalZ: number;
  minZ: number;
  maxZ: number;
  maxJointLimitViolation: number;
  envStepsPerSec: number;
}

function runDriver(xml: string, policy: string, steps: number, frameSkip: number): DriverOut | null {
  const drv = mjDriver();
  if (!drv) return null;
  const r = spawnSync(drv, [xml, policy, String(steps), String(frameSkip)], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout) as DriverOut;
  } catch {
    return null;
  }
}

/**
 * MuJoCo env steps/s on the same workload as ours (uniform random actions, reset on Gym's
 * termination) with the small libmujoco-dev driver; else mujoco-testspeed (ctrlnoise 0.5).
 */
function mujocoSpeed(xml: string, frameSkip: number, timestep: number, seconds: number): { name: string; sps: number } | null {
  const calib = runDriver(xml, 'random', 200, frameSkip);
  if (calib) {
    const steps = Math.max(200, Math.round(calib.envStepsPerSec * seconds));
    const r = runDriver(xml, 'random', steps, frameSkip);
    if (r) return { name: `MuJoCo ${mujocoVersion()} (libmujoco-dev driver bench/ref/mjdriver.c, RK4, random actions, reset on termination)`, sps: r.envStepsPerSec };
  }
  const probe = spawnSync('mujoco-testspeed', [], { encoding: 'utf8' });
  if (probe.error) return null;
  const nstep = Math.max(1000, Math.round((seconds / timestep) * 2));
  const r = spawnSync('mujoco-testspeed', [xml, String(nstep), '1', '0.5'], { encoding: 'utf8' });
  const m = /Steps per second\s*:\s*([\d.]+)/.exec(r.stdout ?? '');
  if (!m) return null;
  return { name: `MuJoCo ${mujocoVersion()} (mujoco-testspeed, RK4, ctrlnoise 0.5)`, sps: Number(m[1]) / frameSkip };
}

const REF: Partial<Record<EnvId, { xml: string; frameSkip: number; timestep: number }>> = {
  'Ant-v0': { xml: join(here, 'ref/ant.xml'), frameSkip: 5, timestep: 0.01 },
  'Hopper-v0': { xml: join(here, 'ref/hopper.xml'), frameSkip: 4, timestep: 0.002 },
};

const ROUNDS = 3;
const rows: Row[] = [];
for (const id of ['Ant-v0', 'Hopper-v0', 'QuadPayload-v0'] as EnvId[]) {
  // alternate Rapier and MuJoCo in short rounds and keep each one's best (machines are shared)
  let main = { sps: 0, episodes: 0 };
  let ref: { name: string; sps: number } | null = null;
  for (let k = 0; k < ROUNDS; k++) {
    const m = await rapierSpeed(id, 'simd', SECONDS / ROUNDS);
    if (m.sps > main.sps) main = m;
    const r = REF[id] ? mujocoSpeed(REF[id]!.xml, REF[id]!.frameSkip, REF[id]!.timestep, SECONDS / ROUNDS) : null;
    if (r && (!ref || r.sps > ref.sps)) ref = r;
  }
  const compat = await rapierSpeed(id, 'compat', SECONDS / ROUNDS);
  const env = makeEnvSync(id, {}, await loadRapier('simd'));
  const cfg = env.config;
  let fidelity: Row['fidelity'];
  if (id === 'Ant-v0') {
    const R = await loadRapier('simd');
    const gait = await simulate({ env: makeEnvSync(id, { terminateWhenUnhealthy: false }, R), steps: 140, seed: 0, policy: 'gait' });
    const zero = await simulate({ env: makeEnvSync(id, { terminateWhenUnhealthy: false }, R), steps: 140, seed: 0, policy: 'zero' });
    const mjGait = runDriver(REF[id]!.xml, 'gait', 140, 5);
    const mjZero = runDriver(REF[id]!.xml, 'zero', 140, 5);
    const mjRand = runDriver(REF[id]!.xml, 'random', 5000, 5);
    fidelity = {
      // mean forward velocity over 140 env steps (7 s) of simulate.ts's ANT_GAIT, from rest
      gaitMeanVelocity: Number(gait.meanForwardVelocity.toFixed(3)),
      mujocoGaitMeanVelocity: mjGait?.meanForwardVelocity ?? null,
      gaitMaxTorsoHeight: Number(gait.maxTorsoHeight.toFixed(3)),
      mujocoGaitMaxTorsoHeight: mjGait?.maxZ ?? null,
      restTorsoHeight: Number(zero.minTorsoHeight.toFixed(3)),
      mujocoRestTorsoHeight: mjZero?.finalZ ?? null,
      mujocoRandomMaxJointLimitViolation: mjRand?.maxJointLimitViolation ?? null,
    };
  }
  rows.push({
    env: id,
    envStepsPerSec: Math.round(main.sps),
    reference: ref?.name ?? null,
    referenceEnvStepsPerSec: ref ? Math.round(ref.sps) : null,
    ratio: ref ? Number((main.sps / ref.sps).toFixed(3)) : null,
    rapier: 'simd',
    compatEnvStepsPerSec: Math.round(compat.sps),
    episodes: main.episodes,
    fidelity,
    settings: { dt: env.dt, substeps: cfg.substeps, solverIterations: cfg.solverIterations, limitProjection: cfg.limitProjection ?? 0, separationProjection: cfg.separationProjection ?? 0 },
  });
  env.dispose();
  console.log(JSON.stringify(rows[rows.length - 1]));
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/physics.json'), JSON.stringify(rows, null, 2) + '\n');
console.log(`wrote ${join(here, 'results/physics.json')}`);
