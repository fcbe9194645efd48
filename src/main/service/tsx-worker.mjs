// Bootstrap for worker threads whose entry is TypeScript (running from sources):
// registers tsx in this thread, then imports the entry passed as the last argv element.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[process.argv.length - 1]);
