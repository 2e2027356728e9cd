import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { IS_ROOT, leftovers, netlab, processesOf, tempStateDir, uniquePrefix } from '../helpers/cli.js';
import { withLab } from '../helpers/with-lab.js';

// Issue 16, checked without netlab (curl, ping, iptables-save, /proc) while the lab is up: what the
// real software does, and the labs now do too.

const d = IS_ROOT ? describe : describe.skip;
const inNs = (ns: string, argv: string[]) => execa('ip', ['netns', 'exec', ns, ...argv], { reject: false, timeout: 15_000 });

d('issue 16 facts', () => {
  it('docker-bridge: curl 127.0.0.1:8080 on the host is answered by docker-proxy, running as nobody', async () => {
    await withLab('docker-bridge', async (prefix, stateDir) => {
      const r = await inNs(`${prefix}host`, ['curl', '-s', '-m', '5', 'http://127.0.0.1:8080/']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe('hello from alpine0');
      const proxy = processesOf(stateDir).find((p) => p.includes('serve proxy'));
      expect(proxy).toBeDefined();
      const status = readFileSync(`/proc/${(proxy as string).split(' ')[0]}/status`, 'utf8');
      expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
      expect(status).toMatch(/^Gid:\s+65534\s+65534\s+65534\s+65534$/m);
      const link = await execa('ip', ['-n', `${prefix}host`, 'addr', 'show', 'docker0']);
      expect(link.stdout).toContain('inet 172.17.0.1/16 brd 172.17.255.255 scope global docker0');
      expect(link.stdout).toMatch(/link\/ether 02:42:/);
    });
  }, 120_000);

  it('netns-basics: a fresh namespace has lo DOWN and ping 127.0.0.1 says "Network is unreachable"', async () => {
    await withLab('netns-basics', async (prefix) => {
      const r = await inNs(`${prefix}red`, ['ping', '-c', '1', '-W', '1', '127.0.0.1']);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/Network is unreachable/);
    });
  }, 60_000);

  it('cni-bridge: iptables-save shows the plugin\'s per-container chain, comment and all', async () => {
    await withLab('cni-bridge', async (prefix) => {
      const r = await inNs(`${prefix}node`, ['iptables-save', '-t', 'nat']);
      expect(r.stdout).toContain('-A POSTROUTING -s 10.244.1.2/32 -m comment --comment "name: \\"v-net\\" id: \\"ctr-a-3f2a9c1e\\"" -j CNI-500f579166aea6ca0ba7e120');
      expect(r.stdout).toContain('-A CNI-500f579166aea6ca0ba7e120 ! -d 224.0.0.0/4 -m comment --comment "name: \\"v-net\\" id: \\"ctr-a-3f2a9c1e\\"" -j MASQUERADE');
      const lo = await execa('ip', ['-n', `${prefix}ctr-a`, 'link', 'show', 'lo']);
      expect(lo.stdout).toContain('state DOWN');
    });
  }, 120_000);
});
