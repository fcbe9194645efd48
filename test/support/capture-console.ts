/** Captures what a CLI command prints (console and raw stdout/stderr writes), for tests that call `main()`. */
import { vi } from 'vitest';

export function captureConsole(): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s).trimEnd()), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s).trimEnd()), true));
  return { out, err };
}

/** Runs one command line through the CLI's `main` and returns its exit code and what it printed (blank error lines dropped). */
export async function runCli(main: (argv: string[]) => Promise<number>, argv: string[]): Promise<{ rc: number; out: string[]; err: string[] }> {
  const c = captureConsole();
  try {
    const rc = await main(argv);
    return { rc, out: c.out, err: c.err.filter((l) => l.trim()) };
  } finally {
    vi.restoreAllMocks();
  }
}
