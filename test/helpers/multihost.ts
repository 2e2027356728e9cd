import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT } from './cli.js';

// What the multihost-*.test.ts files share. They were one file, run test after test on one set of
// simulated hosts (about 300 s); split, each with simulated hosts of its own, they run side by side on
// the suite's workers. Every test already brought its own lab up and checked that nothing was left.

/** pod-network-vxlan across three simulated hosts over real ssh (test/helpers/sim-hosts.sh) */
export const LAB = join(ROOT, 'labs', 'pod-network-vxlan.yaml');
export const P = 'mh-';
export const CLEAN = 'netns=[] state=[] links=[] etc=[]';
/** the simulated hosts need root and the OpenSSH server */
export const CAN_SIMULATE_HOSTS = IS_ROOT && existsSync('/usr/sbin/sshd');

/** Polls `ready` every 20 ms until it holds; throws naming `what` after `ms` (a ceiling, not a sleep). */
export async function waitFor(ready: () => boolean, ms: number, what: string): Promise<void> {
  for (const until = Date.now() + ms; !ready(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}`);
  }
}
