import { parseVerifyArgv } from './lab-argv.js';

// `netlab verify LAB [--prefix P] [--budget N] [--json]`: what the test suites, `netlab test`'s users and
// CI type again and again (issue 17). bin/netlab sends `verify` here, and when its argv has exactly that
// shape (lab-argv.ts) verify-direct.ts runs the verify command past the CLI's argument parser and its
// other commands; anything else (--check, --junit, --jobs, a variant, --target, -q/-v, help...) goes to
// the full CLI, as always. This file and verify-direct.js are each bundled into one CommonJS file
// (scripts/bundle.mjs): no ESM loader, no commander, no chunks loaded one by one.

/** What bin/netlab runs for `netlab verify ...`. */
export async function verifyMain(argv: readonly string[]): Promise<void> {
  const parsed = parseVerifyArgv(argv.slice(2));
  if (parsed === undefined) {
    await (await import('./main.js')).main(argv);
    return;
  }
  await (await import('./verify-direct.js')).verifyDirect(parsed);
}
