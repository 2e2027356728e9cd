import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { unexpectedReach } from '../../src/verify/diagnose/unexpected-reach.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// Issue 15, fix21 (held-out round 7 run 2): a DNAT the lab does not have that makes a way a check expects
// closed is unexpected_path, named where the walk has the packets arrive (docs/diagnosis-codes.md: PREROUTING's
// in-interface; nat OUTPUT, locally made: none). netlab named no interface for a PREROUTING one.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'f21-' }).lab;
const nat = (rules: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${rules}COMMIT\n`;

describe('a stray DNAT under a check that expected a refusal', () => {
  const metrics = { proto: 'tcp' as const, dport: 9000, returnPath: true };
  for (const [what, rule] of [['with -i eth0', '-i eth0 '], ['with no -i', '']] as const) {
    it(`pod-shared-netns, pod1's PREROUTING DNAT to 127.0.0.1:9000 ${what}: unexpected_path pod1 eth0, the rule deleted`, async () => {
      const lab = load('pod-shared-netns');
      const facts = kernel(lab, { firewall: { 'pod1/nat': nat(`-A PREROUTING ${rule}-p tcp -m tcp --dport 9000 -j DNAT --to-destination 127.0.0.1:9000\n`) } });
      const trace = await tracePath(lab, facts, 'pod2', '10.244.1.2', metrics);
      const d = await unexpectedReach(lab, facts, 'pod2', trace, metrics);
      expect(d).toMatchObject({ code: 'unexpected_path', node: 'pod1', interface: 'eth0' });
      expect(d?.commands?.[0]).toEqual(['ip', 'netns', 'exec', 'f21-pod1', 'iptables', '-t', 'nat', '-D', 'PREROUTING', ...rule.split(' ').filter(Boolean), '-p', 'tcp', '-m', 'tcp', '--dport', '9000', '-j', 'DNAT', '--to-destination', '127.0.0.1:9000']);
    });
  }

  it('host-port-forward, a nat OUTPUT DNAT for the host\'s own request: unexpected_path host, no interface (locally made)', async () => {
    const lab = load('host-port-forward');
    const http = { proto: 'tcp' as const, dport: 80, returnPath: true };
    const own = '-A PREROUTING -d 192.168.1.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80\n-A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE\n';
    const facts = kernel(lab, { firewall: { 'host/nat': nat(`${own}-A OUTPUT -d 192.168.1.2/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80\n`) } });
    const trace = await tracePath(lab, facts, 'host', '192.168.1.2', http);
    const d = await unexpectedReach(lab, facts, 'host', trace, http);
    expect(d).toMatchObject({ code: 'unexpected_path', node: 'host' });
    expect(d?.interface).toBeUndefined();
  });
});
