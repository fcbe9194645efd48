/** `--name value` arguments of the scripts under scripts/ (no validation: they are tools, not the CLI). */
export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

export const arg = (name: string, fallback: string): string => flag(name) ?? fallback;

export const numArg = (name: string, fallback: number): number => Number(flag(name) ?? fallback);
