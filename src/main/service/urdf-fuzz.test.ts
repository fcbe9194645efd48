/**
 * A small run of the URDF fuzzer (scripts/fuzz-urdf.ts runs thousands, each in a worker with a
 * 2 s limit): mutated project URDFs load and simulate with finite states, or fail with a
 * UrdfError that names file and element; nothing else.
 */
import { describe, expect, it } from 'vitest';
import { fuzzCase, fuzzPackagePath, fuzzSeeds, runFuzzCase, type FuzzOutcome } from './urdf-fuzz';

const ROOT = process.cwd();

describe('URDF fuzzing', () => {
  const seeds = fuzzSeeds(ROOT);

  it('finds the project URDFs and makes the same case from the same seed', () => {
    expect(seeds.some((s) => s.path.endsWith('ant.urdf'))).toBe(true);
    expect(seeds.some((s) => s.broken)).toBe(true);
    const a = fuzzCase(seeds, 5, 17), b = fuzzCase(seeds, 5, 17), c = fuzzCase(seeds, 5, 18);
    expect(a.xml).toBe(b.xml);
    expect(a.ops).toEqual(b.ops);
    expect(c.xml).not.toBe(a.xml);
  });

  it('200 cases (seed 1): no crash, no NaN, every error names file and element', { timeout: 120_000 }, async () => {
    const counts: Record<FuzzOutcome, number> = { ok: 0, error: 0, 'no-location': 0, crash: 0, nan: 0 };
    const bad: string[] = [];
    for (let i = 0; i < 200; i++) {
      const c = fuzzCase(seeds, 1, i);
      const r = await runFuzzCase(c.xml, c.seed.path, { packagePath: fuzzPackagePath(ROOT), steps: 5 });
      counts[r.outcome]++;
      if (r.outcome !== 'ok' && r.outcome !== 'error') bad.push(`case ${i} (${c.ops.join(', ')}): ${r.outcome} ${r.detail}`);
    }
    expect(bad).toEqual([]);
    expect(counts.ok).toBeGreaterThan(20);
    expect(counts.error).toBeGreaterThan(20);
  });
});
