/**
 * Task families model-based meta-RL knows by id. Crawler-v0 (pure TS) is built in; the physics
 * package's Ant-v0 is registered by ./ant.ts when it is imported (see index.ts).
 */
import { crawlerTaskSpec } from './crawler.js';
import type { MbTaskSpec } from './types.js';

const registry = new Map<string, () => MbTaskSpec>([['Crawler-v0', () => crawlerTaskSpec()]]);

export function registerMbTask(id: string, factory: () => MbTaskSpec): void {
  registry.set(id, factory);
}

export function mbTaskIds(): string[] {
  return [...registry.keys()];
}

export function resolveTask(env: MbTaskSpec | string): MbTaskSpec {
  if (typeof env !== 'string') return env;
  const f = registry.get(env);
  if (!f) throw new Error(`unknown model-based task '${env}' (known: ${mbTaskIds().join(', ')})`);
  return f();
}
