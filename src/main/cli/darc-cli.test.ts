/**
 * DARC on the command line: `train darc --pair FILE` takes its env from the pair, and
 * `eval --policy FILE --pair FILE --domain target|source` evaluates in one side of a pair.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { findTrainer } from '../../meta/trainers/registry';
import { main, parseCommandLine } from './index';
import { runCli } from '../../../test/support/capture-console';

afterEach(() => vi.restoreAllMocks());
const root = mkdtempSync(join(tmpdir(), 'adaptlab-darc-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(main, argv);

describe("the DARC baselines: adaptlab train <algo> --pair FILE --domain source|target", () => {
  const spec = async (argv: string[]) => (await import('./train')).trainSpec(findTrainer('sac'), parseCommandLine(['train', 'sac', ...argv])!.args).spec;

  it("trains in one domain: the pair's env and that domain's env config", async () => {
    const { loadPair } = await import('../../meta/pairs');
    const pair = loadPair('assets/pairs/broken-hopper.json');
    const t = await spec(['--pair', 'assets/pairs/broken-hopper.json', '--domain', 'target', '--out', root]);
    expect(t).toMatchObject({ algo: 'sac', env: 'Hopper-v0', envConfig: pair.target.config });
    const s = await spec(['--pair', 'assets/pairs/broken-hopper.json', '--domain', 'source', '--out', root]);
    expect(s.envConfig).toEqual(pair.source.config);
  });

  it('refuses half of it, another env, and --domain for DARC', async () => {
    expect((await run(['train', 'sac', '--pair', 'assets/pairs/broken-hopper.json', '--out', root])).err.join('\n')).toMatch(/--pair FILE and --domain source\|target go together/);
    expect((await run(['train', 'sac', '--pair', 'assets/pairs/broken-hopper.json', '--domain', 'target', '--env', 'Ant-v0', '--out', root])).err.join('\n')).toMatch(/the target of .* is Hopper-v0/);
    expect((await run(['train', 'darc', '--pair', 'assets/pairs/broken-hopper.json', '--domain', 'target', '--out', root])).err.join('\n')).toMatch(/darc trains across both domains/);
  });
});

describe('adaptlab train darc', () => {
  const spec = async (argv: string[]) => (await import('./train')).trainSpec(findTrainer('darc'), parseCommandLine(['train', 'darc', ...argv])!.args).spec;

  it('takes the env from --pair; its schema flags are in --help', async () => {
    const s = await spec(['--pair', 'assets/pairs/broken-ant.json', '--target-ratio', '5', '--out', root]);
    expect(s).toMatchObject({ algo: 'darc', env: 'Ant-v0', config: { pair: 'assets/pairs/broken-ant.json', targetRatio: 5 } });
    expect(s.envModule).toBeTruthy();
    const list = await run(['train', '--help']);
    expect(list.out.join('\n')).toMatch(/darc \[options\]\s+DARC: SAC in a source env/);
    const help = await run(['train', 'darc', '--help']);
    for (const f of ['--pair <VALUE>', '--target-ratio <N>', '--target-random-steps <N>', '--warmup-steps <N>', '--dr-scale <X>', '--classifier-hidden <N,N,...>', '--classifier-noise <X>'])
      expect(help.out.join('\n')).toContain(f);
  });

  it('refuses another --env than the pair\'s, a missing pair, and no pair, each in one line', async () => {
    const other = await run(['train', 'darc', '--pair', 'assets/pairs/broken-ant.json', '--env', 'Hopper-v0', '--out', root]);
    expect(other.rc).toBe(2);
    expect(other.err).toEqual([expect.stringMatching(/--env Hopper-v0: this darc config trains Ant-v0 \(leave --env out\)/)]);
    const missing = await run(['train', 'darc', '--pair', join(root, 'nope.json'), '--out', root]);
    expect(missing.err).toEqual([expect.stringMatching(/pair .*nope\.json: cannot read it \(ENOENT\); pairs ship in assets\/pairs\//)]);
    const none = await run(['train', 'darc', '--out', root]);
    expect(none.rc).toBe(2);
    expect(none.err).toEqual([expect.stringMatching(/--pair: /)]);
  });
});

describe('adaptlab eval --policy FILE --pair FILE --domain', () => {
  const policy = 'assets/policies/Hopper-v0/sac.json';
  const pair = 'assets/pairs/broken-hopper.json';
  const args = ['--episodes', '1', '--seed', '3', '--json'];

  it('in the source prints the same JSON line as eval --policy --env; in the target the policy does worse', async () => {
    const plain = await run(['eval', '--policy', policy, '--env', 'Hopper-v0', ...args]);
    const source = await run(['eval', '--policy', policy, '--pair', pair, '--domain', 'source', ...args]);
    const target = await run(['eval', '--policy', policy, '--pair', pair, ...args]); // --domain target is the default
    expect([plain.rc, source.rc, target.rc]).toEqual([0, 0, 0]);
    expect(source.out).toEqual(plain.out);
    expect(source.out).toHaveLength(1);
    const s = JSON.parse(source.out[0]);
    const t = JSON.parse(target.out[0]);
    expect(Object.keys(t)).toEqual(['return', 'forwardDistance', 'episodes']);
    expect(t.forwardDistance.mean).toBeLessThan(s.forwardDistance.mean);
  }, 60_000);

  it('refuses --domain without --pair, and --pair without --policy', async () => {
    expect((await run(['eval', '--policy', policy, '--env', 'Hopper-v0', '--domain', 'target'])).err).toEqual([expect.stringMatching(/--domain goes with --pair FILE/)]);
    expect((await run(['eval', '--run', root, '--pair', pair])).err).toEqual([expect.stringMatching(/--pair goes with --policy FILE/)]);
  });
});
