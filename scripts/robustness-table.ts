/**
 * The README's robustness table from `adaptlab sweep --json` lines (one per policy file): policies
 * named `<group>-s<seed>.json` (or in folders `<group>-s<seed>/`) are pooled by group over seeds.
 * Per group and value: the mean over seeds of each seed's mean return, with a 95% interval over
 * the seeds (t distribution); then each seed's lowest / highest mean return over the values, and
 * the same ratio of the pooled curve. EPOpt's done-when reads these ratios.
 * --plot FILE.svg draws each group's pooled curve (the mean over seeds).
 *   npx adaptlab sweep --policy ... --json > sweep.jsonl && npx tsx scripts/robustness-table.ts sweep.jsonl [--json] [--plot FILE.svg]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { lineChartSvg } from '../src/main/cli/svg-chart';
import { paramUnit } from '../src/shared/dr-terms';
import { t975 } from '../src/shared/paired';
import { basename, dirname } from 'node:path';

interface Line {
  policy: string;
  param: string;
  values: number[];
  return: { mean: number[]; std: number[] };
  forwardDistance: { mean: number[] };
  episodes?: number;
}


const file = process.argv[2];
if (!file) throw new Error('usage: tsx scripts/robustness-table.ts SWEEP.jsonl [--json]');
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Line);

/** `runs/x/mass3-s1/policy.json` and `mass3-s1.json` are group mass3, seed 1; anything else is its own group. */
function groupOf(policy: string): { group: string; seed: string } {
  const name = basename(policy) === 'policy.json' ? basename(dirname(policy)) : basename(policy).replace(/\.json$/, '');
  const m = /^(.*)-s(\d+)$/.exec(name);
  return m ? { group: m[1], seed: m[2] } : { group: name, seed: '' };
}

const groups = new Map<string, Line[]>();
for (const l of lines) {
  const g = groupOf(l.policy).group;
  groups.set(g, [...(groups.get(g) ?? []), l]);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ratio = (xs: number[]) => Math.min(...xs) / Math.max(...xs);
const out = [...groups].map(([group, ls]) => {
  const values = ls[0].values;
  const pooled = values.map((_, i) => mean(ls.map((l) => l.return.mean[i])));
  const half = values.map((_, i) => {
    const n = ls.length;
    if (n < 2) return NaN;
    const xs = ls.map((l) => l.return.mean[i]);
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - pooled[i]) ** 2, 0) / (n - 1));
    return t975(n - 1) * (sd / Math.sqrt(n));
  });
  const distance = values.map((_, i) => mean(ls.map((l) => l.forwardDistance.mean[i])));
  return { group, seeds: ls.map((l) => groupOf(l.policy).seed), param: ls[0].param, values, pooled, half, distance, seedRatios: ls.map((l) => ratio(l.return.mean)), pooledRatio: ratio(pooled), episodes: ls[0].episodes };
});

const plotAt = process.argv.indexOf('--plot');
if (plotAt > 0) {
  const r = out[0];
  const svg = lineChartSvg(
    out.map((g) => ({ label: `${g.group} (${g.seeds.length} seed${g.seeds.length > 1 ? 's' : ''})`, points: g.values.map((v, i) => [v, g.pooled[i]] as [number, number]) })),
    { title: `Mean return over seeds (${r.episodes ?? '?'} episodes per value and seed)`, xLabel: `${r.param} (${paramUnit(r.param) || '-'})`, yLabel: 'return', xRange: [Math.min(...r.values), Math.max(...r.values)], markers: true, legendAt: 'right' },
  );
  writeFileSync(process.argv[plotAt + 1], svg);
}

if (process.argv.includes('--json')) console.log(JSON.stringify(out));
else {
  const r = out[0];
  console.log(`| ${r.param} | ${r.values.join(' | ')} | lowest / highest: pooled | each seed |`);
  console.log(`| --- | ${r.values.map(() => '---').join(' | ')} | --- | --- |`);
  for (const g of out) {
    const cells = g.pooled.map((m, i) => (Number.isFinite(g.half[i]) ? `${m.toFixed(0)} ± ${g.half[i].toFixed(0)}` : m.toFixed(0)));
    console.log(`| ${g.group} (n=${g.seeds.length}): return | ${cells.join(' | ')} | ${g.pooledRatio.toFixed(2)} | ${g.seedRatios.map((x) => x.toFixed(2)).join(', ')} |`);
    console.log(`| ${g.group}: forward (m) | ${g.distance.map((d) => d.toFixed(1)).join(' | ')} | | |`);
  }
}
