// Run inside a node (`ip netns exec NS node dns-probe.cjs SERVER NAME TYPE TIMEOUT_MS`): ask one DNS
// server directly and print the answer as one JSON line (dns-ask.ts). Builtins only and no top-level
// await: one CommonJS file (scripts/bundle.mjs, probe-script.ts).
import { askDns } from './dns-ask.js';

void askDns(process.argv.slice(2)).then((line) => {
  process.stdout.write(`${line}\n`);
  process.exit(0);
});
