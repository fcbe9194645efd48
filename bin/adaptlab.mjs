#!/usr/bin/env node
// The `adaptlab` command. Runs the TypeScript sources through tsx, so the CLI, the browser
// shell and the tests all execute the same code the Electron build bundles.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/index.ts');
// exit with the command: a handle left open by a failed command (a hung browser, a worker) must not
// keep the process alive after it has reported
process.exit(await main(process.argv.slice(2)));
