/** `adaptlab start`: the Electron app where it can run, otherwise the browser shell. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserShellServer } from '../server/browser-shell-server';
import { WorkbenchService } from '../service/workbench';
import { boolFlag, flag, intFlag, type ParsedArgs } from './args';
import { ensureBuilt } from './build-renderer';
import { PROJECT_ROOT, RENDERER_OUT } from './paths';
import { chooseShell, findChromium, hasDisplay } from './shell-choice';

export async function start(args: ParsedArgs): Promise<number> {
  ensureBuilt((l) => console.log(l));
  const choice = chooseShell(flag(args, 'shell'));
  if (choice.shell === 'electron') {
    console.log(`AdaptLab: Electron shell (${choice.reason})`);
    const child = spawn(choice.binary, [PROJECT_ROOT], { stdio: 'inherit' });
    return await new Promise<number>((ok) => child.on('exit', (code) => ok(code ?? 0)));
  }
  console.log(`AdaptLab: browser shell, because ${choice.reason}`);
  const service = new WorkbenchService({ shell: 'browser', shellReason: choice.reason, runsRoot: flag(args, 'runs') ?? process.env.ADAPTLAB_RUNS ?? 'runs' });
  const server = await startBrowserShellServer({ service, rendererDir: RENDERER_OUT, port: intFlag(args, 'port', 0, 0, 65535) });
  console.log(`AdaptLab: open ${server.url}`);
  openWindow(server.url, boolFlag(args, 'no-open'));
  const stop = async () => {
    await server.close();
    await service.dispose();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return await new Promise<number>(() => {});
}

function openWindow(url: string, suppressed: boolean): void {
  if (suppressed) return;
  const chromium = findChromium();
  if (!chromium || !hasDisplay()) {
    console.log(`AdaptLab: ${chromium ? 'no display' : 'no Chromium found'}; open the URL above in a browser.`);
    return;
  }
  const profile = mkdtempSync(join(tmpdir(), 'adaptlab-chromium-'));
  const child = spawn(chromium, [`--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'], { stdio: 'ignore', detached: true });
  child.on('error', (e) => console.log(`AdaptLab: could not open Chromium (${e.message}); open the URL above.`));
  child.unref();
}
