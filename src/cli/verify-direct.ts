import { runDirect } from './direct-run.js';
import { run } from './commands/verify.js';
import type { VerifyArgs } from './lab-argv.js';

/** `netlab verify LAB [--prefix P] [--budget N] [--json]` (verify-fast.ts): what main() and commander would run for it. */
export function verifyDirect(args: VerifyArgs): Promise<void> {
  const { ref, ...opts } = args;
  // commander's options object for this argv: --jobs has a default ('16'), the rest only when given
  return runDirect('verify', () => run(ref, { jobs: '16', ...opts }), opts.json === true);
}
