import { fdbProblem } from './fdb-fix-args.js';
import { FIX_IFNAME as IFNAME } from './fix-words.js';

/**
 * The `bridge -n NS ...` commands a diagnosis may print, word for word (rule 4: an allow-list for what
 * reaches a root process): an fdb entry put back or deleted (fdb-fix-args.ts), a port's state or isolation put back, a VLAN put back
 * on a port. `dev` must be a device of that namespace when the lab's devices are known.
 */
const VID = /^[0-9]{1,4}$/;

export function bridgeArgsProblem(rest: readonly string[], devices: ReadonlySet<string> | undefined): string | undefined {
  const [object, verb, ...args] = rest;
  const shape = object === 'fdb' ? fdbProblem(verb, args) : object === 'link' ? linkProblem(verb, args) : object === 'vlan' ? vlanProblem(verb, args) : `bridge ${object ?? ''}: only fdb, link set and vlan add/del`;
  if (shape) return shape;
  const dev = args[args.indexOf('dev') + 1];
  if (devices && (dev === undefined || !devices.has(dev))) return `${dev ?? '(no dev)'} is not a device of that namespace`;
  return undefined;
}

/** a bridge port's flags as the kernel makes a port (which the lab never changes), and state 3 (forwarding) */
const PORT_PAIRS = ['isolated off', 'state 3', 'learning on', 'flood on', 'mcast_flood on', 'bcast_flood on', 'hairpin off', 'neigh_suppress off'];

/** link set dev IF, then what a diagnosis puts back: a port's default flags, state 3 */
function linkProblem(verb: string | undefined, args: readonly string[]): string | undefined {
  const [dev, ifname = '', ...flags] = args;
  if (verb !== 'set' || dev !== 'dev' || !IFNAME.test(ifname)) return 'bridge link: only set dev IF';
  const allowed = PORT_PAIRS;
  const pairs = flags.flatMap((f, i) => (i % 2 === 0 ? [`${f} ${flags[i + 1] ?? ''}`] : []));
  if (!pairs.length || pairs.some((p) => !allowed.includes(p))) return `bridge link set: only ${allowed.join(', ')}, not ${flags.join(' ') || 'nothing'}`;
  return undefined;
}

/** vlan add|del dev IF vid N [pvid] [untagged] [master|self] */
function vlanProblem(verb: string | undefined, args: readonly string[]): string | undefined {
  const [dev, ifname = '', vid, n = '', ...flags] = args;
  if (verb !== 'add' && verb !== 'del') return `bridge vlan ${verb ?? ''}: only add or del`;
  if (dev !== 'dev' || !IFNAME.test(ifname) || vid !== 'vid' || !VID.test(n) || Number(n) < 1 || Number(n) > 4094) return 'bridge vlan: dev IF vid 1-4094';
  const order = ['pvid', 'untagged', 'master', 'self'];
  let at = -1;
  for (const f of flags) {
    const i = order.indexOf(f);
    if (i <= at || (f === 'self' && flags.includes('master'))) return `bridge vlan: only pvid, untagged, master or self after the vid, not ${flags.join(' ')}`;
    at = i;
  }
  return undefined;
}
