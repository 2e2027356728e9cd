import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { IS_ROOT, NETLAB, ROOT, leftovers, netlab, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;
const LAB = join(ROOT, 'test/fixtures/explore/files-lab.yaml');

d('netlab exec and shell: exploring a running lab', () => {
  it('runs commands inside a node with its /etc/netns files, passing exit codes through', async () => {
    const stateDir = tempStateDir();
    const prefix = uniquePrefix();
    try {
      expect((await netlab(['up', LAB, '--prefix', prefix], { stateDir })).exitCode).toBe(0);
      const addr = await netlab(['exec', LAB, 'red', '--prefix', prefix, '--', 'ip', '-br', 'addr', 'show', 'veth-red'], { stateDir });
      expect(addr.exitCode).toBe(0);
      expect(addr.stdout).toContain('192.168.15.1/24');
      const hosts = await netlab(['exec', LAB, 'red', '--prefix', prefix, '--', 'getent', 'hosts', 'blue.lab'], { stateDir });
      expect(hosts.stdout).toContain('192.168.15.2');
      // blue has no such file: the machine's own /etc/hosts, which does not know blue.lab
      const other = await netlab(['exec', LAB, 'blue', '--prefix', prefix, '--', 'getent', 'hosts', 'blue.lab'], { stateDir });
      expect(other.exitCode).toBe(2);
      const ping = await netlab(['exec', LAB, 'red', '--prefix', prefix, '--', 'ping', '-c1', '-W1', 'blue.lab'], { stateDir });
      expect(ping.exitCode).toBe(0);
      const unknown = await netlab(['exec', LAB, 'green', '--prefix', prefix, '--', 'true'], { stateDir });
      expect(unknown.exitCode).toBe(2);
      expect(unknown.stderr).toContain('its nodes are: red, blue');

      const shell = await execa(NETLAB, ['shell', LAB, 'red', '--prefix', prefix], {
        input: 'echo "node=$NETLAB_NODE"; ip -br link show veth-red; cat /etc/hosts; exit 5\n',
        env: { NETLAB_STATE_DIR: stateDir, NO_COLOR: '1' }, reject: false,
      });
      expect(shell.exitCode).toBe(5);
      expect(shell.stdout).toContain('node=red');
      expect(shell.stdout).toMatch(/veth-red@\S+\s+UP/);
      expect(shell.stdout).toContain('192.168.15.2 blue.lab');
    } finally {
      await netlab(['down', LAB, '--prefix', prefix], { stateDir });
    }
    expect(await leftovers(prefix, stateDir)).toEqual([]);
    const notRunning = await netlab(['exec', LAB, 'red', '--prefix', prefix, '--', 'true'], { stateDir });
    expect(notRunning.exitCode).toBe(1);
    expect(notRunning.stderr).toContain('is not running');
  });
});
