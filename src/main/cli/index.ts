/** The `adaptlab` command line: one entry, subcommands on the same service and libraries. */
import { ENV_SPECS } from '../../physics/envs/registry';
import { APP_VERSION } from '../service/workbench';
import { UsageError } from './args';
import { buildProgram, type CommandSpec } from './program';
import { record, RECORD_USAGE } from './record';
import { start } from './start';
import { inspect, INSPECT_USAGE } from './inspect';
import { simulateCommand, SIMULATE_USAGE } from './simulate';
import { TRAINERS } from '../../meta/trainers/registry';
import { BACKEND_FLAG } from './flags';
import { plot } from './plot';
import { sweepCommand, SWEEP_FLAGS, SWEEP_USAGE } from './sweep';
import { adaptSourceCommand, ADAPT_SOURCE_FLAGS, ADAPT_SOURCE_USAGE } from './adapt-source';
import { evaluate, runs, train, trainFlags } from './train';
import { EVAL_ADAPT_FLAGS, evalAdaptCommand, HEADROOM_FLAGS, headroomCommand, setPlannerCommand } from './model-based';

const JSON_FLAG = { kind: 'boolean', help: 'one JSON line' } as const;
const SEED = { kind: 'int', min: 0, max: 2 ** 31 - 1 } as const;
const physicsEnvIds = () => Object.keys(ENV_SPECS);

const COMMANDS: Record<string, CommandSpec> = {
  start: {
    summary: 'Open the workbench (Electron if installed, else the browser shell)',
    usage: 'adaptlab start [--shell electron|browser] [--port N] [--no-open] [--runs DIR]',
    flags: {
      shell: { kind: 'string', values: ['electron', 'browser'] },
      port: { kind: 'int', min: 0, max: 65535, help: '0: any free port' },
      'no-open': { kind: 'boolean', help: 'do not open a browser window' },
      runs: { kind: 'string', hint: 'DIR', help: 'runs folder (default ADAPTLAB_RUNS, then ./runs)' },
    },
    run: start,
  },
  inspect: {
    summary: 'Summarize a URDF file (links, joints, mass, meshes, warnings)',
    usage: INSPECT_USAGE,
    flags: {
      'package-path': { kind: 'string', repeat: true, hint: 'DIR', help: 'where package:// URIs resolve (repeatable)' },
      json: JSON_FLAG,
    },
    maxPositional: 1,
    run: inspect,
  },
  simulate: {
    summary: 'Simulate a URDF robot or an env headless; print a summary (with hasNaN)',
    usage: SIMULATE_USAGE,
    flags: {
      urdf: { kind: 'string', hint: 'FILE' },
      'package-path': { kind: 'string', repeat: true, hint: 'DIR' },
      seconds: { kind: 'number', min: 0, max: 3600 },
      hold: { kind: 'string', values: ['pd', 'limp'] },
      'fixed-base': { kind: 'boolean' },
      'floating-base': { kind: 'boolean' },
      env: { kind: 'string', values: physicsEnvIds },
      steps: { kind: 'int', min: 1, max: 10_000_000 },
      seed: SEED,
      policy: { kind: 'string', hint: 'random|zero|gait|POLICY.json', help: 'a scripted policy, or a learned policy file played deterministically' },
      json: JSON_FLAG,
    },
    maxPositional: 1,
    run: simulateCommand,
  },
  record: {
    summary: 'Record a scenario to MP4/WebM, frame by frame, with overlays (headless Chromium)',
    usage: RECORD_USAGE,
    flags: {
      scenario: { kind: 'string', hint: 'FILE' },
      out: { kind: 'string', hint: 'OUT.mp4|OUT.webm' },
      width: { kind: 'int', min: 16, max: 1920 },
      height: { kind: 'int', min: 16, max: 1080 },
      fps: { kind: 'int', min: 1, max: 60 },
      duration: { kind: 'number', min: 0, max: 600, help: 'seconds' },
    },
    run: record,
  },
  train: {
    summary: 'Train a policy (PPO, SAC, EPOpt, DARC) or meta-train a dynamics model (MB, GrBAL, ReBAL); the run goes to a folder',
    usage:
      'adaptlab train <algo> --env ID [--steps N] [--seed S] [--out DIR | --run-dir DIR] [algorithm options] | --resume RUN_DIR [--steps N]\n       adaptlab train darc --pair assets/pairs/NAME.json [--steps N] [--seed S] [algorithm options] (the pair fixes the env)',
    flags: {},
    variants: Object.fromEntries(TRAINERS.map((t) => [t.id, { summary: t.summary, flags: trainFlags(t) }])),
    maxPositional: 1,
    run: train,
  },
  plot: {
    summary: 'Plot a metric of runs (metrics.jsonl) against env steps, as an SVG',
    usage: 'adaptlab plot RUN_DIR... --out FILE.svg [--metric episodeReturn] [--smooth N] [--label L]... [--ref VALUE:LABEL]... [--title T]',
    flags: {
      out: { kind: 'string', hint: 'FILE.svg' },
      metric: { kind: 'string', hint: 'NAME', help: 'a metrics.jsonl column (default episodeReturn)' },
      smooth: { kind: 'int', min: 1, max: 1000, help: 'moving mean over N rows (default 1)' },
      label: { kind: 'string', repeat: true, hint: 'TEXT', help: "one per run, in order (default: algo, env, seed)" },
      ref: { kind: 'string', repeat: true, hint: 'VALUE:LABEL', help: 'a dashed horizontal line' },
      title: { kind: 'string', hint: 'TEXT' },
    },
    maxPositional: 64,
    run: plot,
  },
  'eval-adapt': {
    summary: 'Evaluate online adaptation: the ant after a fault (forward distance, prediction error), the quadrotor with an unseen payload (tracking error)',
    usage: 'adaptlab eval-adapt --env Ant-v0 --fault cripple:3 [--at STEP] --methods grbal,rebal,mb,mbde,oracle --episodes 5 --seed S [--json] | --env QuadPayload-v0 --reference figure8 --payload cable_length=L,payload_mass=M --methods latent,mb,mbhist,pid,oracle | --preset quad-payload | --preset ant-broken-leg [--at STEP] [--workers N]',
    flags: EVAL_ADAPT_FLAGS,
    run: evalAdaptCommand,
  },
  headroom: {
    summary: 'How much adapting on the last M transitions can lower the model error on the next K (JSON)',
    usage: 'adaptlab headroom --env Ant-v0 --methods mb,grbal,rebal [--faults test|train] [--checkpoint-dir DIR] [--seed S]',
    flags: HEADROOM_FLAGS,
    run: headroomCommand,
  },
  'set-planner': {
    summary: "Set the MPC planner a model's controller uses by default",
    usage: 'adaptlab set-planner MODEL.json rs|cem|mppi[:CANDIDATES[:HORIZON]]',
    flags: { backend: BACKEND_FLAG },
    maxPositional: 2,
    run: setPlannerCommand,
  },
  runs: {
    summary: 'List training runs in a folder (default ./runs)',
    usage: 'adaptlab runs [DIR] [--json]',
    flags: { json: JSON_FLAG },
    maxPositional: 1,
    run: runs,
  },
  eval: {
    summary: "Evaluate a run's latest checkpoint, or a policy file on an env: mean and std of the return (and forward distance)",
    usage:
      'adaptlab eval --run DIR [--episodes K] [--seed S] [--json]\n       adaptlab eval --policy FILE --env ID [--episodes K] [--seed S] [--json]\n       adaptlab eval --policy FILE --pair assets/pairs/NAME.json --domain target|source [--episodes K] [--seed S] [--json]',
    flags: {
      run: { kind: 'string', hint: 'DIR' },
      policy: { kind: 'string', hint: 'FILE', help: 'a policy file (assets/policies/..., or a run\'s policy.json), or a scripted reference: gait, random, zero' },
      env: { kind: 'string', values: () => Object.keys(ENV_SPECS), help: 'physics env to evaluate the policy on (with --policy)' },
      pair: { kind: 'string', hint: 'FILE', help: "a source/target pair (assets/pairs/*.json): evaluate in one of its domains, its env and config (with --policy)" },
      domain: { kind: 'string', values: ['target', 'source'], help: 'the side of --pair to evaluate in (default target)' },
      episodes: { kind: 'int', min: 1, max: 10_000 },
      seed: SEED,
      backend: BACKEND_FLAG,
      json: JSON_FLAG,
    },
    run: evaluate,
  },
  sweep: {
    summary: 'Robustness curve: evaluate policies across values of a physical parameter (or two: a heatmap); JSON and SVG',
    usage: SWEEP_USAGE,
    flags: SWEEP_FLAGS,
    run: sweepCommand,
  },
  'adapt-source': {
    summary: "EPOpt's source adaptation: update the DR distribution from a few episodes on a hidden target (posterior as DR terms)",
    usage: ADAPT_SOURCE_USAGE,
    flags: ADAPT_SOURCE_FLAGS,
    run: adaptSourceCommand,
  },
  version: {
    summary: 'Print the version',
    usage: 'adaptlab version',
    flags: {},
    run: async () => {
      console.log(`adaptlab ${APP_VERSION} (node ${process.versions.node})`);
      return 0;
    },
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'AdaptLab: sim-to-real transfer and meta-RL workbench',
    '',
    'Usage: adaptlab <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`),
    '',
    'Run "adaptlab <command> --help" for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  if (name === '--version' || name === '-v') return COMMANDS.version.run({ positional: [], flags: new Map() });
  const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    console.error(`adaptlab: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see adaptlab --help)`);
    return 2;
  }
  try {
    const parsed = buildProgram(COMMANDS).parse(argv);
    if (!parsed) return 0; // help was asked for and shown
    return await cmd.run(parsed.args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`adaptlab ${name}: ${err.message} (see adaptlab ${name} --help)`);
      return 2;
    }
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`adaptlab ${name}: ${msg}`);
    return 1;
  }
}

/** Parses argv as the CLI does, without running the command (tests; a UsageError if it does not fit). */
export function parseCommandLine(argv: string[]) {
  return buildProgram(COMMANDS).parse(argv);
}
