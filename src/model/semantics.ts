import type { Problem } from '../problem.js';
import type { Interface, Node } from './types.js';
import { addressOf, hostBitsSet, inSubnet } from './addr.js';
import { SubnetSet } from './subnet-set.js';
import { someOf, unknownHint } from '../load/suggest.js';
import { isIp } from '../schema/ip-text.js';
import { interfacesOf } from './by-node.js';

export interface Placed<T> {
  readonly item: T;
  readonly path: readonly PropertyKey[];
}

export function checkInterfaceNames(placed: readonly Placed<Interface>[], problems: Problem[]): void {
  const seen = new Map<string, readonly PropertyKey[]>();
  for (const { item, path } of placed) {
    const key = `${item.node}/${item.name}`;
    if (item.name === 'lo') {
      problems.push({ path, message: `"lo" is the loopback interface every node already has`, hint: 'put extra loopback addresses under nodes.<node>.loopback' });
    } else if (seen.has(key)) {
      problems.push({ path, message: `interface ${item.name} is used twice in node ${item.node} (first at ${formatAt(seen.get(key))})` });
    } else seen.set(key, path);
  }
}

export function checkDuplicateAddresses(placed: readonly Placed<Interface>[], nodes: readonly Node[], problems: Problem[]): void {
  const seen = new Map<string, string>();
  const visit = (cidr: string, owner: string, path: readonly PropertyKey[]) => {
    const ip = addressOf(cidr);
    const first = seen.get(ip);
    if (first !== undefined) problems.push({ path, message: `duplicate address ${ip}: already on ${first}`, hint: 'every address in a lab must be unique' });
    else seen.set(ip, owner);
  };
  for (const { item, path } of placed) for (const cidr of item.addresses) visit(cidr, `${item.node}:${item.name}`, path);
  for (const node of nodes) node.loopbackAddresses.forEach((cidr, i) => visit(cidr, `${node.name}:lo`, ['nodes', node.name, 'loopback', 'addresses', i]));
}

/** What a node's routes may reach: its subnets, all of them or one device's, and the same through links that are up. */
interface Reach {
  readonly node: Node;
  readonly own: readonly Interface[];
  readonly names: ReadonlySet<string>;
  readonly down: ReadonlySet<string>;
  readonly connected: SubnetSet;
  readonly connectedUp: SubnetSet;
  readonly byDev: Map<string, SubnetSet>;
  readonly hints: Map<string | undefined, string>;
}

function reachOf(node: Node, interfaces: readonly Interface[]): Reach {
  const own = interfacesOf(interfaces, node.name);
  const reach: Reach = {
    node,
    own,
    names: new Set(['lo', ...own.map((i) => i.name)]),
    // a gateway only behind a link the lab declares down cannot be added
    down: new Set(own.filter((i) => !i.up).map((i) => i.name)),
    connected: new SubnetSet(),
    connectedUp: new SubnetSet(),
    byDev: new Map(),
    hints: new Map(),
  };
  for (const i of own) for (const cidr of i.addresses) {
    reach.connected.add(cidr);
    onDev(reach, i.name).add(cidr);
    if (i.up) reach.connectedUp.add(cidr);
  }
  return reach;
}

function onDev(reach: Reach, dev: string): SubnetSet {
  return reach.byDev.get(dev) ?? reach.byDev.set(dev, new SubnetSet()).get(dev) as SubnetSet;
}

function connectedHint(reach: Reach, dev: string | undefined): string {
  let hint = reach.hints.get(dev);
  if (hint === undefined) {
    const subnets = reach.own.filter((i) => dev === undefined || i.name === dev).flatMap((i) => i.addresses);
    hint = subnets.length ? `connected: ${someOf(subnets)}; use a gateway there, or "onlink: true" with a dev` : `${reach.node.name} has no addresses`;
    reach.hints.set(dev, hint);
  }
  return hint;
}

type Route = Node['routes'][number];

function checkGateway(reach: Reach, route: Route & { via: string }, path: readonly PropertyKey[], problems: Problem[]): void {
  const reachable = route.dev === undefined ? reach.connected : reach.byDev.get(route.dev);
  if (!reachable?.has(route.via)) {
    problems.push({
      path: [...path, 'via'],
      message: `gateway ${route.via} is not on a connected subnet of ${reach.node.name} (the kernel says "Nexthop has invalid gateway")`,
      hint: connectedHint(reach, route.dev),
    });
  } else if (route.dev !== undefined ? reach.down.has(route.dev) : !reach.connectedUp.has(route.via)) {
    const through = route.dev ?? reach.own.find((i) => !i.up && i.addresses.some((a) => inSubnet(route.via, a)))?.name ?? 'a link';
    problems.push({
      path: [...path, 'via'],
      message: `gateway ${route.via} is reached only through ${through}, which the lab declares down (up: false): the kernel has no connected route there and refuses this one ("Nexthop has invalid gateway")`,
      hint: `bring ${through} up (remove up: false), or route via a gateway on a link that is up`,
    });
  }
}

/** an earlier device route makes its targets on-link for later gateways (e.g. Calico's `169.254.1.1 dev eth0 scope link`) */
function learnDeviceRoute(reach: Reach, route: Route): void {
  if (route.via !== undefined || route.dev === undefined || route.to === 'default') return;
  const cidr = route.to.includes('/') ? route.to : `${route.to}/${route.to.includes(':') ? 128 : 32}`;
  reach.connected.add(cidr);
  onDev(reach, route.dev).add(cidr);
  if (!reach.down.has(route.dev)) reach.connectedUp.add(cidr);
}

export function checkRoutes(node: Node, interfaces: readonly Interface[], problems: Problem[]): void {
  const reach = reachOf(node, interfaces);
  node.routes.forEach((route, r) => {
    const path = ['nodes', node.name, 'routes', r];
    if (route.to !== 'default' && route.to.includes('/')) {
      const net = hostBitsSet(route.to);
      if (net) problems.push({ path: [...path, 'to'], message: `${route.to} has host bits set (the kernel says "Invalid prefix for given prefix length")`, hint: `write ${net}` });
    }
    const unknownDev = route.dev !== undefined && !reach.names.has(route.dev);
    if (unknownDev) {
      problems.push({ path: [...path, 'dev'], message: `node ${node.name} has no interface ${route.dev}`, hint: unknownHint('its interfaces', route.dev as string, reach.names) });
    }
    if (route.via !== undefined && !route.onlink && !unknownDev && isIp(route.via)) {
      checkGateway(reach, { ...route, via: route.via }, path, problems);
    } else if (route.dev !== undefined && reach.down.has(route.dev) && !unknownDev) {
      problems.push({
        path: [...path, 'dev'],
        message: `${route.dev} is declared down (up: false): the kernel refuses a route through a device that is down ("Device for nexthop is not up")`,
        hint: `bring ${route.dev} up (remove up: false), or drop this route`,
      });
    }
    learnDeviceRoute(reach, route);
    if (route.src !== undefined && !isIp(route.src)) problems.push({ path: [...path, 'src'], message: 'src must be an address' });
  });
}

export function checkNodeDevices(node: Node, interfaces: readonly Interface[], problems: Problem[]): void {
  const own = interfacesOf(interfaces, node.name);
  const names = new Set(['lo', ...own.map((i) => i.name)]);
  const bridges = new Set(own.filter((i) => i.kind === 'bridge').map((i) => i.name));
  for (const vx of own.filter((i) => i.kind === 'vxlan')) {
    const path = ['nodes', node.name, 'vxlans', vx.name];
    if (vx.vxlan?.dev !== undefined && vx.createdIn === undefined && !names.has(vx.vxlan.dev)) problems.push({ path: [...path, 'dev'], message: `node ${node.name} has no interface ${vx.vxlan.dev}`, hint: unknownHint('its interfaces', vx.vxlan.dev, names) });
    if (vx.master !== undefined && !bridges.has(vx.master)) problems.push({ path: [...path, 'bridge'], message: `node ${node.name} has no bridge ${vx.master}`, hint: bridges.size ? unknownHint('its bridges', vx.master, bridges) : 'declare it under nodes.<node>.bridges' });
  }
  node.neighbors.forEach((n, i) => {
    if (!names.has(n.dev)) problems.push({ path: ['nodes', node.name, 'neighbors', i, 'dev'], message: `node ${node.name} has no interface ${n.dev}`, hint: unknownHint('its interfaces', n.dev, names) });
  });
  node.fdb.forEach((f, i) => {
    if (!names.has(f.dev)) problems.push({ path: ['nodes', node.name, 'fdb', i, 'dev'], message: `node ${node.name} has no interface ${f.dev}`, hint: unknownHint('its interfaces', f.dev, names) });
  });
  const ports = new Map<string, number>();
  node.services.forEach((s, i) => {
    if (s.kind === 'pause') return;
    const key = `${s.address ?? '*'}:${s.port}`;
    if (ports.has(key)) problems.push({ path: ['nodes', node.name, 'services', i], message: `port ${s.port} is already served in ${node.name} (services[${ports.get(key)}])` });
    else ports.set(key, i);
  });
}

function formatAt(path: readonly PropertyKey[] | undefined): string {
  return (path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}
