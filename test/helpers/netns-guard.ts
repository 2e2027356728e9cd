import { readFileSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';
import { IS_ROOT } from './cli.js';
import { diffSnapshots, privateSnapshot } from './root-snapshot.js';

// Setup file of every integration test file (run as root): the file runs in namespaces of its own
// (netns-worker.sh), and leaves them as it found them: links, addresses, routes, rules, firewall,
// sysctls, /run/netns and /etc/netns. (The machine's real root namespace is root-guard.ts's.)

/** Mount points of this process's mount namespace, with their file system type. */
function mountType(path: string): string | undefined {
  const line = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === path).at(-1);
  return line?.split(' - ')[1]?.split(' ')[0];
}

if (IS_ROOT) {
  let before: Record<string, string> = {};
  beforeAll(() => {
    // the proof that the file is hermetic: not vitest's network namespace, private /run/netns and /etc
    expect(readlinkSync('/proc/self/ns/net'), 'the test file runs in the network namespace of vitest').not.toBe(readlinkSync(`/proc/${process.ppid}/ns/net`));
    expect(mountType('/run/netns'), '/run/netns of this test file').toBe('tmpfs');
    expect(mountType('/etc'), '/etc of this test file').toBe('overlay');
    before = privateSnapshot();
  });
  afterAll(() => {
    const changes = diffSnapshots(before, privateSnapshot());
    expect(changes, `the test file changed its namespace:\n${changes.join('\n')}`).toEqual([]);
  });
}
