/**
 * The command line refuses nonsense (issue 15, item 7): each bad call exits non-zero with exactly
 * one actionable line on stderr, before anything starts (no server, no worker, no training).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Run } from '../../meta/runs';
import { findTrainer, TRAINERS } from '../../meta/trainers/registry';
import { UsageError, type FlagTable } from './args';
import { main, parseCommandLine } from './index';
import { buildProgram } from './program';
import { captureConsole } from '../../../test/support/capture-console';

const capture = captureConsole;

afterEach(() => vi.restoreAllMocks());

const root = mkdtempSync(join(tmpdir(), 'adaptlab-cli-strict-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `adaptlab ...argv`; expects exit code 2 and one stderr line; returns that line. */
async function refused(argv: string[]): Promise<string> {
  const c = capture();
  const rc = await main(argv);
  vi.restoreAllMocks();
  const lines = c.err.join('\n').split('\n').filter((l) => l.trim());
  expect({ argv, rc, lines: lines.length }).toEqual({ argv, rc: 2, lines: 1 });
  expect(c.out).toEqual([]);
  return lines[0];
}

describe('adaptlab refuses bad input with one line and exit code 2', () => {
  it('start --shell foo', async () => {
    expect(await refused(['start', '--shell', 'foo'])).toMatch(/--shell expects one of electron, browser; got "foo"/);
  });

  it('train ppo --steps 10: below one PPO iteration, says the minimum', async () => {
    expect(await refused(['train', 'ppo', '--env', 'PointReach-v0', '--steps', '10', '--out', root])).toMatch(/--steps 10 is less than one ppo iteration \(2048 steps\); give --steps 2048 or more/);
    expect(await refused(['train', 'ppo', '--env', 'PointReach-v0', '--steps', '100', '--num-envs', '2', '--out', root])).toMatch(/give --steps 512 or more/);
  });

  it('train mb --steps -5', async () => {
    expect(await refused(['train', 'mb', '--env', 'Crawler-v0', '--steps', '-5'])).toMatch(/--steps expects an integer/);
    expect(await refused(['train', 'mb', '--env', 'Crawler-v0', '--steps', '0'])).toMatch(/--steps: 0 collects nothing/);
    expect(await refused(['train', 'mb', '--env', 'Crawler-v0', '--steps', '100', '--planner', 'magic:5'])).toMatch(/--planner: expects rs\|cem\|mppi/);
    expect(await refused(['train', 'grbal', '--env', 'Crawler-v0', '--stepz', '100'])).toMatch(/unknown flag --stepz \(known: --env, --steps, /);
  });

  it('eval-adapt --fault explode:3 / cripple:9', async () => {
    expect(await refused(['eval-adapt', '--fault', 'explode:3'])).toMatch(/--fault expects cripple:LEG with LEG 0-3/);
    expect(await refused(['eval-adapt', '--fault', 'cripple:9'])).toMatch(/--fault expects cripple:LEG/);
  });

  it('eval-adapt --preset ant-broken-leg refuses what the protocol fixes, and a break after the end', async () => {
    expect(await refused(['eval-adapt', '--preset', 'ant-broken-leg', '--planner', 'rs:500:10'])).toMatch(/--preset ant-broken-leg fixes the task, fault, seeds and planner; --planner is not part of it/);
    expect(await refused(['eval-adapt', '--preset', 'ant-broken-leg', '--at', '400'])).toMatch(/--at expects an integer in \[0, 399\]/);
  });

  it('eval-adapt --episodes -1', async () => {
    expect(await refused(['eval-adapt', '--episodes', '-1'])).toMatch(/--episodes expects an integer in \[1, 10000\], got "-1"/);
  });

  it('eval-adapt --methods magic lists the valid methods (no ENOENT of magic.json)', async () => {
    const line = await refused(['eval-adapt', '--methods', 'mb,magic']);
    expect(line).toMatch(/--methods expects a comma-separated list of grbal, rebal, mb, mbde, oracle, latent, mbhist, pid; got "magic"/);
    expect(line).not.toMatch(/ENOENT/);
  });

  it('unknown env ids list every registered env id', async () => {
    const ppo = await refused(['train', 'ppo', '--env', 'Nope-v0', '--out', root]);
    for (const id of ['PointReach-v0', 'Pendulum-v1', 'Ant-v0', 'Hopper-v0', 'QuadPayload-v0']) expect(ppo).toContain(id);
    const mb = await refused(['train', 'grbal', '--env', 'Nope-v0']);
    for (const id of ['Crawler-v0', 'Ant-v0']) expect(mb).toContain(id);
    const sim = await refused(['simulate', '--env', 'Nope-v0']);
    for (const id of ['Ant-v0', 'Hopper-v0', 'QuadPayload-v0']) expect(sim).toContain(id);
  });

  it('train ppo --out /proc/x fails at once instead of spinning', { timeout: 10_000 }, async () => {
    expect(await refused(['train', 'ppo', '--env', 'PointReach-v0', '--steps', '4096', '--out', '/proc/x'])).toMatch(/--out \/proc\/x: cannot create/);
    expect(await refused(['train', 'mb', '--env', 'Crawler-v0', '--steps', '100', '--out', '/proc/x/run'])).toMatch(/--out \/proc\/x\/run: cannot create/);
  });

  it('unknown flags, missing values, extra arguments and repeats, on every command', async () => {
    expect(await refused(['train', 'ppo', '--env', 'PointReach-v0', '--foo'])).toMatch(/unknown flag --foo \(known: --env, --steps, --seed, --out, --env-workers, --backend, --resume, --eval-every, --eval-episodes, --run-dir, --pair, --domain, --copy-to, --num-envs, --num-steps, /);
    expect(await refused(['train', 'ppo', '--env'])).toMatch(/--env needs a value/);
    expect(await refused(['train', 'ppo', '--env', 'PointReach-v0', '--seed', '1', '--seed', '2'])).toMatch(/--seed given more than once/);
    expect(await refused(['train', 'magic', '--env', 'PointReach-v0'])).toContain(`unknown "magic" as first argument (one of ${TRAINERS.map((t) => t.id).join(', ')})`);
    expect(await refused(['start', '--port', '70000'])).toMatch(/--port expects an integer in \[0, 65535\]/);
    expect(await refused(['simulate', '--env', 'Hopper-v0', '--polcy', 'zero'])).toMatch(/unknown flag --polcy/);
    expect(await refused(['simulate', '--env', 'Hopper-v0', '--hold', 'tight'])).toMatch(/--hold expects one of pd, limp/);
    expect(await refused(['inspect', 'a.urdf', '--jsn'])).toMatch(/unknown flag --jsn \(known: --package-path, --json\)/);
    expect(await refused(['runs', root, 'extra'])).toMatch(/unexpected argument/);
    expect(await refused(['eval', '--run', root, '--episodes', 'many'])).toMatch(/--episodes expects an integer/);
    expect(await refused(['record', '--scenario', 's.json', '--out', 'o.mp4', '--fps', '0'])).toMatch(/--fps expects an integer in \[1, 60\]/);
    expect(await refused(['version', '--verbose'])).toMatch(/unknown flag --verbose/);
    expect(await refused(['eval-adapt', '--json=maybe'])).toMatch(/--json is a switch/);
    expect(await refused(['nonsense'])).toMatch(/unknown command "nonsense" \(commands: start, /);
  });
});

describe('adaptlab train ppo --resume checks the run first', () => {
  const runDir = join(root, 'reach');
  Run.create(root, { algo: 'ppo', env: 'PointReach-v0', seed: 3, numEnvs: 4, totalSteps: 200_000, ppo: { numSteps: 32 } }, 'reach');
  Run.create(root, { algo: 'grbal', env: 'Crawler-v0', seed: 0, totalSteps: 100 }, 'crawler');

  it('with another env: fails at once naming both', async () => {
    const line = await refused(['train', 'ppo', '--env', 'Pendulum-v1', '--resume', runDir]);
    expect(line).toMatch(/--env Pendulum-v1 does not match the run's env PointReach-v0/);
  });

  it('with another algo, another seed, or no run folder: fails at once', async () => {
    expect(await refused(['train', 'ppo', '--resume', join(root, 'crawler')])).toMatch(/is a grbal run, not ppo/);
    expect(await refused(['train', 'ppo', '--resume', runDir, '--seed', '4'])).toMatch(/--seed 4 does not match the run's seed 3/);
    expect(await refused(['train', 'ppo', '--resume', join(root, 'missing')])).toMatch(/not a run folder/);
  });

  it('without --steps keeps the run\'s total; --steps changes it (at least one iteration)', async () => {
    const { trainSpec } = await import('./train');
    const ppoSpec = (argv: string[]) => trainSpec(findTrainer('ppo'), parseCommandLine(['train', 'ppo', ...argv])!.args);
    const keep = ppoSpec((['--resume', runDir]));
    expect(keep.spec).toMatchObject({ env: 'PointReach-v0', seed: 3, totalSteps: 200_000, runDir, resume: true });
    expect(ppoSpec((['--resume', runDir, '--steps', '256000'])).spec.totalSteps).toBe(256_000);
    expect(() => ppoSpec((['--resume', runDir, '--steps', '100']))).toThrow(/less than one ppo iteration \(128 steps\)/);
  });

  it('a fresh run trains whole iterations and says so (no "step 102400/100000 (102%)")', async () => {
    const { trainSpec } = await import('./train');
    const fresh = trainSpec(findTrainer('ppo'), parseCommandLine(['train', 'ppo', '--env', 'PointReach-v0', '--num-envs', '2', '--out', root])!.args);
    expect(fresh.spec.totalSteps).toBe(100_352);
    expect(fresh.notes).toEqual(['train: ppo trains whole iterations of 512 steps: 100000 steps run as 100352']);
  });
});

describe('the parser (commander, driven by the flag tables)', () => {
  const table: FlagTable = {
    n: { kind: 'int', min: 1, max: 9 },
    x: { kind: 'number' },
    mode: { kind: 'string', values: ['a', 'b'] },
    tags: { kind: 'string', list: true, values: ['p', 'q'] },
    on: { kind: 'boolean' },
    dir: { kind: 'string', repeat: true },
    norm: { kind: 'boolean', negatable: true },
  };
  const { parse } = buildProgram({ t: { summary: 'test', usage: 'adaptlab t', flags: table, maxPositional: 1, run: async () => 0 } });
  it('accepts what the table declares, in every spelling', () => {
    const a = parse(['t', '--n', '3', '--x=-1.5e-3', '--mode', 'b', '--tags', 'p,q', '--on', '--dir', 'a', '--dir=b', '--no-norm', 'pos'])!.args;
    expect(a.positional).toEqual(['pos']);
    expect(Object.fromEntries(a.flags)).toEqual({ n: ['3'], x: ['-1.5e-3'], mode: ['b'], tags: ['p,q'], on: ['true'], dir: ['a', 'b'], norm: ['false'] });
    expect(Object.fromEntries(parse(['t', '--norm'])!.args.flags)).toEqual({ norm: ['true'] });
  });
  it('refuses the rest with a UsageError', () => {
    for (const argv of [['--n', '0'], ['--n', '2.5'], ['--n', ''], ['--x', 'NaN'], ['--x', '1e999'], ['--mode', 'c'], ['--tags', 'p,r'], ['--on=yes'], ['--zzz'], ['--n'], ['--n', '--on'], ['--mode='], ['--n', '1', '--n', '2']])
      expect(() => parse(['t', ...argv]), argv.join(' ')).toThrow(UsageError);
    expect(() => parse(['t', 'a', 'b'])).toThrow(/unexpected argument/);
  });
});
