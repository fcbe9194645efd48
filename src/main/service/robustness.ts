/**
 * Shipped robustness curves: assets/sweeps/<env>-<param>.jsonl, the `adaptlab sweep --json`
 * output of the env's shipped policies (the README's command). A population scene draws the
 * curve of the policy it plays beside its robots' live returns. Lines of policies that are not
 * shipped, of 2-D sweeps, or that do not parse are left out (the view then shows no curve).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RobustnessCurve } from '../../shared/snapshot';
import { assetsDir } from './scenarios';
import { listPolicies } from './policies';

const isNumbers = (x: unknown): x is number[] => Array.isArray(x) && x.every((v) => typeof v === 'number');

export function robustnessCurves(envId: string): RobustnessCurve[] {
  const dir = join(assetsDir(), 'sweeps');
  if (!existsSync(dir)) return [];
  const shipped = new Set(listPolicies(envId).map((p) => p.id));
  const out: RobustnessCurve[] = [];
  for (const f of readdirSync(dir).filter((f) => f.startsWith(`${envId}-`) && f.endsWith('.jsonl')).sort())
    for (const text of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!text.trim()) continue;
      let l: { policy?: unknown; param?: unknown; param2?: unknown; values?: unknown; return?: { mean?: unknown; std?: unknown }; episodes?: unknown };
      try {
        l = JSON.parse(text) as typeof l;
      } catch {
        continue;
      }
      const id = typeof l.policy === 'string' ? basename(l.policy).replace(/\.json$/, '') : '';
      if (!shipped.has(id) || typeof l.param !== 'string' || l.param2 !== undefined || !isNumbers(l.values) || !isNumbers(l.return?.mean) || !isNumbers(l.return?.std)) continue;
      out.push({ policy: id, param: l.param, values: l.values, mean: l.return.mean, std: l.return.std, episodes: typeof l.episodes === 'number' ? l.episodes : 0 });
    }
  return out;
}
