/** Loads recording scenarios (assets/scenarios/*.json) and says what keeps each from recording. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioEntry, SceneInfo } from '../../shared/contract';
import { parseScenario, scenarioProblems, type Scenario } from '../../shared/scenario';

/** The assets folder: $ADAPTLAB_ASSETS, else the nearest `assets` above this module (sources or build). */
export function assetsDir(): string {
  if (process.env.ADAPTLAB_ASSETS) return resolve(process.env.ADAPTLAB_ASSETS);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'assets');
    if (existsSync(join(candidate, 'scenarios'))) return candidate;
    dir = dirname(dir);
  }
  return resolve('assets');
}

export function scenariosDir(): string {
  return join(assetsDir(), 'scenarios');
}

/** Reads and validates one scenario file; errors name the file and the field. */
export function loadScenarioFile(path: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read scenario ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseScenario(raw, path);
}

export function listScenarios(scenes: readonly SceneInfo[], dir = scenariosDir()): ScenarioEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      try {
        const scenario = loadScenarioFile(join(dir, file));
        return { file, scenario, problems: scenarioProblems(scenario, scenes) };
      } catch (err) {
        return { file, scenario: null, problems: [err instanceof Error ? err.message : String(err)] };
      }
    });
}
