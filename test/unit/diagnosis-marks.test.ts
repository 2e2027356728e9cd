import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import type { Lab } from '../../src/model/types.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { chainPass } from '../../src/verify/diagnose/rule-match.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// Firewall marks carried on the packet through one node's hooks (issue 15, fix9b): KUBE-MARK-MASQ's
// 0x4000 set in PREROUTING is what KUBE-POSTROUTING's MASQUERADE matches.

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'fx9-' }).lab;
const http = { proto: 'tcp' as const, dport: 30080, returnPath: true };

/** a node's nat table as iptables-save prints it, `edit` applied to its rule lines */
function natOf(lab: Lab, node: string, edit: (lines: string[]) => string[]): string {
  const rules = (lab.nodes.find((n) => n.name === node)?.firewall.find((f) => f.table === 'nat')?.rules ?? []).map((r) => r.join(' '));
  const chains = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', ...rules.map((r) => r.split(' ')[1] as string)]);
  const builtin = (c: string) => ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].includes(c);
  return ['*nat', ...[...chains].map((c) => `:${c} ${builtin(c) ? 'ACCEPT' : '-'} [0:0]`), ...edit(rules), 'COMMIT', ''].join('\n');
}
const natIn = (ns: string, ...argv: string[]) => ['ip', 'netns', 'exec', ns, 'iptables', '-t', 'nat', ...argv];
const rules = (...lines: string[]) => new Map([['C', lines.map((l) => l.split(' '))], ['MARKIT', [['-j', 'MARK', '--set-xmark', '0x4000/0x4000']]]]);

describe('the mark through one chain walk', () => {
  it('a MARK rule changes the mark for the rules after it; --set-xmark V/0 flips the bit back (KUBE-POSTROUTING)', () => {
    const p = { src: '10.0.0.1', dst: '10.0.0.2' };
    const r = chainPass(rules('-j MARKIT', '-m mark ! --mark 0x4000/0x4000 -j RETURN', '-j MARK --set-xmark 0x4000/0x0', '-j MASQUERADE'), 'C', p);
    expect(r.verdict?.target).toBe('MASQUERADE');
    expect(r.mark).toBe(0);
    expect(r.marked?.rule).toEqual(['-j', 'MARK', '--set-xmark', '0x4000/0x0']);
    const unmarked = chainPass(rules('-m mark ! --mark 0x4000/0x4000 -j RETURN', '-j MASQUERADE'), 'C', p);
    expect(unmarked.verdict).toBeNull();
  });

  it('--set-mark, --or-mark and a mark the packet brings in from an earlier hook', () => {
    const p = { src: '10.0.0.1', dst: '10.0.0.2', mark: 0x1 };
    expect(chainPass(rules('-j MARK --or-mark 0x2', '-m mark --mark 0x3 -j ACCEPT'), 'C', p).verdict?.target).toBe('ACCEPT');
    expect(chainPass(rules('-j MARK --set-mark 0x2', '-m mark --mark 0x3 -j ACCEPT'), 'C', p).verdict).toBeNull();
    expect(chainPass(rules('-m mark --mark 0x1/0x1 -j DROP'), 'C', p).verdict?.target).toBe('DROP');
  });
});

describe('KUBE-MARK-MASQ through the walk (held-out rounds 2 and 3, service-nodeport)', () => {
  it("node2's `-A KUBE-EXT-NGINXSVC -j KUBE-MARK-MASQ` deleted: masquerade_missing node2 eth0, the jump put back first in its chain", async () => {
    const lab = load('service-nodeport');
    const nat = natOf(lab, 'node2', (l) => l.filter((r) => r !== '-A KUBE-EXT-NGINXSVC -j KUBE-MARK-MASQ'));
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node2/nat': nat } }), 'ext', '192.168.1.12', http);
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'node2', interface: 'eth0' });
    expect(t.finding?.commands).toEqual([natIn('fx9-node2', '-I', 'KUBE-EXT-NGINXSVC', '1', '-j', 'KUBE-MARK-MASQ')]);
  });

  it('KUBE-MARK-MASQ itself emptied: its MARK rule put back', async () => {
    const lab = load('service-nodeport');
    const nat = natOf(lab, 'node2', (l) => l.filter((r) => !r.startsWith('-A KUBE-MARK-MASQ ')));
    const t = await tracePath(lab, kernel(lab, { firewall: { 'node2/nat': nat } }), 'ext', '192.168.1.12', http);
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'node2', interface: 'eth0' });
    expect(t.finding?.commands).toEqual([natIn('fx9-node2', '-A', 'KUBE-MARK-MASQ', '-j', 'MARK', '--set-xmark', '0x4000/0x4000')]);
  });

  it("the marked packet is masqueraded to node1's cni0 address: nginx-a's INPUT drop of 10.244.1.1 is found (round 3)", async () => {
    const lab = load('service-nodeport');
    const filter = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s 10.244.1.1/32 -p tcp -m tcp --dport 80 -j DROP\nCOMMIT\n';
    const t = await tracePath(lab, kernel(lab, { firewall: { 'nginx-a/filter': filter } }), 'ext', '192.168.1.11', http);
    expect(t.finding).toMatchObject({ code: 'input_drop', node: 'nginx-a', interface: 'eth0' });
    expect(t.hops.find((h) => h.node === 'node1')?.nat.join(' ')).toContain('MASQUERADE 192.168.1.100 -> 10.244.1.1');
  });

  it("node1's KUBE-MARK-MASQ marks 0x8000: its own replica's replies come back through node1 anyway (no cause there); the other replica's way is masquerade_missing node1 eth0", async () => {
    const lab = load('service-nodeport');
    const nat = natOf(lab, 'node1', (l) => l.map((r) => r.replace('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x8000/0x8000')));
    const facts = kernel(lab, { firewall: { 'node1/nat': nat } });
    const local = await tracePath(lab, facts, 'ext', '192.168.1.11', { ...http, randomPick: 0 });
    expect(local.finding).toBeUndefined();
    const remote = await tracePath(lab, facts, 'ext', '192.168.1.11', { ...http, randomPick: 1 });
    expect(remote.finding).toMatchObject({ code: 'masquerade_missing', node: 'node1', interface: 'eth0' });
    expect(remote.finding?.commands).toEqual([natIn('fx9-node1', '-I', 'KUBE-MARK-MASQ', '1', '-j', 'MARK', '--set-xmark', '0x4000/0x4000')]);
  });

  it('the lab as written: both nodes reach both replicas, no finding', async () => {
    const lab = load('service-nodeport');
    for (const [dst, pick] of [['192.168.1.11', 0], ['192.168.1.12', 1]] as const) {
      const t = await tracePath(lab, kernel(lab, {}), 'ext', dst, { ...http, randomPick: pick });
      expect(t.finding).toBeUndefined();
      expect(t.arrived).toBe(true);
    }
  });
});
