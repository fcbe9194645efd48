/** The `adaptlab` command line: one entry, subcommands on the same service and libraries. */
import { APP_VERSION } from '../service/workbench';
import { parseArgs, UsageError, type ParsedArgs } from './args';
import { record, RECORD_USAGE } from './record';
import { start } from './start';
import { inspect, INSPECT_USAGE } from './inspect';
import { simulateCommand, SIMULATE_USAGE } from './simulate';
import { delegateToMbrl, evaluate, runs, train } from './train';

interface Command {
  summary: string;
  usage: string;
  booleans?: string[];
  run(args: ParsedArgs, raw: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  start: {
    summary: 'Open the workbench (Electron if installed, else the browser shell)',
    usage: 'adaptlab start [--shell electron|browser] [--port N] [--no-open] [--runs DIR]',
    booleans: ['no-open'],
    run: start,
  },
  inspect: {
    summary: 'Summarize a URDF file (links, joints, mass, meshes, warnings)',
    usage: INSPECT_USAGE,
    booleans: ['json'],
    run: inspect,
  },
  simulate: {
    summary: 'Simulate a URDF robot or an env headless; print a summary (with hasNaN)',
    usage: SIMULATE_USAGE,
    booleans: ['json', 'fixed-base', 'floating-base'],
    run: simulateCommand,
  },
  record: {
    summary: 'Record a scenario to MP4/WebM, frame by frame, with overlays (headless Chromium)',
    usage: RECORD_USAGE,
    run: record,
  },
  train: {
    summary: 'Train PPO, or meta-train a dynamics model (GrBAL, ReBAL, MB); the run goes to a folder',
    usage:
      'adaptlab train ppo --env Hopper-v0 [--steps N] [--seed S] [--out DIR] [--num-envs N] [--backend B] [--resume RUN_DIR]\n' +
      '       adaptlab train grbal|rebal|mb --env Ant-v0 --steps N --seed S --out DIR [--preset demo|paper] [--copy-to FILE] ...',
    run: train,
  },
  'eval-adapt': {
    summary: 'Evaluate online adaptation after a fault: forward distance and prediction error per method',
    usage: 'adaptlab eval-adapt --env Ant-v0 --fault cripple:3 [--at STEP] --methods grbal,rebal,mb,mbde --episodes 5 --seed S [--json]',
    run: (_args, raw) => delegateToMbrl(['eval-adapt', ...raw]),
  },
  runs: {
    summary: 'List training runs in a folder (default ./runs)',
    usage: 'adaptlab runs [DIR] [--json]',
    booleans: ['json'],
    run: runs,
  },
  eval: {
    summary: "Evaluate a run's latest checkpoint: mean and std of the return",
    usage: 'adaptlab eval --run DIR [--episodes K] [--seed S] [--json]',
    booleans: ['json'],
    run: evaluate,
  },
  version: {
    summary: 'Print the version',
    usage: 'adaptlab version',
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

export function registerCommand(name: string, command: Command): void {
  COMMANDS[name] = command;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  if (name === '--version' || name === '-v') return COMMANDS.version.run(parseArgs([]), []);
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`adaptlab: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${cmd.summary}\n\nUsage: ${cmd.usage}`);
    return 0;
  }
  try {
    return await cmd.run(parseArgs(rest, cmd.booleans), rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`adaptlab ${name}: ${err.message}\nUsage: ${cmd.usage}`);
      return 2;
    }
    console.error(`adaptlab ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
