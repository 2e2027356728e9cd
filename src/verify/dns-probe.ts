// Run inside a node (`ip netns exec NS node dns-probe.js SERVER NAME TYPE TIMEOUT_MS`): ask one DNS
// server directly and print the answer as one JSON line (dns-ask.ts). Builtins only, so it starts fast.
import { askDns } from './dns-ask.js';

process.stdout.write(`${await askDns(process.argv.slice(2))}\n`);
process.exit(0);
