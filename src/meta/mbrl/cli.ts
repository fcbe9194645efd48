/**
 * Command-line entry of model-based meta-RL, for the project's CLI to delegate to (and runnable on
 * its own: `npx tsx src/meta/mbrl/cli.ts ...`):
 *
 *   train <grbal|rebal|mb> --env Ant-v0 --steps N --seed S --out DIR [--preset demo|paper]
 *         [--data RUN/data.json] [--init-from CKPT] [--grad-steps N] [--iterations N] [--hidden 128,128]
 *         [--inner-lr X] [--learn-inner-lr] [--first-order] [--meta-batch N] [--outer-lr X]
 *         [--past M] [--future K]  (transitions adapted on / predicted after; paper 16, 16)
 *         [--episode-steps N] [--planner mppi:128:8] [--recurrent gru:64] [--copy-to FILE]
 *         [--oracle]  (train on the held-out fault: the oracle baseline, evaluated as method 'oracle')
 *         [--heading-frame]  (model the dynamics in the torso's heading frame, frame.ts; default: world frame)
 *   eval-adapt --env Ant-v0 --fault cripple:3 [--at STEP] --methods grbal,rebal,mb,mbde
 *         --episodes 5 --seed S [--steps 1000] [--checkpoint-dir DIR] [--planner mppi:128:8] [--no-adapt] [--json]
 *   set-planner CHECKPOINT rs:500:10   (the planner a checkpoint's controller uses by default)
 *   headroom --env Ant-v0 --methods mb,grbal,rebal [--faults test|train] [--checkpoint-dir DIR] [--seed S]
 *         (how much adapting on the last M transitions can lower the error on the next K; JSON)
 *
 * Flags are checked against MBRL_FLAGS by the project's one strict parser (src/shared/cli-flags.ts):
 * an unknown flag, a missing value, a bad method, fault or number is a UsageError (one line, exit 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BACKEND_FLAG, boolFlag, checkFlagValue, flag, numFlag, parseArgs, UsageError, type FlagSpec, type FlagTable, type ParsedArgs } from '../../shared/cli-flags.js';
import { initBackend } from '../backend.js';
import { makeDirs, writableDirProblem } from '../runs.js';
import { DEMO_CONFIG, PAPER_CONFIG } from './configs.js';
import { defaultCheckpointPath, evalAdaptDetailed, type EvalMethod } from './eval.js';
import { adaptationHeadroom } from './headroom.js';
import type { PlannerConfig, PlannerKind } from './planner.js';
import { trainModelBasedMeta, type TrainMbConfig } from './train.js';
import type { MbMethod } from './algos.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import './ant.js';
import { mbTaskIds, resolveTask } from './envs.js';
import type { MbTaskSpec } from './types.js';

/** Methods eval-adapt and headroom know ('mbde' runs the MB model with dynamic evaluation; 'oracle' an MB model trained on the test fault). */
export const EVAL_METHODS: readonly EvalMethod[] = ['grbal', 'rebal', 'mb', 'mbde', 'oracle'];
/** Legs a `--fault cripple:LEG` may name: both task families (Ant-v0, Crawler-v0) have four. */
const LEGS = 4;

const planKinds: readonly PlannerKind[] = ['rs', 'cem', 'mppi'];
const PLANNER: FlagSpec = { kind: 'string', pattern: /^(rs|cem|mppi)(:[1-9]\d{0,5}(:[1-9]\d{0,3})?)?$/, hint: `${planKinds.join('|')}[:CANDIDATES[:HORIZON]] (e.g. mppi:128:8)` };
const ENV: FlagSpec = { kind: 'string', values: () => mbTaskIds(), help: 'task family' };
const SEED: FlagSpec = { kind: 'int', min: 0, max: 2 ** 31 - 1 };
const FILE = (hint: string): FlagSpec => ({ kind: 'string', hint });

/**
 * Flags of each subcommand (data; the host CLI's `adaptlab train grbal|rebal|mb`, `eval-adapt`
 * reach these through raw argv delegation and are checked here, by the same parser).
 */
export const MBRL_FLAGS: Readonly<Record<'train' | 'eval-adapt' | 'headroom' | 'set-planner', FlagTable>> = {
  train: {
    env: ENV,
    steps: { kind: 'int', min: 0, max: 1e9, help: 'env steps of data to collect (0 only with --data)' },
    seed: SEED,
    out: FILE('DIR'),
    preset: { kind: 'string', values: ['demo', 'paper'] },
    data: FILE('RUN/data.json'),
    'init-from': FILE('CHECKPOINT'),
    'grad-steps': { kind: 'int', min: 1, max: 1e7 },
    iterations: { kind: 'int', min: 0, max: 1e4 },
    hidden: { kind: 'int', list: true, min: 1, max: 4096, hint: 'N,N,...' },
    'inner-lr': { kind: 'number', min: 0 },
    'learn-inner-lr': { kind: 'boolean' },
    'fixed-inner-lr': { kind: 'boolean' },
    'first-order': { kind: 'boolean' },
    'meta-batch': { kind: 'int', min: 1, max: 1e5 },
    'outer-lr': { kind: 'number', min: 0 },
    past: { kind: 'int', min: 1, max: 1e5 },
    future: { kind: 'int', min: 1, max: 1e5 },
    'episode-steps': { kind: 'int', min: 1, max: 1e6 },
    planner: PLANNER,
    recurrent: { kind: 'string', pattern: /^(gru|lstm)(:[1-9]\d{0,4})?$/, hint: 'gru|lstm[:HIDDEN] (e.g. gru:64)' },
    'copy-to': FILE('FILE'),
    oracle: { kind: 'boolean' },
    'heading-frame': { kind: 'boolean' },
    backend: BACKEND_FLAG,
  },
  'eval-adapt': {
    env: ENV,
    fault: { kind: 'string', pattern: new RegExp(`^cripple:[0-${LEGS - 1}]$`), hint: `cripple:LEG with LEG 0-${LEGS - 1} (e.g. cripple:3)` },
    at: { kind: 'int', min: 0, max: 1e7 },
    methods: { kind: 'string', list: true, values: EVAL_METHODS },
    episodes: { kind: 'int', min: 1, max: 10_000 },
    seed: SEED,
    steps: { kind: 'int', min: 1, max: 1e7 },
    'checkpoint-dir': FILE('DIR'),
    planner: PLANNER,
    'no-adapt': { kind: 'boolean' },
    json: { kind: 'boolean', help: 'the output is always one JSON line' },
    detailed: { kind: 'boolean' },
    backend: BACKEND_FLAG,
  },
  headroom: {
    env: ENV,
    methods: { kind: 'string', list: true, values: EVAL_METHODS },
    faults: { kind: 'string', values: ['test', 'train'] },
    'checkpoint-dir': FILE('DIR'),
    seed: SEED,
    backend: BACKEND_FLAG,
  },
  'set-planner': { backend: BACKEND_FLAG },
};

const SUBCOMMANDS = Object.keys(MBRL_FLAGS) as (keyof typeof MBRL_FLAGS)[];

const num = (a: ParsedArgs, k: string): number | undefined => numFlag(a, k);

function planner(v: string | undefined): Partial<PlannerConfig> | undefined {
  if (v === undefined) return undefined;
  const [kind, c, h] = v.split(':');
  return { kind: kind as PlannerKind, ...(c ? { candidates: Number(c) } : {}), ...(h ? { horizon: Number(h) } : {}) };
}

/** Checkpoint files the methods read; a missing one is named with how to make it, not as ENOENT. */
function checkCheckpoints(envId: string, methods: EvalMethod[], dir: string | undefined): void {
  for (const m of methods) {
    const file = defaultCheckpointPath(envId, m, dir ? path.resolve(dir) : undefined);
    if (!fs.existsSync(file))
      throw new Error(`no ${m} checkpoint for ${envId} at ${file} (train one: adaptlab train ${m === 'mbde' || m === 'oracle' ? 'mb' : m} --env ${envId}${m === 'oracle' ? ' --oracle' : ''} ... --copy-to ${file})`);
  }
}

function oracleSpec(id: string): MbTaskSpec {
  const spec = resolveTask(id);
  return { ...spec, trainFaults: [spec.testFault] };
}

export async function main(argv: string[]): Promise<void> {
  const cmd = argv[0] as (typeof SUBCOMMANDS)[number];
  if (!SUBCOMMANDS.includes(cmd)) throw new UsageError(`unknown command "${argv[0] ?? ''}" (available: ${SUBCOMMANDS.join(', ')})`);
  const maxPositional = cmd === 'train' ? 2 : cmd === 'set-planner' ? 3 : 1;
  const a = parseArgs(argv, MBRL_FLAGS[cmd], { maxPositional });
  const pos = a.positional;
  const f = (k: string): string | undefined => flag(a, k);
  const on = (k: string): boolean => boolFlag(a, k);
  if (cmd === 'train') {
    const method = pos[1] as MbMethod;
    if (!['grbal', 'rebal', 'mb'].includes(method)) throw new UsageError(`train expects grbal, rebal or mb, got "${pos[1] ?? ''}"`);
    if (num(a, 'steps') === 0 && f('data') === undefined) throw new UsageError('--steps 0 collects nothing: give --steps 1 or more, or --data RUN/data.json to train on earlier data');
    const envId = f('env') ?? 'Ant-v0';
    const preset = f('preset') === 'paper' ? PAPER_CONFIG : DEMO_CONFIG;
    const out = f('out') ?? path.join('runs', `${method}-${envId}-s${f('seed') ?? 0}`);
    const outProblem = writableDirProblem(path.dirname(path.resolve(out)));
    if (outProblem) throw new UsageError(`--out ${out}: ${outProblem}`);
    for (const k of ['data', 'init-from'] as const) {
      const file = f(k);
      if (file !== undefined && !fs.existsSync(file)) throw new UsageError(`--${k} ${file}: no such file`);
    }
    await initBackend(f('backend'));
    const cfg: TrainMbConfig = {
      ...preset,
      method,
      // --oracle: train on the held-out fault itself (the oracle baseline; evaluate as method 'oracle')
      env: on('oracle') ? oracleSpec(envId) : envId,
      steps: num(a, 'steps') ?? 20000,
      seed: num(a, 'seed') ?? 0,
      outDir: out,
      ...(f('hidden') !== undefined ? { hidden: f('hidden')!.split(',').map(Number) } : {}),
      ...(num(a, 'inner-lr') !== undefined ? { innerLr: num(a, 'inner-lr') } : {}),
      ...(on('learn-inner-lr') ? { learnInnerLr: true } : {}),
      ...(on('fixed-inner-lr') ? { learnInnerLr: false } : {}),
      ...(on('first-order') ? { firstOrder: true } : {}),
      ...(on('heading-frame') ? { headingFrame: true } : {}),
      ...(num(a, 'meta-batch') !== undefined ? { metaBatch: num(a, 'meta-batch') } : {}),
      ...(num(a, 'outer-lr') !== undefined ? { outerLr: num(a, 'outer-lr') } : {}),
      ...(num(a, 'grad-steps') !== undefined ? { gradSteps: num(a, 'grad-steps') } : {}),
      ...(num(a, 'past') !== undefined ? { M: num(a, 'past') } : {}),
      ...(num(a, 'future') !== undefined ? { K: num(a, 'future') } : {}),
      ...(num(a, 'iterations') !== undefined ? { iterations: num(a, 'iterations') } : {}),
      ...(num(a, 'episode-steps') !== undefined ? { episodeSteps: num(a, 'episode-steps') } : {}),
      ...(f('data') !== undefined ? { initialData: f('data') } : {}),
      ...(f('init-from') !== undefined ? { initFrom: f('init-from') } : {}),
      ...(f('recurrent') !== undefined ? { recurrent: { cell: f('recurrent')!.split(':')[0] as 'gru' | 'lstm', hidden: Number(f('recurrent')!.split(':')[1] ?? 64) } } : {}),
      command: argv.join(' '),
    };
    const p = planner(f('planner'));
    if (p) cfg.planner = { ...preset.planner, ...p };
    let last = 0;
    const res = await trainModelBasedMeta(cfg, (pr) => {
      const t = Date.now();
      if (t - last > 5000 || pr.phase === 'done') {
        last = t;
        console.error(JSON.stringify(pr));
      }
    });
    const copyTo = f('copy-to');
    if (copyTo !== undefined) {
      makeDirs(path.dirname(path.resolve(copyTo)));
      fs.copyFileSync(res.checkpointPath, copyTo);
    }
    console.log(JSON.stringify({ runDir: res.runDir, checkpoint: res.checkpointPath, final: res.final }));
  } else if (cmd === 'eval-adapt') {
    const fault = f('fault') ?? 'cripple:3';
    const leg = Number(fault.split(':')[1]);
    const envId = f('env') ?? 'Ant-v0';
    const methods = (f('methods') ?? 'grbal,rebal,mb,mbde').split(',') as EvalMethod[];
    checkCheckpoints(envId, methods, f('checkpoint-dir'));
    await initBackend(f('backend'));
    const res = await evalAdaptDetailed({
      env: envId,
      fault: { kind: 'cripple', leg, shrink: true },
      at: num(a, 'at'),
      methods,
      episodes: num(a, 'episodes') ?? 5,
      seed: num(a, 'seed') ?? 0,
      steps: num(a, 'steps'),
      checkpointDir: f('checkpoint-dir'),
      planner: planner(f('planner')),
      ...(on('no-adapt') ? { adapt: false } : {}),
      onEpisode: (r) => console.error(JSON.stringify(r)),
    });
    if (on('detailed')) console.log(JSON.stringify(res));
    else console.log(JSON.stringify({ methods: res.methods }));
  } else if (cmd === 'set-planner') {
    // set-planner <checkpoint.json> <kind:candidates:horizon>: the controller's default planner
    const file = pos[1];
    if (!file || pos[2] === undefined) throw new UsageError('set-planner <checkpoint.json> <rs|cem|mppi:candidates:horizon>');
    checkFlagValue('planner', PLANNER, pos[2]);
    const p = planner(pos[2]);
    await initBackend(f('backend'));
    const ck = loadCheckpoint(file);
    ck.planner = { ...ck.planner, ...p } as PlannerConfig;
    saveCheckpoint(file, ck);
    console.log(JSON.stringify({ file, planner: ck.planner }));
  } else if (cmd === 'headroom') {
    const spec = resolveTask(f('env') ?? 'Ant-v0');
    const faults = f('faults') === 'train' ? spec.trainFaults : [spec.testFault];
    const methods = (f('methods') ?? 'mb,grbal,rebal').split(',') as EvalMethod[];
    checkCheckpoints(spec.id, methods, f('checkpoint-dir'));
    await initBackend(f('backend'));
    const out: Record<string, unknown> = {};
    for (const m of methods) {
      const dir = f('checkpoint-dir');
      const checkpoint = defaultCheckpointPath(spec.id, m, dir !== undefined ? path.resolve(dir) : undefined);
      out[m] = await adaptationHeadroom({ spec, checkpoint, faults, seed: num(a, 'seed') ?? 0 });
    }
    console.log(JSON.stringify({ env: spec.id, faults: f('faults') === 'train' ? 'train' : 'test', methods: out }));
  }
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  main(process.argv.slice(2)).catch((e) => {
    if (e instanceof UsageError) {
      console.error(`cli.ts: ${e.message}`);
      process.exit(2);
    }
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
