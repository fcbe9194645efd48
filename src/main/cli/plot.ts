/** `adaptlab plot`: a metric of one or more runs against their steps, as an SVG file. */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { Run } from '../../meta/runs';
import { ensureWritableDir, flag, flagAll, UsageError, type ParsedArgs } from './args';
import { lineChartSvg, type Series } from './svg-chart';

/** Rows of a run's metrics.jsonl that carry the metric (a moving mean over `smooth` rows). */
export function metricSeries(runDir: string, metric: string, smooth = 1): [number, number][] {
  const rows = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => typeof r[metric] === 'number' && typeof r.step === 'number');
  return rows.map((r, i) => {
    const win = rows.slice(Math.max(0, i - smooth + 1), i + 1);
    return [r.step as number, win.reduce((s, w) => s + (w[metric] as number), 0) / win.length];
  });
}

export async function plot(args: ParsedArgs): Promise<number> {
  const runs = args.positional;
  if (!runs.length) throw new UsageError('give one or more run folders');
  const out = flag(args, 'out');
  if (!out || !/\.svg$/i.test(out)) throw new UsageError('--out FILE.svg is required');
  ensureWritableDir(resolve(out, '..'), 'out');
  const metric = flag(args, 'metric') ?? 'episodeReturn';
  const smooth = Number(flag(args, 'smooth') ?? 1);
  const labels = flagAll(args, 'label');
  const series: Series[] = runs.map((dir, i) => {
    const cfg = Run.open(resolve(dir)).config<{ algo?: string; env?: string; seed?: number }>();
    const points = metricSeries(resolve(dir), metric, smooth);
    if (!points.length) throw new UsageError(`${dir}: no "${metric}" in metrics.jsonl`);
    return { label: labels[i] ?? `${cfg.algo ?? '?'} ${cfg.env ?? ''} seed ${cfg.seed ?? '?'} (${basename(dir)})`, points };
  });
  const refs = flagAll(args, 'ref').map((r) => {
    const [y, ...label] = r.split(':');
    if (!Number.isFinite(Number(y))) throw new UsageError(`--ref expects VALUE[:LABEL], got "${r}"`);
    return { y: Number(y), label: label.join(':') || y };
  });
  const svg = lineChartSvg(series, { title: flag(args, 'title') ?? metric, xLabel: 'env steps', yLabel: metric + (smooth > 1 ? ` (mean of ${smooth} rows)` : ''), refs });
  writeFileSync(out, svg);
  console.log(`plot: wrote ${out} (${series.length} run(s), ${metric})`);
  return 0;
}
