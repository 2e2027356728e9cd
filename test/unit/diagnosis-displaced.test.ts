import { describe, expect, it } from 'vitest';
import { loadLab } from '../../src/lab/load-lab.js';
import { putBackFinding } from '../../src/verify/diagnose/put-back/put-back.js';
import { withPutBack } from '../../src/verify/diagnose/put-back/fallback.js';
import { fixScopeProblem, labNamespaces, scopedCommands } from '../../src/verify/diagnose/fix-scope.js';
import { causes } from '../../src/verify/diagnose/causes.js';
import type { Lab } from '../../src/model/types.js';
import type { CheckResult } from '../../src/verify/run-checks.js';
import { kernelExecutor, labKernel, type NsKernel } from '../helpers/lab-kernel-executor.js';

// A lab device renamed or moved into another namespace of the lab (issue 15, round 5's misses): found where it
// is, named where the lab puts it, and taken back (never `link del`: a veth takes its peer, the lab's cable, with it).

const load = (name: string) => loadLab(`labs/${name}.yaml`, { prefix: 'dp-' }).lab;
const everywhere = (lab: Lab) => ({ nodes: lab.nodes.map((n) => n.name) });
const result = (lab: Lab) => ({ check: lab.checks[0], status: 'fail', expected: 'reply', observed: { outcome: 'timeout' } }) as unknown as CheckResult;
const scope = { ns: (n: string) => `dp-${n}` };
const deletesALink = (commands: readonly (readonly string[])[] | undefined) => (commands ?? []).some((c) => c.includes('link') && c.includes('del'));

/** `ip link set dev FROM [netns TO] [name NEW]` as the kernel does it: down, addresses and master dropped on a move */
function move(k: Map<string, NsKernel>, fromNs: string, dev: string, toNs: string, name = dev): void {
  const from = k.get(fromNs);
  const at = from?.links.findIndex((l) => l.ifname === dev) ?? -1;
  const link = from?.links[at];
  if (!from || !link) throw new Error(`no ${dev} in ${fromNs}`);
  from.links.splice(at, 1);
  from.routes = from.routes.filter((r) => r.dev !== dev);
  const moved = fromNs === toNs ? { ...link, ifname: name } : { ...link, ifname: name, flags: ['BROADCAST'], addr_info: [], master: undefined, ifindex: 90 + at };
  k.get(toNs)?.links.push(moved);
  // the peer's link_index follows the ifindex the moved end has in its new namespace
  for (const l of [...k.values()].flatMap((x) => x.links)) if (l !== moved && l.link_index === link.ifindex && l.ifindex === link.link_index) l.link_index = moved.ifindex;
}

describe('a lab device renamed in its namespace', () => {
  it('red-blue-bridge: blue\'s veth-blue renamed eth7: link_down blue veth-blue, renamed back (set down first), no link deleted', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    move(k, 'dp-blue', 'veth-blue', 'dp-blue', 'eth7');
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'link_down', node: 'blue', interface: 'veth-blue' });
    expect(d?.commands?.slice(0, 2)).toEqual([['ip', '-n', 'dp-blue', 'link', 'set', 'dev', 'eth7', 'down'], ['ip', '-n', 'dp-blue', 'link', 'set', 'dev', 'eth7', 'name', 'veth-blue']]);
    expect(d?.commands).toContainEqual(['ip', '-n', 'dp-blue', 'link', 'set', 'dev', 'veth-blue', 'up']);
    expect(deletesALink(d?.commands)).toBe(false);
    expect(scopedCommands(lab, d?.commands ?? []).refused).toEqual([]);
  });

  it('both ends of red-blue-veth renamed: each found (the only veth not the lab\'s there), the cable kept', async () => {
    const lab = load('red-blue-veth');
    const k = labKernel(lab);
    move(k, 'dp-red', 'veth-red', 'dp-red', 'ethr');
    move(k, 'dp-blue', 'veth-blue', 'dp-blue', 'ethb');
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d?.code).toBe('link_down');
    expect(d?.commands).toContainEqual(['ip', '-n', 'dp-red', 'link', 'set', 'dev', 'ethr', 'name', 'veth-red']);
    expect(d?.commands).toContainEqual(['ip', '-n', 'dp-blue', 'link', 'set', 'dev', 'ethb', 'name', 'veth-blue']);
    expect(deletesALink(d?.commands)).toBe(false);
  });

  it('a walk\'s link_missing for a renamed macvlan (docker-macvlan c1... the host\'s is round 5\'s): put back with its route', async () => {
    const lab = load('docker-macvlan');
    const mv = lab.interfaces.find((i) => i.kind === 'macvlan' && i.node !== 'host');
    if (!mv) throw new Error('no macvlan');
    const k = labKernel(lab);
    move(k, mv.ns, mv.name, mv.ns, 'mvx');
    const walk = causes.link_missing(scope, mv.node, mv.name);
    const d = await withPutBack(lab, result(lab), kernelExecutor(k), new Map(), walk, undefined);
    expect(d).toMatchObject({ code: 'link_down', node: mv.node, interface: mv.name });
    expect(d.commands?.[1]).toEqual(['ip', '-n', mv.ns, 'link', 'set', 'dev', 'mvx', 'name', mv.name]);
    expect(d.commands?.filter((c) => c.includes('addr'))).toEqual(mv.addresses.map((a) => ['ip', '-n', mv.ns, 'addr', 'replace', a, 'dev', mv.name]));
  });
});

describe('a lab device moved into another namespace of the lab', () => {
  it('red-blue-bridge: host\'s port veth-orange-br moved into blue: bridge_port_detached host veth-orange-br, moved back, master, up', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    move(k, 'dp-host', 'veth-orange-br', 'dp-blue');
    const walk = causes.link_missing(scope, 'host', 'veth-orange-br');
    const d = await withPutBack(lab, result(lab), kernelExecutor(k), new Map(), walk, undefined);
    expect(d).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-orange-br' });
    expect(d.commands).toEqual([
      ['ip', '-n', 'dp-blue', 'link', 'set', 'dev', 'veth-orange-br', 'netns', 'dp-host'],
      ['ip', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-orange-br', 'master', 'v-net-0'],
      ['ip', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-orange-br', 'up'],
    ]);
    expect(scopedCommands(lab, d.commands ?? []).refused).toEqual([]);
  });

  it('moved and renamed (pod-shared-netns or any veth lab): found by its veth peer, moved back under its name', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    move(k, 'dp-host', 'veth-red-br', 'dp-orange', 'x0');
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-red-br' });
    expect(d?.evidence.join(' ')).toContain('veth peer veth-red');
    expect(d?.commands?.[0]).toEqual(['ip', '-n', 'dp-orange', 'link', 'set', 'dev', 'x0', 'netns', 'dp-host', 'name', 'veth-red-br']);
    expect(deletesALink(d?.commands)).toBe(false);
  });

  it('named by the walk where it arrived (a stray device): the code stands, the fix moves it back with its address and routes', async () => {
    const lab = load('docker-network-modes');
    const end = lab.interfaces.find((i) => i.node !== 'host' && i.kind === 'veth' && i.addresses.length);
    const other = lab.nodes.find((n) => n.name !== end?.node && n.name !== 'host');
    if (!end || !other) throw new Error('no container end');
    const k = labKernel(lab);
    move(k, end.ns, end.name, other.ns);
    const walk = causes.stray_device(scope, other.name, end.name, 'not an interface of the lab', [], [['ip', '-n', other.ns, 'link', 'del', 'dev', end.name]]);
    const d = await withPutBack(lab, result(lab), kernelExecutor(k), new Map(), walk, undefined);
    expect(d).toMatchObject({ code: walk.code, node: other.name, interface: end.name });
    expect(d.commands?.[0]).toEqual(['ip', '-n', other.ns, 'link', 'set', 'dev', end.name, 'netns', end.ns]);
    expect(d.commands).toContainEqual(['ip', '-n', end.ns, 'addr', 'replace', end.addresses[0], 'dev', end.name]);
    expect(deletesALink(d.commands)).toBe(false);
  });
});

describe('link-layer attributes against the lab\'s', () => {
  it('pod-network-vxlan: node1\'s flannel.1 MAC changed: address_mismatch, its MAC put back before the walk\'s neighbour', async () => {
    const lab = load('pod-network-vxlan');
    const k = labKernel(lab);
    const link = k.get('dp-node1')?.links.find((l) => l.ifname === 'flannel.1');
    if (link) link.address = '0e:f1:00:00:01:77';
    const mac = ['ip', '-n', 'dp-node1', 'link', 'set', 'dev', 'flannel.1', 'address', '0e:f1:00:00:01:01'];
    expect((await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab)))?.commands).toEqual([mac]);
    const neigh = ['ip', '-n', 'dp-node1', 'neigh', 'replace', '10.244.2.0', 'lladdr', '0e:f1:00:00:02:01', 'dev', 'flannel.1', 'nud', 'permanent'];
    const walk = { code: 'neighbor_failed' as const, cause: 'ARP failed', evidence: [], node: 'node1', interface: 'flannel.1', commands: [neigh] };
    const d = await withPutBack(lab, result(lab), kernelExecutor(k), new Map(), walk, undefined);
    expect(d).toMatchObject({ code: 'address_mismatch', node: 'node1', interface: 'flannel.1' });
    expect(d.commands).toEqual([mac, neigh]);
  });

  it('host-port-forward... red-blue-bridge: a port\'s mcast_flood and bcast_flood off: every flag put back by one allow-listed command', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    const port = k.get('dp-host')?.links.find((l) => l.ifname === 'veth-orange-br');
    const data = port?.linkinfo?.info_slave_data;
    if (data) Object.assign(data, { mcast_flood: false, bcast_flood: false, learning: false });
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-orange-br' });
    expect(d?.commands).toEqual([['bridge', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-orange-br', 'learning', 'on', 'mcast_flood', 'on', 'bcast_flood', 'on']]);
    expect(scopedCommands(lab, d?.commands ?? []).refused).toEqual([]);
  });
});

describe('a bridge port\'s own permanent FDB entry', () => {
  it('red-blue-bridge: veth-red-br\'s local entry flushed: enslaved again (nomaster, master v-net-0), which writes it back; present: nothing', async () => {
    const lab = load('red-blue-bridge');
    const k = labKernel(lab);
    const port = k.get('dp-host')?.links.find((l) => l.ifname === 'veth-red-br');
    if (port) port.address = '02:00:00:00:0a:01';
    k.get('dp-host')?.fdb.push({ mac: '02:00:00:00:0a:01', ifname: 'veth-red-br', state: 'permanent' });
    expect(await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab))).toBeUndefined();
    k.get('dp-host')?.fdb.pop();
    const d = await putBackFinding(lab, kernelExecutor(k), new Map(), everywhere(lab));
    expect(d).toMatchObject({ code: 'bridge_port_detached', node: 'host', interface: 'veth-red-br' });
    expect(d?.commands).toEqual([['ip', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-red-br', 'nomaster'], ['ip', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-red-br', 'master', 'v-net-0']]);
  });
});

describe('moving a device back: allow-listed word by word', () => {
  const lab = load('red-blue-bridge');
  const ns = labNamespaces(lab);
  it('accepts link set dev IF netns LAB_NS [name IF]', () => {
    expect(fixScopeProblem(['ip', '-n', 'dp-red', 'link', 'set', 'dev', 'x0', 'netns', 'dp-host'], ns)).toBeUndefined();
    expect(fixScopeProblem(['ip', '-n', 'dp-red', 'link', 'set', 'dev', 'x0', 'netns', 'dp-host', 'name', 'veth-red-br'], ns)).toBeUndefined();
  });
  it.each([
    ['into a namespace not the lab\'s', ['ip', '-n', 'dp-red', 'link', 'set', 'dev', 'x0', 'netns', 'red']],
    ['into the machine\'s own (pid 1)', ['ip', '-n', 'dp-red', 'link', 'set', 'dev', 'x0', 'netns', '1']],
    ['with more after the name', ['ip', '-n', 'dp-red', 'link', 'set', 'dev', 'x0', 'netns', 'dp-host', 'name', 'y', 'up']],
    ['netns on another object', ['ip', '-n', 'dp-red', 'addr', 'add', '10.0.0.1/24', 'dev', 'x0', 'netns', 'dp-host']],
    ['a port flag turned off', ['bridge', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-red-br', 'learning', 'off']],
    ['flooding off', ['bridge', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-red-br', 'mcast_flood', 'off']],
    ['neigh_suppress on', ['bridge', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-red-br', 'neigh_suppress', 'on']],
    ['locked (not a flag the diagnosis puts back)', ['bridge', '-n', 'dp-host', 'link', 'set', 'dev', 'veth-red-br', 'locked', 'off']],
  ])('refuses %s', (_w, argv) => {
    expect(fixScopeProblem(argv, ns, new Map([['dp-host', new Set(['veth-red-br'])]]))).toBeTruthy();
  });
});
