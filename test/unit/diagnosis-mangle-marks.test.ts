import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { chainPass } from '../../src/verify/diagnose/rule-match.js';
import { changedKernel as kernel } from '../helpers/changed-kernel.js';

// Marks set in the mangle table (-j MARK, -j CONNMARK) carried through the walk as nat's are (issue 15, fix12):
// mangle PREROUTING/OUTPUT run before nat's, mangle POSTROUTING before nat POSTROUTING's KUBE-POSTROUTING.

const lab = loadLab('labs/service-nodeport.yaml', { prefix: 'fx12-' }).lab;
const http = { proto: 'tcp' as const, dport: 30080, returnPath: true };
const mangleSave = (...lines: string[]) => ['*mangle', ...['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].map((c) => `:${c} ACCEPT [0:0]`), ...lines, 'COMMIT', ''].join('\n');
const rules = (...lines: string[]) => new Map([['C', lines.map((l) => l.split(' '))]]);
const p = { src: '10.0.0.1', dst: '10.0.0.2' };

describe('CONNMARK in one chain walk', () => {
  it('--save-mark copies the packet\'s mark to the connection, --restore-mark back; -m connmark --mark matches the connection\'s', () => {
    const saved = chainPass(rules('-j MARK --set-xmark 0x4/0xffffffff', '-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff'), 'C', p);
    expect(saved).toMatchObject({ mark: 4, ct: 4 });
    const restored = chainPass(rules('-j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff', '-m mark --mark 0x4 -j ACCEPT'), 'C', { ...p, ctmark: 4 });
    expect(restored).toMatchObject({ mark: 4, verdict: { target: 'ACCEPT' } });
    expect(chainPass(rules('-m connmark --mark 0x4 -j DROP'), 'C', { ...p, mark: 4 }).verdict).toBeNull();
    expect(chainPass(rules('-m connmark --mark 0x4 -j DROP'), 'C', { ...p, ctmark: 4 }).verdict?.target).toBe('DROP');
  });

  it('CONNMARK --set-xmark changes the connection\'s mark, never the packet\'s', () => {
    const r = chainPass(rules('-j CONNMARK --set-xmark 0x4000/0x4000', '-m mark --mark 0x4000/0x4000 -j ACCEPT'), 'C', p);
    expect(r).toMatchObject({ mark: 0, ct: 0x4000, verdict: null });
  });
});

describe('a mangle rule the lab does not have, through the walk (service-nodeport)', () => {
  // node2's NodePort, the replica picked on node1: masqueraded by node2 or the reply bypasses it
  it('node2: mangle POSTROUTING clears KUBE-MARK-MASQ\'s 0x4000 before KUBE-POSTROUTING: masquerade_missing node2 eth0, that rule deleted', async () => {
    const change = { firewall: { 'node2/mangle': mangleSave('-A POSTROUTING -j MARK --set-xmark 0x0/0x4000') } };
    const t = await tracePath(lab, kernel(lab, change), 'ext', '192.168.1.12', http);
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'node2', interface: 'eth0' });
    expect(t.finding?.commands).toEqual([['ip', 'netns', 'exec', 'fx12-node2', 'iptables', '-t', 'mangle', '-D', 'POSTROUTING', '-j', 'MARK', '--set-xmark', '0x0/0x4000']]);
    expect(t.finding?.cause).toContain('changes the mark it matches');
  });

  it('the mark saved to the connection in PREROUTING and restored in POSTROUTING (CONNMARK) clears it the same way', async () => {
    const change = { firewall: { 'node2/mangle': mangleSave('-A PREROUTING -j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff', '-A POSTROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff') } };
    const t = await tracePath(lab, kernel(lab, change), 'ext', '192.168.1.12', http);
    expect(t.finding).toMatchObject({ code: 'masquerade_missing', node: 'node2', interface: 'eth0' });
    expect(t.finding?.commands?.[0]).toEqual(['ip', 'netns', 'exec', 'fx12-node2', 'iptables', '-t', 'mangle', '-D', 'POSTROUTING', '-j', 'CONNMARK', '--restore-mark', '--nfmask', '0xffffffff', '--ctmask', '0xffffffff']);
  });

  it('a mangle rule that sets the mark the lab\'s rules set anyway: nothing found', async () => {
    const change = { firewall: { 'node2/mangle': mangleSave('-A POSTROUTING -j MARK --set-xmark 0x4000/0x4000') } };
    expect((await tracePath(lab, kernel(lab, change), 'ext', '192.168.1.12', http)).finding).toBeUndefined();
  });
});
