import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { IS_ROOT, leftovers, netlab, NETLAB, tempStateDir, uniquePrefix } from '../helpers/cli.js';

const d = IS_ROOT ? describe : describe.skip;
const NODES = ['host', 'red', 'blue', 'orange', 'gray'];

interface Addr { ifname: string; addr_info: { local: string; prefixlen: number; scope: string }[] }

/** Interfaces with their global addresses, and the routing table, of every node: what must be identical. */
async function snapshot(prefix: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const node of NODES) {
    const addr = JSON.parse(String((await execa('ip', ['-j', '-n', `${prefix}${node}`, 'addr'])).stdout)) as Addr[];
    const routes = String((await execa('ip', ['-n', `${prefix}${node}`, 'route'])).stdout).replace(/\s+linkdown/g, '');
    out[node] = {
      addresses: addr.map((a) => `${a.ifname} ${a.addr_info.filter((i) => i.scope !== 'link').map((i) => `${i.local}/${i.prefixlen}`).join(',')}`).sort(),
      routes: routes.split('\n').sort(),
    };
  }
  return out;
}

d('netlab plan --format sh', () => {
  it('builds, run by bash as root, the same namespaces, addresses and routes as netlab up', async () => {
    const stateDir = tempStateDir();
    const viaUp = uniquePrefix();
    const viaSh = uniquePrefix();
    try {
      expect((await netlab(['up', 'red-blue-bridge', '--prefix', viaUp], { stateDir })).exitCode).toBe(0);
      const script = await netlab(['plan', 'red-blue-bridge', '--format', 'sh', '--prefix', viaSh]);
      expect(script.exitCode).toBe(0);
      expect(script.stdout).toMatch(/^#!\/usr\/bin\/env bash/);
      expect(script.stdout).not.toContain(NETLAB);
      // the script needs only `netlab` and its services' `netlab-serve` on PATH, as on a machine where netlab was installed
      const bin = mkdtempSync(join(tmpdir(), 'netlab-path-'));
      symlinkSync(NETLAB, join(bin, 'netlab'));
      symlinkSync(join(dirname(NETLAB), '..', 'libexec', 'netlab-serve'), join(bin, 'netlab-serve'));
      const bash = await execa('bash', ['-s'], { input: script.stdout, reject: false, env: { PATH: `${bin}:${process.env.PATH}` } });
      rmSync(bin, { recursive: true, force: true });
      expect(bash.stderr).toBe('');
      expect(bash.exitCode).toBe(0);
      expect(await snapshot(viaSh)).toEqual(await snapshot(viaUp));
      const ping = await execa('ip', ['netns', 'exec', `${viaSh}red`, 'ping', '-c1', '-W1', '192.168.15.2'], { reject: false });
      expect(ping.exitCode).toBe(0);
    } finally {
      await netlab(['down', 'red-blue-bridge', '--prefix', viaUp], { stateDir });
      // the script's lab is not netlab's: remove it as a learner would
      for (const node of NODES) {
        const pids = String((await execa('ip', ['netns', 'pids', `${viaSh}${node}`], { reject: false })).stdout).split('\n').filter(Boolean);
        for (const pid of pids) process.kill(Number(pid), 'SIGTERM');
      }
      await new Promise((r) => setTimeout(r, 300));
      for (const node of NODES) await execa('ip', ['netns', 'del', `${viaSh}${node}`], { reject: false });
    }
    expect(await leftovers(viaUp, stateDir)).toEqual([]);
    expect(await leftovers(viaSh, stateDir)).toEqual([]);
  });
});
