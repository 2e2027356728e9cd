import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { tracePath } from '../../src/verify/diagnose/trace.js';
import { fixScopeProblem, labNamespaces, scopedCommands } from '../../src/verify/diagnose/fix-scope.js';
import type { Facts } from '../../src/verify/diagnose/facts.js';
import { changedKernel } from '../helpers/changed-kernel.js';

// Issue 15, fix17 (held-out round 6, docker-overlay): a VXLAN proxy answers ARP from its permanent
// neighbour entries, so a wrong MAC there is what the sender learns. The walk named the sender's learned
// entry (delete it: the proxy teaches it the same wrong MAC again); the cause is at the proxy's node.

const load = () => loadLab('labs/docker-overlay.yaml', { prefix: 'f17-' }).lab;
const ping = { proto: 'icmp' as const, returnPath: true };
const REAL: Record<string, string> = { 'c1/eth0': '02:42:0a:00:01:02', 'c2/eth0': '02:42:0a:00:01:03' };

/** the lab's kernel with `entries` (`node/dev/ip` -> lladdr, permanent) as the kernel's neighbour tables show them */
function withNeighbours(lab: ReturnType<typeof load>, entries: Record<string, { lladdr: string; permanent: boolean }>): Facts {
  const lab0 = lab.nodes.flatMap((n) => n.neighbors.map((e) => [`${n.name}/${e.dev}/${e.address}`, { lladdr: e.lladdr.toLowerCase(), permanent: true }] as const));
  const all = { ...Object.fromEntries(lab0), ...entries };
  return { ...changedKernel(lab, {}), macs: { neighbor: async (node, dev, ip) => all[`${node}/${dev}/${ip}`], link: async (node, dev) => REAL[`${node}/${dev}`] } };
}

describe('a VXLAN proxy\'s permanent neighbour with a wrong MAC', () => {
  it('ovl-host1\'s entry for c2 given 02:42:0a:00:01:99 (c1 learned it): named at ovl-host1 vxlan0, put back, then c1\'s copy deleted', async () => {
    const lab = load();
    const wrong = { lladdr: '02:42:0a:00:01:99', permanent: true };
    const t = await tracePath(lab, withNeighbours(lab, { 'ovl-host1/vxlan0/10.0.1.3': wrong, 'c1/eth0/10.0.1.3': { ...wrong, permanent: false } }), 'c1', '10.0.1.3', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'ovl-host1', interface: 'vxlan0' });
    expect(t.finding?.commands).toEqual([
      ['ip', '-n', 'f17-ovl-host1', 'neigh', 'replace', '10.0.1.3', 'lladdr', '02:42:0a:00:01:03', 'dev', 'vxlan0', 'nud', 'permanent'],
      ['ip', '-n', 'f17-c1', 'neigh', 'del', '10.0.1.3', 'dev', 'eth0'],
    ]);
    expect(scopedCommands(lab, t.finding?.commands ?? []).refused).toEqual([]);
  });

  it('ovl-host2\'s entry for c1 given c2\'s own MAC, c2 has no entry yet: named at ovl-host2, only the entry put back', async () => {
    const lab = load();
    const t = await tracePath(lab, withNeighbours(lab, { 'ovl-host2/vxlan0/10.0.1.2': { lladdr: '02:42:0a:00:01:03', permanent: true } }), 'c2', '10.0.1.2', ping);
    expect(t.finding).toMatchObject({ code: 'neighbor_failed', node: 'ovl-host2', interface: 'vxlan0' });
    expect(t.finding?.commands).toEqual([['ip', '-n', 'f17-ovl-host2', 'neigh', 'replace', '10.0.1.2', 'lladdr', '02:42:0a:00:01:02', 'dev', 'vxlan0', 'nud', 'permanent']]);
  });

  it('the lab\'s entries as it writes them: no finding', async () => {
    const lab = load();
    expect((await tracePath(lab, withNeighbours(lab, {}), 'c1', '10.0.1.3', ping)).finding).toBeUndefined();
  });
});

describe('ip neigh fix commands are allow-listed word by word', () => {
  const lab = load();
  const ns = labNamespaces(lab);
  const ipN = (...w: string[]) => ['ip', '-n', 'f17-c1', ...w];
  it('the three a diagnosis prints pass', () => {
    expect(fixScopeProblem(ipN('neigh', 'replace', '10.0.1.3', 'lladdr', '02:42:0a:00:01:03', 'dev', 'eth0', 'nud', 'permanent'), ns)).toBeUndefined();
    expect(fixScopeProblem(ipN('neigh', 'del', '10.0.1.3', 'dev', 'eth0'), ns)).toBeUndefined();
    expect(fixScopeProblem(ipN('neigh', 'flush', 'dev', 'eth0', 'nud', 'failed', 'nud', 'incomplete'), ns)).toBeUndefined();
  });
  it.each([
    ['a state other than permanent', ['neigh', 'replace', '10.0.1.3', 'lladdr', '02:42:0a:00:01:03', 'dev', 'eth0', 'nud', 'reachable']],
    ['a word after the entry', ['neigh', 'replace', '10.0.1.3', 'lladdr', '02:42:0a:00:01:03', 'dev', 'eth0', 'nud', 'permanent', 'proxy']],
    ['a MAC that is not one', ['neigh', 'replace', '10.0.1.3', 'lladdr', 'zz:42:0a:00:01:03', 'dev', 'eth0', 'nud', 'permanent']],
    ['an address that is not one', ['neigh', 'del', '10.0.1.300', 'dev', 'eth0']],
    ['flushing everything', ['neigh', 'flush', 'all']],
    ['flushing resolved entries', ['neigh', 'flush', 'dev', 'eth0', 'nud', 'reachable']],
    ['adding a proxy entry', ['neigh', 'add', 'proxy', '10.0.1.3', 'dev', 'eth0']],
    ['a device name with a shell word', ['neigh', 'del', '10.0.1.3', 'dev', 'eth0;reboot']],
  ])('refused: %s', (_why, words) => {
    expect(fixScopeProblem(ipN(...words), ns)).toMatch(/^ip neigh: only /);
  });
});
