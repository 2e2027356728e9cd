// Run inside a node (`ip netns exec NS node tcp-probe.cjs HOST PORT TIMEOUT_MS`): connect once and
// print the outcome as JSON (connect-once.ts). Builtins only and no top-level await, so that
// scripts/bundle.mjs makes it one CommonJS file that Node starts without its ESM loader (probe-script.ts).
import { connectOnce } from './connect-once.js';

void connectOnce(process.argv.slice(2)).then((line) => {
  process.stdout.write(`${line}\n`);
  process.exit(0);
});
