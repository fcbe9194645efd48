import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('layer rules (DESIGN.md) are enforced by lint', () => {
  it('refuses electron in src/physics and src/meta', async () => {
    expect(await ruleIds('src/physics/bad.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/meta/bad.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
  });
  it('refuses tfjs in physics, DOM globals and Math.random in simulation', async () => {
    expect(await ruleIds('src/physics/bad.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/physics/bad.ts', 'export const w = window.innerWidth;\n')).toContain('no-restricted-globals');
    expect(await ruleIds('src/physics/bad.ts', 'export const r = Math.random();\n')).toContain('no-restricted-properties');
  });
  it('keeps the renderer on the contract: no transports, no Node, no simulation', async () => {
    expect(await ruleIds('src/renderer/src/components/X.ts', "import { connectWebSocket } from '../bridge/ws-client';\nexport const c = connectWebSocket;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/renderer/src/components/X.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/renderer/src/components/X.ts', "import { makeEnv } from '../../../physics/envs/registry';\nexport const m = makeEnv;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/renderer/src/components/X.ts', "export const s = new WebSocket('ws://x');\n")).toContain('no-restricted-globals');
  });
  it('keeps Electron out of the service and channel names in src/shared', async () => {
    expect(await ruleIds('src/main/service/bad.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('no-restricted-imports');
    expect(await ruleIds('src/main/electron/ok.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
    expect(await ruleIds('src/main/service/bad.ts', "export const c = 'adaptlab:invoke';\n")).toContain('no-restricted-syntax');
    expect(await ruleIds('src/shared/channels.ts', "export const c = 'adaptlab:invoke';\n")).toEqual([]);
  });
});
