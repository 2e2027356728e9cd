// Run inside a node (`ip netns exec NS node tcp-probe.js HOST PORT TIMEOUT_MS`): connect once and
// print the outcome as JSON (connect-once.ts). Builtins only, so it starts fast.
import { connectOnce } from './connect-once.js';

process.stdout.write(`${await connectOnce(process.argv.slice(2))}\n`);
process.exit(0);
