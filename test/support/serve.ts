/**
 * Starts the real workbench service behind the real browser-shell server, on a free port with a
 * stub renderer page, and prints one JSON line {port, token, pid}. For tests and the soak script
 * that need the server in its own process (so that a crash shows as an exit, not a test error).
 *   node --import tsx test/support/serve.ts [RUNS_DIR]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBrowserShellServer } from '../../src/main/server/browser-shell-server';
import { WorkbenchService } from '../../src/main/service/workbench';

const dir = mkdtempSync(join(tmpdir(), 'adaptlab-serve-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>AdaptLab test server</title>');
const service = new WorkbenchService({ shell: 'browser', shellReason: 'test server', runsRoot: process.argv[2] ?? join(dir, 'runs') });
const server = await startBrowserShellServer({ service, rendererDir: dir });
console.log(JSON.stringify({ port: server.port, token: server.token, pid: process.pid }));

async function stop(): Promise<void> {
  await server.close();
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
