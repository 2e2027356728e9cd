import type { Lab } from '../../model/types.js';

/**
 * A fix command acts inside one of the lab's namespaces, or it is not printed: `ip -n NS` or
 * `bridge -n NS` on link/addr/route/rule/neigh/fdb objects, or `ip netns exec NS` / `nsenter --net=...`
 * running sysctl (net.* keys) or iptables. Anything else (no namespace, another lab's namespace, a
 * second namespace switch inside) could change the machine or a lab running beside this one.
 */
const IP_OBJECTS = new Set(['link', 'addr', 'address', 'route', 'rule', 'neigh', 'neighbor', 'fdb']);
const FORBIDDEN_WORDS = new Set(['netns', '-n', '-netns', '--netns', '-b', '-batch', '-force', 'exec', 'nsenter']);

export function fixScopeProblem(argv: readonly string[], namespaces: ReadonlySet<string>): string | undefined {
  const [tool, a1 = '', a2 = '', a3 = ''] = argv;
  let ns: string;
  let rest: readonly string[];
  if ((tool === 'ip' || tool === 'bridge') && a1 === '-n') {
    ns = a2;
    rest = argv.slice(3);
    if (!IP_OBJECTS.has(rest[0] ?? '')) return `${tool} -n ${ns} ${rest[0] ?? ''}: only ${[...IP_OBJECTS].join(', ')} objects`;
  } else if (tool === 'ip' && a1 === 'netns' && a2 === 'exec') {
    ns = a3;
    rest = argv.slice(4);
  } else if (tool === 'nsenter' && a1.startsWith('--net=/run/netns/') && a2 === '--') {
    ns = a1.slice('--net=/run/netns/'.length);
    rest = argv.slice(3);
  } else return `not scoped to a lab namespace: ${argv.slice(0, 3).join(' ')}`;
  if (!namespaces.has(ns)) return `${ns} is not a namespace of this lab`;
  if (rest.some((w) => FORBIDDEN_WORDS.has(w))) return `a second namespace switch or batch inside: ${rest.join(' ')}`;
  if (tool === 'ip' && a1 === '-n' || tool === 'bridge') return undefined;
  const [cmd, ...args] = rest;
  if (cmd === 'iptables') return undefined;
  if (cmd === 'sysctl' && args[0] === '-w' && args.length === 2 && /^net\.[a-z0-9_.-]+=[0-9 ]+$/.test(args[1] ?? '')) return undefined;
  return `only iptables or sysctl -w net.KEY=VALUE inside a namespace, not ${rest.join(' ')}`;
}

export function labNamespaces(lab: Lab): Set<string> {
  return new Set(lab.nodes.map((n) => n.ns));
}

/** Keep only commands scoped to the lab; a diagnosis never prints one that is not. */
export function scopedCommands(lab: Lab, commands: readonly (readonly string[])[]): { ok: (readonly string[])[]; refused: string[] } {
  const namespaces = labNamespaces(lab);
  const ok: (readonly string[])[] = [];
  const refused: string[] = [];
  for (const c of commands) {
    const problem = fixScopeProblem(c, namespaces);
    if (problem) refused.push(problem);
    else ok.push(c);
  }
  return { ok, refused };
}
