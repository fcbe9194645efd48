/**
 * Statistics for comparisons people can trust: the mean with a 95% Student-t interval, and paired
 * differences (same seeds, same episodes) against a baseline, oriented so that positive is better.
 * One JSON shape for every comparison (DESIGN.md, Evaluation).
 */

/** Student t quantiles (0.975) by degrees of freedom 1..30; beyond that the normal's 1.96 is within 2%. */
const T975 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function t975(df: number): number {
  return df < 1 ? NaN : (T975[df] ?? (df <= 60 ? 2.0 : 1.96));
}

export interface MeanCi {
  mean: number;
  ci95: [number, number];
  n: number;
}

/** Mean and 95% t interval of xs (NaN interval for fewer than 2). */
export function meanCi(xs: number[]): MeanCi {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, n);
  if (n < 2) return { mean, ci95: [NaN, NaN], n };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const h = t975(n - 1) * (sd / Math.sqrt(n));
  return { mean, ci95: [mean - h, mean + h], n };
}

export interface PairedDiff {
  metric: string;
  meanDiff: number;
  ci95: [number, number];
  n: number;
}

/**
 * Paired difference of `method` against `baseline` (entry i of each is the same episode), positive
 * = better: baseline - method where lower is better, method - baseline where higher is.
 */
export function pairedDiff(metric: string, baseline: number[], method: number[], lowerIsBetter: boolean): PairedDiff {
  if (baseline.length !== method.length) throw new Error(`paired ${metric}: ${baseline.length} baseline episodes against ${method.length}`);
  const d = method.map((x, i) => (lowerIsBetter ? baseline[i] - x : x - baseline[i]));
  const s = meanCi(d);
  return { metric, meanDiff: s.mean, ci95: s.ci95, n: s.n };
}
