// Run inside a node (`ip netns exec NS node http-probe.cjs URL REQUESTS TIMEOUT_MS`): send REQUESTS GETs
// one after another and print one JSON line per request (http-get.ts). Builtins only and no top-level
// await: one CommonJS file (scripts/bundle.mjs, probe-script.ts).
import { httpGets } from './http-get.js';

void httpGets(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(() => process.exit(0));
