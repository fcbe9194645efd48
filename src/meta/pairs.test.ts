import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEnv } from '../physics/envs/registry';
import type { EnvConfig, EnvId } from '../physics/envs/types';
import { loadPair } from './pairs';

const root = mkdtempSync(join(tmpdir(), 'adaptlab-pairs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The observation after `steps` steps of one action from a seeded reset. */
async function after(id: EnvId, config: EnvConfig, action: Float32Array, steps: number): Promise<Float32Array> {
  const env = await makeEnv(id, config);
  try {
    env.reset({ seed: 5 });
    let obs: Float32Array = new Float32Array(0);
    for (let t = 0; t < steps; t++) obs = env.step(action).obs;
    return obs;
  } finally {
    env.dispose();
  }
}

describe('shipped pairs', () => {
  // action 2 is Ant's hip_1 and Hopper's foot_joint (their envs' action tables)
  for (const [file, id, broken, size] of [
    ['assets/pairs/broken-ant.json', 'Ant-v0', 2, 8],
    ['assets/pairs/broken-hopper.json', 'Hopper-v0', 2, 3],
  ] as const) {
    it(`${file}: the source is the nominal ${id}; in the target, action ${broken} moves nothing`, async () => {
      const pair = loadPair(file);
      expect([pair.source.env, pair.target.env]).toEqual([id, id]);
      expect(pair.source.config).toEqual({});
      const push = new Float32Array(size);
      push[broken] = 1;
      const zero = new Float32Array(size);
      const target = pair.target.config as EnvConfig;
      expect(Array.from(await after(id, target, push, 5))).toEqual(Array.from(await after(id, target, zero, 5)));
      expect(Array.from(await after(id, {}, push, 5))).not.toEqual(Array.from(await after(id, {}, zero, 5)));
    });
  }
});

describe('pair file errors say which file, which field, what was expected', () => {
  const write = (name: string, text: string) => {
    const f = join(root, name);
    writeFileSync(f, text);
    return f;
  };

  it('a missing file, a file that is not JSON', () => {
    expect(() => loadPair(join(root, 'nope.json'))).toThrow(/pair .*nope\.json: cannot read it \(ENOENT\)/);
    expect(() => loadPair(write('bad.json', '{"source": '))).toThrow(/pair .*bad\.json: not JSON/);
  });

  it('a wrong field names its path', () => {
    const f = write('factor.json', JSON.stringify({ source: { env: 'Ant-v0' }, target: { env: 'Ant-v0', config: { faults: [{ atStep: 0, fault: { kind: 'weakenMotor', joint: 'hip_1', factor: -1 } }] } } }));
    expect(() => loadPair(f)).toThrow(/factor\.json: target\.config\.faults\[0\]\.fault\.factor: /);
    const g = write('nosource.json', JSON.stringify({ target: { env: 'Ant-v0' } }));
    expect(() => loadPair(g)).toThrow(/nosource\.json: source: .*a pair is \{"source"/);
  });

  it('an unknown env lists the known ones', () => {
    const f = write('env.json', JSON.stringify({ source: { env: 'Ant-v0' }, target: { env: 'Ant-v9' } }));
    expect(() => loadPair(f)).toThrow(/env\.json: target\.env: unknown env "Ant-v9" \(one of .*Hopper-v0.*PointReach-v0/);
  });
});
