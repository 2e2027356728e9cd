import { parseLabArgv } from './lab-argv.js';

// `netlab down LAB [--prefix P]`: bin/netlab sends `down` here, and when its argv has exactly that
// shape (lab-argv.ts) down-direct.ts runs the down command past the CLI's argument parser and its
// other commands (commander and the chunks of the down command cost about 20 ms of CPU, issue 17);
// anything else (--all, --json, a variant, -q/-v, help...) goes to the full CLI, as always.

/** What bin/netlab runs for `netlab down ...`. */
export async function downMain(argv: readonly string[]): Promise<void> {
  const parsed = parseLabArgv('down', argv.slice(2));
  if (parsed === undefined) {
    await (await import('./main.js')).main(argv);
    return;
  }
  await (await import('./down-direct.js')).downDirect(parsed);
}
