import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { IS_ROOT, NETLAB, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;

/**
 * No VM here: the transport is replaced, nothing else. `vagrant ssh-config` prints a config, `ssh`
 * runs the remote command with `sh -c` as sshd's login shell does, `sudo -n --` just runs its argv
 * (we are root). So the executor's quoting meets a real shell, and the plan builds a real lab.
 */
function fakeVm(): string {
  const bin = mkdtempSync(join(tmpdir(), 'netlab-fakevm-'));
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  script('vagrant', '[ "$1" = ssh-config ] || exit 1\nprintf "Host %s\\n  HostName 127.0.0.1\\n  Port 2222\\n" "${2:-default}"');
  script('ssh', 'for last; do :; done\nexec sh -c "$last"');
  script('sudo', '[ "$1" = -n ] && shift; [ "$1" = -- ] && shift; exec "$@"');
  symlinkSync(NETLAB, join(bin, 'netlab'));
  return bin;
}

d('netlab up --target vagrant (transport faked, shell and kernel real)', () => {
  it('builds the lab through the remote shell, serves, and down removes it', async () => {
    const bin = fakeVm();
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    const servicePids: string[] = [];
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    try {
      const up = await netlab(['up', 'red-blue-bridge', '--prefix', prefix, '--target', 'vagrant:netlab', '--json'], { stateDir, env });
      expect(up.stderr).toBe('');
      expect(up.exitCode).toBe(0);
      expect(JSON.parse(up.stdout)).toMatchObject({ target: 'vagrant:netlab', status: 'up' });
      expect(existsSync(`/run/netns/${prefix}red`)).toBe(true);
      const ping = await execa('ip', ['netns', 'exec', `${prefix}red`, 'ping', '-c1', '-W1', '192.168.15.2'], { reject: false });
      expect(ping.exitCode).toBe(0);
      // the http service started in the background through `sh -c` answers
      const curl = await execa('ip', ['netns', 'exec', `${prefix}red`, 'node', '-e',
        "require('net').connect(80,'192.168.15.3').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"], { reject: false });
      expect(curl.exitCode).toBe(0);
      const pids = String((await execa('ip', ['netns', 'pids', `${prefix}orange`])).stdout).split(/\s+/).filter(Boolean);
      expect(pids.length).toBeGreaterThan(0);
      servicePids.push(...pids);
      // nothing was journaled locally: the VM's lab is not this machine's
      expect((await netlab(['status', '--json'], { stateDir })).stdout).not.toContain(prefix);
    } finally {
      const down = await netlab(['down', 'red-blue-bridge', '--prefix', prefix, '--target', 'vagrant:netlab'], { stateDir, env });
      expect(down.exitCode).toBe(0);
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
    // the service in blue was stopped by down (its process is gone, or a zombie awaiting its parent)
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of servicePids) {
      const stat = await execa('cat', [`/proc/${pid}/stat`], { reject: false });
      expect(stat.exitCode !== 0 || /\) Z /.test(String(stat.stdout)), `pid ${pid} still runs`).toBe(true);
    }
  });
});
