import { bridgeArgsProblem } from './bridge-fix-args.js';
import { neighArgsProblem } from './neigh-fix-args.js';
import { FIX_IFNAME as IF } from './fix-words.js';
import type { Lab } from '../../model/types.js';

/**
 * A fix command acts inside one of the lab's namespaces, or it is not printed: `ip -n NS` or
 * `bridge -n NS` on link/addr/route/rule/neigh/fdb/vlan objects, or `ip netns exec NS` / `nsenter --net=...`
 * running sysctl (net.* keys) or iptables. Anything else (no namespace, another lab's namespace, a
 * second namespace switch inside) could change the machine or a lab running beside this one.
 */
const OBJECTS: Readonly<Record<string, ReadonlySet<string>>> = { ip: new Set(['link', 'addr', 'address', 'route', 'rule', 'neigh', 'neighbor']), bridge: new Set(['link', 'fdb', 'vlan']) };
const FORBIDDEN_WORDS = new Set(['netns', '-n', '-netns', '--netns', '-b', '-batch', '-force', 'exec', 'nsenter']);

/**
 * A fix command's problem: not scoped to the lab (scopeProblem), or a `bridge` or `ip neigh` command other
 * than the ones a diagnosis prints (bridge-fix-args.ts, neigh-fix-args.ts); `devices`: each namespace's devices, when known.
 */
export function fixScopeProblem(argv: readonly string[], namespaces: ReadonlySet<string>, devices?: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  const scope = scopeProblem(argv, namespaces);
  if (!scope && argv[0] === 'ip' && argv[1] === '-n' && (argv[3] === 'neigh' || argv[3] === 'neighbor')) return neighArgsProblem(argv.slice(4));
  if (scope || argv[0] !== 'bridge') return scope;
  return bridgeArgsProblem(argv.slice(3), devices?.get(argv[2] ?? '') ?? (devices ? new Set() : undefined));
}

/** A command acting inside one of the lab's namespaces only (what a learner's breakage may do as well as a fix). */
export function scopeProblem(argv: readonly string[], namespaces: ReadonlySet<string>): string | undefined {
  const [tool, a1 = '', a2 = '', a3 = ''] = argv;
  let ns: string;
  let rest: readonly string[];
  if ((tool === 'ip' || tool === 'bridge') && a1 === '-n') {
    ns = a2;
    rest = argv.slice(3);
    const objects = OBJECTS[tool] ?? new Set<string>();
    if (!objects.has(rest[0] ?? '')) return `${tool} -n ${ns} ${rest[0] ?? ''}: only ${[...objects].join(', ')} objects`;
  } else if (tool === 'ip' && a1 === 'netns' && a2 === 'exec') {
    ns = a3;
    rest = argv.slice(4);
  } else if (tool === 'nsenter' && a1.startsWith('--net=/run/netns/') && a2 === '--') {
    ns = a1.slice('--net=/run/netns/'.length);
    rest = argv.slice(3);
  } else return `not scoped to a lab namespace: ${argv.slice(0, 3).join(' ')}`;
  if (!namespaces.has(ns)) return `${ns} is not a namespace of this lab`;
  if (tool === 'ip' && isMoveBack(rest)) return namespaces.has(rest[5] ?? '') ? undefined : `${rest[5] ?? ''} is not a namespace of this lab`;
  if (rest.some((w) => FORBIDDEN_WORDS.has(w))) return `a second namespace switch or batch inside: ${rest.join(' ')}`;
  if (tool === 'ip' && a1 === '-n' || tool === 'bridge') return undefined;
  const [cmd, ...args] = rest;
  if (cmd === 'iptables') return undefined;
  if (cmd === 'sysctl' && args[0] === '-w' && args.length === 2 && /^net\.[a-z0-9_.-]+=[0-9 ]+$/.test(args[1] ?? '')) return undefined;
  return `only iptables or sysctl -w net.KEY=VALUE inside a namespace, not ${rest.join(' ')}`;
}

/** `link set dev IF netns NS [name IF]`: a lab device moved back into its namespace (NS checked by the caller) */
function isMoveBack(rest: readonly string[]): boolean {
  const [link, set, dev, ifname = '', netns, , name, newName = '', ...more] = rest;
  return link === 'link' && set === 'set' && dev === 'dev' && IF.test(ifname) && netns === 'netns' && more.length === 0
    && (name === undefined || (name === 'name' && IF.test(newName)));
}

export function labNamespaces(lab: Lab): Set<string> {
  return new Set(lab.nodes.map((n) => n.ns));
}

/** Keep only commands scoped to the lab; a diagnosis never prints one that is not. */
export function scopedCommands(lab: Lab, commands: readonly (readonly string[])[]): { ok: (readonly string[])[]; refused: string[] } {
  const namespaces = labNamespaces(lab);
  const devices = new Map<string, Set<string>>();
  for (const i of lab.interfaces) devices.set(i.ns, (devices.get(i.ns) ?? new Set()).add(i.name));
  const ok: (readonly string[])[] = [];
  const refused: string[] = [];
  for (const c of commands) {
    const problem = fixScopeProblem(c, namespaces, devices);
    if (problem) refused.push(problem);
    else ok.push(c);
  }
  return { ok, refused };
}
