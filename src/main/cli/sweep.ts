/**
 * `adaptlab sweep`: a policy's robustness curve (EPOpt's figure). For each value of one physical
 * parameter (or each pair of values of two) the policy is evaluated exactly as `adaptlab eval
 * --policy` evaluates it (src/meta/eval-policy.ts: deterministic actions, episodes seeded
 * seed..seed+K-1), with the parameter pinned by a DR term `{target: KEY, operation: 'abs'}` whose
 * distribution is that one value. The same seeds serve every value and every policy (paired: the
 * reset noise comes from the episode's seed and the pinning draw from the separate DR stream, so
 * only the parameter differs between cells).
 *
 * Output (--json): one JSON line per policy, in the order of the --policy flags,
 *   {"policy", "param", "values": [...], "return": {"mean": [...], "std": [...]}, "forwardDistance": {"mean": [...]}}
 * and with --param2 NAME --values2 ... also "param2", "values2", and 2-D arrays indexed
 * [i][j] = (values[i], values2[j]). Progress (cell i of n, ETA) goes to stderr.
 * --plot FILE.svg: return mean against the value, one line per policy (legend: the policy file's
 * name); with --param2 a heatmap of the mean return, one panel per policy. PNG is not written.
 */
import { writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ENV_SPECS, isEnvId, makeEnv } from '../../physics/envs/registry';
import type { EnvConfig, EnvId } from '../../physics/envs/types';
import type { DRTerm } from '../../physics/randomization';
import { paramUnit } from '../../shared/dr-terms';
import { boolFlag, ensureWritableDir, flag, flagAll, intFlag, UsageError, type FlagTable, type ParsedArgs } from './args';
import { lineChartSvg } from './svg-chart';
import { heatmapSvg } from './svg-heatmap';
import { formatDuration } from './train';
import { loadPolicyArg } from './policy-arg';

export const SWEEP_USAGE =
  'adaptlab sweep --policy FILE [--policy FILE2 ...] --env ID --param NAME --values a,b,c [--param2 NAME --values2 a,b,c] [--episodes K] [--seed S] [--plot FILE.svg] [--json]';

export const SWEEP_FLAGS: FlagTable = {
  policy: { kind: 'string', repeat: true, hint: 'FILE', help: 'a policy file, or gait|random|zero (repeatable: several policies on the same episodes)' },
  env: { kind: 'string', values: () => Object.keys(ENV_SPECS), help: "physics env (default: the policy's own)" },
  param: { kind: 'string', hint: 'NAME', help: 'a physical parameter of the env, e.g. mass.torso (an unknown name lists them)' },
  values: { kind: 'number', list: true, hint: 'a,b,c', help: 'the values --param takes' },
  param2: { kind: 'string', hint: 'NAME', help: 'a second parameter: a 2-D sweep (a heatmap with --plot)' },
  values2: { kind: 'number', list: true, hint: 'a,b,c', help: 'the values --param2 takes' },
  episodes: { kind: 'int', min: 1, max: 10_000, help: 'episodes per value (default 10)' },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1, help: 'episode k resets with seed + k, for every value and policy (default 0)' },
  plot: { kind: 'string', hint: 'FILE.svg', help: 'write the chart (line chart; a heatmap with --param2)' },
  json: { kind: 'boolean', help: 'one JSON line per policy' },
};

/** The parameters an env lets a sweep set: its nominal physical parameters' keys, sorted. */
export async function sweepableParams(envId: EnvId): Promise<string[]> {
  const env = await makeEnv(envId);
  try {
    return Object.keys(env.nominalParams()).sort();
  } finally {
    env.dispose();
  }
}

/** Lower bounds of the physical range, by parameter family (`mass.torso` -> mass). */
const PHYSICAL: Record<string, { min: number; strict: boolean; what: string }> = {
  mass: { min: 0, strict: true, what: 'a mass' },
  payload_mass: { min: 0, strict: true, what: 'a mass' },
  cable_length: { min: 0, strict: true, what: 'a length' },
  friction: { min: 0, strict: false, what: 'a friction coefficient' },
  damping: { min: 0, strict: false, what: 'a damping' },
  armature: { min: 0, strict: false, what: 'an armature' },
  strength: { min: 0, strict: false, what: 'a motor strength' },
};

/** Why `value` is not a physical value of parameter `key`, or null when it is. */
export function physicalProblem(key: string, value: number): string | null {
  if (!Number.isFinite(value)) return `${key} = ${value} is not a finite number`;
  const r = PHYSICAL[key.split('.')[0]];
  if (!r) return null;
  const ok = r.strict ? value > r.min : value >= r.min;
  return ok ? null : `${key} = ${value} is outside the physical range (${r.what} must be ${r.strict ? '>' : '>='} ${r.min})`;
}

/** The DR term that pins parameter `key` to `value` in every episode (applied to the nominal). */
export function pinTerm(key: string, value: number): DRTerm {
  return { target: key, distribution: { kind: 'uniform', low: value, high: value }, operation: 'abs', mode: 'reset' };
}

export interface SweepLine {
  policy: string;
  param: string;
  values: number[];
  param2?: string;
  values2?: number[];
  return: { mean: number[] | number[][]; std: number[] | number[][] };
  forwardDistance: { mean: number[] | number[][] };
  episodes: number;
  seed: number;
}

function parseValues(args: ParsedArgs, name: string): number[] {
  const raw = flag(args, name);
  if (raw === undefined) return [];
  return raw.split(',').map(Number);
}

/** Legend names: each file's base name, or the path as given where two base names collide. */
function policyLabels(files: string[]): string[] {
  const names = files.map((f) => basename(f));
  return files.map((f, i) => (names.filter((n) => n === names[i]).length > 1 ? f : names[i]));
}

export async function sweepCommand(args: ParsedArgs): Promise<number> {
  const files = flagAll(args, 'policy');
  if (!files.length) throw new UsageError('give --policy FILE (repeatable)');
  const param = flag(args, 'param');
  if (!param) throw new UsageError('give --param NAME (e.g. mass.torso)');
  const values = parseValues(args, 'values');
  if (!values.length) throw new UsageError('give --values a,b,c');
  const param2 = flag(args, 'param2');
  const values2 = parseValues(args, 'values2');
  if (!param2 !== !values2.length) throw new UsageError('--param2 and --values2 go together');
  if (param2 && param2 === param) throw new UsageError(`--param2 ${param2} is --param already`);
  const episodes = intFlag(args, 'episodes', 10, 1, 10_000);
  const seed = intFlag(args, 'seed', 0, 0, 2 ** 31 - 1);
  const json = boolFlag(args, 'json');
  const plotFile = flag(args, 'plot');
  if (plotFile !== undefined) {
    if (/\.png$/i.test(plotFile)) throw new UsageError('--plot writes SVG only (FILE.svg); convert it for a PNG (e.g. `convert chart.svg chart.png`)');
    if (!/\.svg$/i.test(plotFile)) throw new UsageError(`--plot expects FILE.svg, got "${plotFile}"`);
    ensureWritableDir(resolve(plotFile, '..'), 'plot');
  }

  const { evaluatePolicy } = await import('../../meta/eval-policy');
  const policies = await Promise.all(files.map(loadPolicyArg));
  const learned = policies.filter((p) => typeof p !== 'string');
  const envId = flag(args, 'env') ?? learned[0]?.env;
  if (!envId) throw new UsageError('give --env ID (the scripted references have no env of their own)');
  if (!isEnvId(envId)) throw new UsageError(`--env ${envId}: a sweep runs on a physics env (${Object.keys(ENV_SPECS).join(', ')})`);

  // parameters and values: names from the env itself, values in their physical range
  const known = await sweepableParams(envId);
  for (const [f, name] of [['param', param], ['param2', param2]] as const) {
    if (name !== undefined && !known.includes(name)) throw new UsageError(`--${f} ${name}: ${envId} has no such parameter (it has: ${known.join(', ')})`);
  }
  for (const [f, name, vals] of [['values', param, values], ['values2', param2, values2]] as const) {
    if (!name) continue;
    for (const v of vals) {
      const problem = physicalProblem(name, v);
      if (problem) throw new UsageError(`--${f}: ${problem}`);
    }
  }

  const labels = policyLabels(files);
  const cells: [number, number | undefined][] = param2 ? values.flatMap((v) => values2.map((w) => [v, w] as [number, number])) : values.map((v) => [v, undefined]);
  const total = policies.length * cells.length;
  const started = Date.now();
  let done = 0;
  const lines: SweepLine[] = [];
  for (const [p, policy] of policies.entries()) {
    const mean: number[] = [];
    const std: number[] = [];
    const dist: number[] = [];
    for (const [v, w] of cells) {
      const randomize = [pinTerm(param, v), ...(param2 && w !== undefined ? [pinTerm(param2, w)] : [])];
      const envConfig: EnvConfig = { randomize };
      const r = await evaluatePolicy(policy, envId, { episodes, seed, envConfig });
      mean.push(r.return.mean);
      std.push(r.return.std);
      dist.push(r.forwardDistance.mean);
      done++;
      const elapsed = (Date.now() - started) / 1000;
      const at = `${param}=${v}${param2 ? ` ${param2}=${w}` : ''}`;
      console.error(
        `sweep: ${labels[p]} ${at} (value ${done} of ${total}): return ${r.return.mean.toFixed(1)} ± ${r.return.std.toFixed(1)}, forward ${r.forwardDistance.mean.toFixed(2)} m; ETA ${formatDuration((elapsed / done) * (total - done))}`,
      );
    }
    const grid = (xs: number[]) => (param2 ? values.map((_, i) => xs.slice(i * values2.length, (i + 1) * values2.length)) : xs);
    lines.push({
      policy: files[p],
      param,
      values,
      ...(param2 ? { param2, values2 } : {}),
      return: { mean: grid(mean), std: grid(std) },
      forwardDistance: { mean: grid(dist) },
      episodes,
      seed,
    });
  }

  if (json) for (const l of lines) console.log(JSON.stringify(l));
  else printTable(lines, labels);

  if (plotFile) {
    const unit = (k: string) => (paramUnit(k) ? ` (${paramUnit(k)})` : '');
    const title = `${envId}: mean return over ${episodes} episodes (seeds ${seed}..${seed + episodes - 1})`;
    const svg = param2
      ? heatmapSvg(
          lines.map((l, i) => ({ label: labels[i], grid: l.return.mean as number[][] })),
          // rows: values of --param (y), columns: values of --param2 (x)
          { title, xLabel: param2 + unit(param2), yLabel: param + unit(param), xValues: values2, yValues: values, valueLabel: 'return' },
        )
      : lineChartSvg(
          lines.map((l, i) => ({ label: labels[i], points: values.map((v, k) => [v, (l.return.mean as number[])[k]] as [number, number]) })),
          { title, xLabel: param + unit(param), yLabel: 'mean return', xRange: [Math.min(...values), Math.max(...values)], markers: true, legendAt: legendSide(values, lines) },
        );
    writeFileSync(plotFile, svg);
    console.error(`sweep: wrote ${plotFile}`);
  }
  return 0;
}

/** The legend goes in the top corner over the lower returns (a falling curve: the right). */
function legendSide(values: number[], lines: SweepLine[]): 'left' | 'right' {
  const lowest = values.indexOf(Math.min(...values));
  const highest = values.indexOf(Math.max(...values));
  const at = (k: number) => Math.max(...lines.map((l) => (l.return.mean as number[])[k]));
  return at(highest) < at(lowest) ? 'right' : 'left';
}

function printTable(lines: SweepLine[], labels: string[]): void {
  for (const [i, l] of lines.entries()) {
    console.log(`${labels[i]}: mean return by ${l.param}${l.param2 ? ` (rows) and ${l.param2} (columns)` : ''}`);
    if (!l.param2) {
      const mean = l.return.mean as number[];
      const std = l.return.std as number[];
      const dist = l.forwardDistance.mean as number[];
      l.values.forEach((v, k) => console.log(`  ${l.param}=${v}: return ${mean[k].toFixed(1)} ± ${std[k].toFixed(1)}, forward ${dist[k].toFixed(2)} m`));
    } else {
      console.log(`  ${''.padStart(10)}${l.values2!.map((w) => String(w).padStart(10)).join('')}`);
      (l.return.mean as number[][]).forEach((row, k) => console.log(`  ${String(l.values[k]).padStart(10)}${row.map((x) => x.toFixed(1).padStart(10)).join('')}`));
    }
  }
}
