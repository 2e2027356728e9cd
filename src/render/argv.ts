import type { Route } from '../model/types.js';
import type { LinkSetting, Step } from '../compile/step.js';
import { etcNetnsPath } from '../compile/step.js';
import { netnsOnly, serviceCommand } from './service-argv.js';

export { NETLAB, NETLAB_SERVE } from './service-argv.js';

/** Step -> argv exactly as a learner would type it. Pure. */
export function toArgv(step: Step): readonly string[] {
  switch (step.kind) {
    case 'netns.add':
      return ['ip', 'netns', 'add', step.ns];
    case 'sysctl.set':
      return ['ip', 'netns', 'exec', step.ns, 'sysctl', '-w', `${step.key}=${step.value}`];
    case 'iptables.policy':
      return [...inNs(step.ns), 'iptables', '-t', step.table, '-P', step.chain, step.policy];
    case 'iptables.chain':
      return [...inNs(step.ns), 'iptables', '-t', step.table, '-N', step.chain];
    case 'iptables.rule':
      return [...inNs(step.ns), 'iptables', '-t', step.table, ...step.rule];
    case 'fdb.append':
      return ['bridge', '-n', step.ns, ...toBatchLine(step)];
    case 'file.mkdir':
      return ['mkdir', '-p', etcNetnsPath(step.ns)];
    case 'file.write':
      return ['tee', etcNetnsPath(step.ns, step.name)];
    case 'service.start':
      return [...netnsOnly(step.ns), ...serviceArgv(step)];
    default:
      return ['ip', '-n', step.ns, ...toBatchLine(step)];
  }
}

function inNs(ns: string): string[] {
  return ['ip', 'netns', 'exec', ns];
}

/** The part of an `ip -n NS ...` or `bridge -n NS ...` command that goes on one line of a `-batch` file. */
export function toBatchLine(step: Step): string[] {
  switch (step.kind) {
    case 'link.add-bridge':
      return ['link', 'add', 'name', step.name, 'type', 'bridge'];
    case 'link.add-veth':
      return ['link', 'add', 'name', step.name, 'type', 'veth', 'peer', 'name', step.peer, 'netns', step.peerNs];
    case 'link.add-vxlan':
      return [
        'link', 'add', 'name', step.name, ...(step.netns ? ['netns', step.netns] : []), 'type', 'vxlan', 'id', String(step.id),
        ...(step.local ? ['local', step.local] : []),
        ...(step.remote ? ['remote', step.remote] : []),
        ...(step.dev ? ['dev', step.dev] : []),
        'dstport', String(step.dstport),
        ...(step.learning ? [] : ['nolearning']),
        ...(step.proxy ? ['proxy'] : []),
      ];
    case 'link.add-macvlan':
      return ['link', 'add', 'link', step.link, 'name', step.name, ...(step.netns ? ['netns', step.netns] : []), 'type', 'macvlan', 'mode', step.mode];
    case 'link.set':
      return ['link', 'set', 'dev', step.dev, ...linkSetting(step.set)];
    case 'addr.add':
      return ['addr', 'add', step.cidr, ...(step.brd !== undefined ? ['brd', step.brd] : []), 'dev', step.dev];
    case 'route.add':
      return ['route', 'add', ...routeArgs(step.route)];
    case 'neigh.add':
      return ['neigh', 'add', step.address, 'lladdr', step.lladdr, 'dev', step.dev, 'nud', 'permanent'];
    case 'fdb.append':
      return ['fdb', 'append', step.lladdr, 'dev', step.dev, 'dst', step.dst];
    case 'netns.add':
      return ['netns', 'add', step.ns];
    default:
      throw new Error(`${step.kind} has no batch line`);
  }
}

function linkSetting(set: LinkSetting): string[] {
  if ('mtu' in set) return ['mtu', String(set.mtu)];
  if ('mac' in set) return ['address', set.mac];
  if ('master' in set) return ['master', set.master];
  if ('name' in set) return ['name', set.name];
  return ['up'];
}

function routeArgs(r: Route): string[] {
  return [
    r.to,
    ...(r.via ? ['via', r.via] : []),
    ...(r.dev ? ['dev', r.dev] : []),
    ...(r.onlink ? ['onlink'] : []),
    ...(r.src ? ['src', r.src] : []),
    ...(r.scope ? ['scope', r.scope] : []),
    ...(r.proto ? ['proto', r.proto] : []),
    ...(r.metric !== undefined ? ['metric', String(r.metric)] : []),
  ];
}

function serviceArgv(step: Extract<Step, { kind: 'service.start' }>): string[] {
  return serviceCommand(step.service);
}

/** Standard input a step's command reads, if any. */
export function stdinOf(step: Step): string | undefined {
  return step.kind === 'file.write' ? step.content : undefined;
}
