import type { Check, Lab, Node, Service } from '../../model/types.js';
import { isIp } from '../../schema/ip-text.js';

// an IPv4 address standing alone in a token: not inside a longer number or dotted run
const IPV4 = /(?<![0-9.])\d{1,3}(?:\.\d{1,3}){3}(?![0-9])/g;
const ipsIn = (text: string) => (text.match(IPV4) ?? []).filter(isIp);
const hostOf = (cidr: string) => cidr.split('/')[0] as string;

/**
 * Every IPv4 address the lab's model gives a job: its interfaces, loopbacks, routes, neighbours, fdb and
 * VXLAN ends, firewall rules, files, services and DNS records, and the addresses its checks send to.
 * Text a person reads (descriptions, notes, names, page bodies, a check's expected match) is not looked at.
 */
export function labAddresses(lab: Lab): Set<string> {
  const out = new Set<string>();
  const add = (...ips: (string | undefined)[]) => ips.forEach((ip) => ip && ipsIn(ip).forEach((a) => out.add(a)));
  for (const i of lab.interfaces) add(...i.addresses.map(hostOf), i.vxlan?.local, i.vxlan?.remote, ...Object.values(i.brd ?? {}));
  for (const n of lab.nodes) nodeAddresses(n, add);
  for (const c of lab.checks) checkAddresses(c, add);
  return out;
}

function nodeAddresses(n: Node, add: (...ips: (string | undefined)[]) => void): void {
  add(...n.loopbackAddresses.map(hostOf));
  for (const r of n.routes) add(hostOf(r.to), r.via, r.src);
  add(...n.neighbors.map((x) => x.address), ...n.fdb.map((x) => x.dst));
  for (const t of n.firewall) add(...t.rules.flat());
  add(...n.files.map((f) => f.content));
  for (const s of n.services) serviceAddresses(s, add);
}

function serviceAddresses(s: Service, add: (...ips: (string | undefined)[]) => void): void {
  if (s.kind === 'dns') add(s.address, ...s.upstream, ...s.records.flatMap((r) => r.addresses), ...s.local);
  if (s.kind === 'proxy') add(s.address, s.to);
  if (s.kind === 'http') add(s.address);
}

/** a check's own fields that hold addresses (to, url, expected answers, a rule...), not its name nor its expected text */
function checkAddresses(c: Check, add: (...ips: (string | undefined)[]) => void): void {
  const skip = new Set(['name', 'match', 'body', 'kind', 'from', 'fromNs', 'expect']);
  const walk = (v: unknown): void => {
    if (typeof v === 'string') add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => !skip.has(k) && walk(x));
  };
  walk(c);
}
