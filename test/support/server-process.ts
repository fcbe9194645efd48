/** The real server in a child process (test/support/serve.ts): a crash is an exit we can see. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  port: number;
  token: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr (an unhandled 'error' event shows here). */
  stderr(): string;
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startServerProcess(): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/serve.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it listened: ${err}`)));
  });
  const { port, token } = JSON.parse(first) as { port: number; token: string };
  return {
    port,
    token,
    child,
    stderr: () => err,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) return ok();
        child.once('exit', () => ok());
        child.kill('SIGTERM');
      }),
  };
}
