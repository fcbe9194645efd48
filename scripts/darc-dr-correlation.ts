/**
 * dr against each actuator's |action| on a DARC run's OWN data: every source transition in the
 * run's replay (its latest checkpoint), scored with the classifiers the run ended with
 * (darc-classifiers.json beside it). Per run and pooled over runs: Pearson r of dr with |a_k| for
 * each actuator, over all transitions and over the policy's alone (after SAC's uniform random
 * start), and dr's mean in |a_k| bins. The broken actuator should stand out with r clearly negative.
 * --plot FILE.svg draws the pooled dr per |a| bin, one line per actuator.
 *   npx tsx scripts/darc-dr-correlation.ts runs/darc-hopper2/darc-s0 [...more runs] [--plot docs/darc-dr-hopper.svg]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCheckpointPayload } from '../src/meta/runs';
import { DARC_CLASSIFIERS_FILE, DarcClassifierReader, loadDarcClassifiers } from '../src/meta/rl/darc-classifier-file';
import type { DarcState } from '../src/meta/rl/darc';
import { makeEnv } from '../src/physics/envs/registry';
import type { EnvId } from '../src/physics/envs/types';
import { lineChartSvg } from '../src/main/cli/svg-chart';
import { loadRapier } from '../src/physics/rapier';

const BINS = 10;
const plotAt = process.argv.indexOf('--plot');
const plotFile = plotAt > 0 ? process.argv[plotAt + 1] : null;
const runs = process.argv.slice(2).filter((a, i, all) => a !== '--plot' && all[i - 1] !== '--plot');
if (!runs.length) throw new Error('usage: tsx scripts/darc-dr-correlation.ts RUN_DIR [...] [--plot FILE.svg]');

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    syy += y[i] * y[i];
    sxy += x[i] * y[i];
  }
  const cov = sxy / n - (sx / n) * (sy / n);
  const v = (sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2);
  return v > 0 ? cov / Math.sqrt(v) : NaN;
}

interface Scored {
  dr: Float64Array;
  absA: Float64Array[];
  policyFrom: number;
}

const round = (x: number) => Number(x.toFixed(3));
await loadRapier();
const scored: Scored[] = [];
let names: string[] = [];
const perRun = [];
for (const dir of runs) {
  const reader = new DarcClassifierReader(loadDarcClassifiers(join(dir, DARC_CLASSIFIERS_FILE)));
  const state = await readCheckpointPayload<DarcState>(dir);
  const replay = state.sac.replay;
  const O = reader.observationSize, A = reader.actionSize, n = replay.size;
  if (!names.length) {
    const env = await makeEnv(reader.file.env as EnvId);
    names = env.actuatorNames?.() ?? Array.from({ length: A }, (_, k) => `action ${k}`);
    env.dispose();
  }
  // the replay is a ring: with size < capacity its rows are in collection order
  if (n === replay.capacity) throw new Error(`${dir}: the replay has wrapped; collection order is lost`);
  const dr = new Float64Array(n);
  const absA = Array.from({ length: A }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const a = replay.actions.subarray(i * A, (i + 1) * A);
    dr[i] = reader.deltaReward(replay.obs.subarray(i * O, (i + 1) * O), a, replay.nextObs.subarray(i * O, (i + 1) * O));
    for (let k = 0; k < A; k++) absA[k][i] = Math.min(1, Math.abs(a[k]));
  }
  const policyFrom = state.sac.config.learningStarts;
  scored.push({ dr, absA, policyFrom });
  perRun.push({
    run: dir,
    transitions: n,
    classifierSteps: reader.file.meta,
    corrDrAbsA: Object.fromEntries(names.map((nm, k) => [nm, round(pearson(dr, absA[k]))])),
    corrDrAbsAPolicyOnly: Object.fromEntries(names.map((nm, k) => [nm, round(pearson(dr.subarray(policyFrom), absA[k].subarray(policyFrom)))])),
    meanDr: round(dr.reduce((a, b) => a + b, 0) / n),
  });
}

// pooled over runs: r over all their transitions, dr's mean per |a| bin
const cat = (f: (s: Scored) => Float64Array) => {
  const parts = scored.map(f);
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const dr = cat((s) => s.dr);
const pooled = names.map((nm, k) => {
  const x = cat((s) => s.absA[k]);
  const sum = new Float64Array(BINS), count = new Float64Array(BINS);
  for (let i = 0; i < x.length; i++) {
    const b = Math.min(BINS - 1, Math.floor(x[i] * BINS));
    sum[b] += dr[i];
    count[b]++;
  }
  return { actuator: nm, r: round(pearson(dr, x)), binMeans: Array.from(sum, (s, b) => (count[b] ? round(s / count[b]) : null)), binCounts: Array.from(count) };
});
if (plotFile) {
  const series = pooled.map((p) => ({ label: `${p.actuator} (r = ${p.r.toFixed(2)})`, points: p.binMeans.flatMap((m, b) => (m === null || p.binCounts[b] < 50 ? [] : [[(b + 0.5) / BINS, m] as [number, number]])) }));
  writeFileSync(plotFile, lineChartSvg(series, { title: `dr against |action| on DARC's own source data (${runs.length} run${runs.length > 1 ? 's' : ''}, ${dr.length} transitions)`, xLabel: '|action| (bin centre)', yLabel: 'mean dr', markers: true, xRange: [0, 1], refs: [{ y: 0, label: 'dr = 0' }] }));
  console.error(`wrote ${plotFile}`);
}
console.log(JSON.stringify({ runs: perRun, pooled }));
