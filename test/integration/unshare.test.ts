import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { IS_ROOT, NETLAB, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

// What a privileged container gives netlab is a network and a mount namespace of its own. Run a
// whole lab's life there: it must work, and nothing of it may be visible from outside.
d('netlab inside unshare --net --mount (a privileged container without Docker)', () => {
  it('up, verify and down work, and the lab never appears in this namespace', async () => {
    const prefix = uniquePrefix();
    const stateDir = tempStateDir();
    const script = [
      'set -e',
      'ip link set lo up',
      // a container has its own /run: namespaces are pinned on a tmpfs only this mount namespace sees
      'mkdir -p /run/netns && mount -t tmpfs netlab-unshare /run/netns',
      `"$NETLAB" up red-blue-bridge --prefix ${prefix} --json > /dev/null`,
      // the namespaces exist in here ...
      `test -e /run/netns/${prefix}red`,
      `"$NETLAB" verify red-blue-bridge --prefix ${prefix}`,
      `"$NETLAB" down red-blue-bridge --prefix ${prefix} > /dev/null`,
      `! ls /run/netns 2>/dev/null | grep -q '^${prefix}'`,
      'echo inside-done',
    ].join('\n');
    const run = execa('unshare', ['--net', '--mount', '--fork', '--', 'bash', '-c', script], {
      env: { NETLAB, NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' }, reject: false,
    });
    // ... and, while it runs, never out here (the namespace mounts stay in the private mount namespace)
    let seenOutside = false;
    const watch = setInterval(() => { if (existsSync(`/run/netns/${prefix}red`)) seenOutside = true; }, 20);
    const r = await run;
    clearInterval(watch);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(r.stdout).toContain('inside-done');
    expect(r.exitCode).toBe(0);
    expect(seenOutside).toBe(false);
  });
});
