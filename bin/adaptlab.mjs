#!/usr/bin/env node
// The `adaptlab` command. Runs the TypeScript sources through tsx, so the CLI, the browser
// shell and the tests all execute the same code the Electron build bundles.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
