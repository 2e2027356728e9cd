import { runDirect } from './direct-run.js';
import { run } from './commands/down.js';
import type { LabArgs } from './lab-argv.js';

/** `netlab down LAB [--prefix P]` (down-fast.ts): what main() and commander would run for it. */
export function downDirect(args: LabArgs): Promise<void> {
  return runDirect('down', () => run(args.ref, args.prefix !== undefined ? { prefix: args.prefix } : {}));
}
