// Run inside a node (`ip netns exec NS node http-probe.js URL REQUESTS TIMEOUT_MS`): send REQUESTS GETs
// one after another and print one JSON line per request (http-get.ts). Builtins only, so it starts fast.
import { httpGets } from './http-get.js';

await httpGets(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
process.exit(0);
