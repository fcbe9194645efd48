/**
 * The command line on commander: each command's flag table (./flags.ts) becomes commander options
 * whose values checkFlagValue checks as they are parsed, `train` gets one subcommand per trainer of
 * the registry (its options generated from the trainer's schema), and commander's errors become
 * the one-line UsageErrors the CLI prints. Handlers receive ParsedArgs: the flags given, by name.
 */
import { Command as Commander, CommanderError, Option } from 'commander';
import { allowed, checkFlagValue, UsageError, type FlagSpec, type FlagTable, type ParsedArgs } from './flags';

/** A command as the CLI declares it: its flags, its positional arguments, its handler. */
export interface CommandSpec {
  summary: string;
  usage: string;
  flags: FlagTable;
  /** Subcommands chosen by the first argument (`train ppo`), each with its own table and summary. */
  variants?: Record<string, { summary: string; flags: FlagTable }>;
  /** Most positional arguments (default 0; a variant's name does not count). */
  maxPositional?: number;
  run(args: ParsedArgs): Promise<number>;
}

/** What a parse selected: the command (and variant) and its arguments. */
export interface Parsed {
  name: string;
  args: ParsedArgs;
}

function valueName(s: FlagSpec): string {
  const vals = allowed(s);
  if (s.hint) return s.hint;
  if (vals && vals.length <= 6) return vals.join('|');
  return s.kind === 'string' ? 'VALUE' : s.kind === 'int' ? 'N' : 'X';
}

/** Adds a table's flags to a commander command; returns how to read them back by flag name. */
function addFlags(cmd: Commander, table: FlagTable): Map<string, { name: string; spec: FlagSpec; negative: boolean }> {
  const byAttribute = new Map<string, { name: string; spec: FlagSpec; negative: boolean }>();
  for (const [name, spec] of Object.entries(table)) {
    if (spec.kind === 'boolean') {
      const o = new Option(`--${name}`, spec.help ?? '');
      cmd.addOption(o);
      // a declared "--no-x" switch is commander's negation of x: given, it reads as "x false"
      byAttribute.set(o.attributeName(), { name, spec, negative: o.negate });
      if (spec.negatable) cmd.addOption(new Option(`--no-${name}`).hideHelp());
      continue;
    }
    const o = new Option(`--${name} <${valueName(spec)}>`, spec.help ?? '');
    o.argParser((raw: string, previous: unknown) => {
      if (previous !== undefined && !spec.repeat) throw new UsageError(`--${name} given more than once`);
      checkFlagValue(name, spec, raw);
      return spec.repeat ? [...((previous as string[] | undefined) ?? []), raw] : raw;
    });
    cmd.addOption(o);
    byAttribute.set(o.attributeName(), { name, spec, negative: false });
  }
  return byAttribute;
}

/** The flags a parse gave, by their table names (switches as 'true'/'false'). */
function parsedFlags(cmd: Commander, byAttribute: Map<string, { name: string; spec: FlagSpec; negative: boolean }>): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  const opts = cmd.opts();
  for (const [attr, { name, spec, negative }] of byAttribute) {
    if (cmd.getOptionValueSource(attr) !== 'cli') continue;
    const v = opts[attr];
    if (spec.kind === 'boolean') flags.set(name, [String(negative ? v === false : v !== false)]);
    else flags.set(name, Array.isArray(v) ? v.map(String) : [String(v)]);
  }
  return flags;
}

function configure(cmd: Commander): Commander {
  return cmd
    .exitOverride()
    .allowExcessArguments(false)
    .helpOption('-h, --help', 'show this help')
    .configureOutput({ writeOut: (s) => console.log(s.replace(/\n$/, '')), writeErr: () => {}, outputError: () => {} });
}

/** A commander program for these commands; `parse` runs it on argv and says what was selected. */
export function buildProgram(commands: Record<string, CommandSpec>): { program: Commander; parse(argv: string[]): Parsed | null } {
  let selected: Parsed | null = null;
  const program = configure(new Commander('adaptlab')).usage('<command> [options]');
  for (const [name, spec] of Object.entries(commands)) {
    const cmd = configure(program.command(name)).description(spec.summary).addHelpText('after', `\nUsage:\n  ${spec.usage.replace(/\n\s*/g, '\n  ')}`);
    if (spec.variants) {
      // `train <algo>`: one subcommand per registered algorithm; anything else is named as unknown
      cmd.argument('[variant]').allowUnknownOption().allowExcessArguments(true).action((variant: string | undefined) => {
        const known = Object.keys(spec.variants!).join(', ');
        throw new UsageError(`${variant === undefined ? 'missing' : `unknown "${variant}" as`} first argument (one of ${known})`);
      });
      for (const [v, { summary, flags }] of Object.entries(spec.variants)) {
        const sub = configure(cmd.command(v)).description(summary);
        const byAttribute = addFlags(sub, flags);
        sub.action(() => {
          selected = { name, args: { positional: [v], flags: parsedFlags(sub, byAttribute) } };
        });
      }
      continue;
    }
    const max = spec.maxPositional ?? 0;
    if (max === 1) cmd.argument('[arg]');
    else if (max > 1) cmd.argument('[args...]');
    const byAttribute = addFlags(cmd, spec.flags);
    cmd.action((...a: unknown[]) => {
      const positional = (max === 1 ? [a[0]] : max > 1 ? (a[0] as string[]) : []).filter((x): x is string => typeof x === 'string');
      if (positional.length > max) throw new UsageError(`unexpected argument "${positional[max]}"`);
      selected = { name, args: { positional, flags: parsedFlags(cmd, byAttribute) } };
    });
  }
  return {
    program,
    parse(argv: string[]): Parsed | null {
      selected = null;
      try {
        program.parse(argv, { from: 'user' });
      } catch (e) {
        if (!(e instanceof CommanderError)) throw e;
        if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return null;
        throw usageErrorOf(e, argv, commands);
      }
      return selected;
    },
  };
}

/** Commander's message as the one line the CLI prints: unknown flags list the known ones. */
function usageErrorOf(e: CommanderError, argv: string[], commands: Record<string, CommandSpec>): UsageError {
  const msg = e.message.replace(/^error: /, '');
  const spec = commands[argv[0]];
  const table = spec?.variants?.[argv[1]]?.flags ?? spec?.flags ?? {};
  const unknown = /unknown option '([^'=]+)(?:=([^']*))?/.exec(msg);
  const name = unknown?.[1].replace(/^--(no-)?/, '');
  if (unknown && unknown[2] !== undefined && name && table[name]?.kind === 'boolean') return new UsageError(`--${name} is a switch (no value), got "${unknown[2]}"`);
  if (unknown) return new UsageError(`unknown flag ${unknown[1]} (known: ${Object.keys(table).map((k) => `--${k}`).join(', ') || 'none'})`);
  const missing = /option '--([\w-]+)[^']*' argument missing/.exec(msg);
  if (missing) return new UsageError(`--${missing[1]} needs a value${table[missing[1]]?.hint ? ` (${table[missing[1]].hint})` : ''}`);
  const excess = /too many arguments/.test(msg);
  if (excess) return new UsageError(`unexpected argument (${msg})`);
  return new UsageError(msg);
}
