import type { DnsService, Lab } from '../../model/types.js';
import type { Executor } from '../../exec/executor.js';
import { UNPRIVILEGED } from '../probes.js';
import { isIp } from '../../schema/ip-text.js';
import { ownerOf, type Facts } from './facts.js';
import { causes } from './causes.js';
import type { Diagnosis } from './diagnosis.js';
import { scopeOf, tracePath } from './trace.js';
import { labAddresses } from './lab-addresses.js';

/**
 * Why a name does not resolve in a node the way its programs resolve it (getent): its resolv.conf or
 * hosts file is not the lab's, or the server resolv.conf names cannot be reached or does not answer.
 */
export async function resolverFinding(lab: Lab, check: { from: string; query: string; addresses?: readonly string[] }, facts: Facts, executor: Executor): Promise<Diagnosis | undefined> {
  const s = scopeOf(lab);
  const node = lab.nodes.find((n) => n.name === check.from);
  if (!node) return undefined;
  const declared = (name: string) => node.files.find((f) => f.name === name)?.content;
  const wantHosts = declared('hosts');
  if (wantHosts !== undefined) {
    const got = await readLabFile(executor, node.ns, 'hosts');
    if (!sameFile(got, wantHosts)) return causes.hosts_file_wrong(s, node.name, wantHosts, got);
  } else {
    const hand = await handWrittenHostsFinding(lab, node.name, check.query, executor, (a) => check.addresses?.includes(a) ?? false);
    if (hand) return hand;
  }
  const wantResolv = declared('resolv.conf');
  const resolv = wantResolv !== undefined ? await readLabFile(executor, node.ns, 'resolv.conf') : undefined;
  if (wantResolv !== undefined && !sameFile(resolv, wantResolv)) return causes.resolv_conf_wrong(s, node.name, wantResolv, resolv);
  const server = /^\s*nameserver\s+(\S+)/m.exec(resolv ?? wantResolv ?? '')?.[1];
  if (!server || !isIp(server)) return undefined;
  const found = await serverFinding(lab, facts, executor, node.name, server, `${node.name}$ cat /etc/resolv.conf: nameserver ${server}`);
  if (found) return found;
  if (found === undefined) return undefined;
  // the server answers: what it does not know it asks its upstreams (dnsmasq server=), which must answer too
  const at = ownerOf(lab, server)?.node;
  const service = lab.nodes.find((n) => n.name === at)?.services.find((x): x is DnsService => x.kind === 'dns' && (x.address === server || x.address === '0.0.0.0'));
  for (const upstream of service?.upstream ?? []) {
    if (!isIp(upstream) || !at) continue;
    const far = await serverFinding(lab, facts, executor, at, upstream, `${at}: dnsmasq asks its upstream ${upstream}`);
    if (far) return far;
  }
  return undefined;
}

/**
 * A file the lab writes for the node, read as nobody from the lab's /etc/netns/<ns>/ (not through `ip netns exec`,
 * which shows the machine's /etc file where the lab's is gone); undefined: it is gone.
 */
async function readLabFile(executor: Executor, ns: string, name: 'hosts' | 'resolv.conf'): Promise<string | undefined> {
  const r = await executor.run({ argv: [...UNPRIVILEGED, 'cat', `/etc/netns/${ns}/${name}`], timeoutMs: 5000 });
  return r.exitCode === 0 ? r.stdout : undefined;
}

const lines = (text: string) => text.trim().split('\n').map((l) => l.trim()).join('\n');
const sameFile = (got: string | undefined, want: string) => got !== undefined && lines(got) === lines(want);

/**
 * A name a check reaches by resolved to an address its lab-written hosts file does not give it: the file
 * differs from the lab's (edited, emptied, deleted) and either it maps the name now or the lab's did. That
 * file, not the way to the address it resolved to.
 */
export async function labHostsFinding(lab: Lab, at: string, name: string, resolved: string, executor: Executor): Promise<Diagnosis | undefined> {
  const node = lab.nodes.find((n) => n.name === at);
  const want = node?.files.find((f) => f.name === 'hosts')?.content;
  if (!node || want === undefined) return undefined;
  const got = await readLabFile(executor, node.ns, 'hosts');
  if (sameFile(got, want)) return undefined;
  const labLine = hostsLineFor(want, name);
  if (labLine === undefined && (got === undefined || hostsLineFor(got, name) === undefined)) return undefined;
  return labLine?.address === resolved ? undefined : causes.hosts_file_wrong(scopeOf(lab), node.name, want, got);
}

/**
 * A hosts file the lab does not write for the node, written by hand into the lab's /etc/netns/<ns>/
 * (without one the node reads the machine's /etc/hosts: not the lab's business), one line of which maps
 * `name` to an address that is not `expected`. Read as nobody, from the lab's directory.
 */
export async function handWrittenHostsFinding(lab: Lab, at: string, name: string, executor: Executor, expected: (address: string) => boolean): Promise<Diagnosis | undefined> {
  const node = lab.nodes.find((n) => n.name === at);
  if (!node || node.files.some((f) => f.name === 'hosts')) return undefined;
  const r = await executor.run({ argv: [...UNPRIVILEGED, 'cat', `/etc/netns/${node.ns}/hosts`], timeoutMs: 5000 });
  const line = r.exitCode === 0 ? hostsLineFor(r.stdout, name) : undefined;
  return line && !expected(line.address) ? causes.hosts_line(scopeOf(lab), node.name, name, line.n, line.text) : undefined;
}

/** Does the lab give this address a job (an interface, a route, a firewall rule, a DNS record, a file, a check)? Its prose does not count. */
export function labNamesAddress(lab: Lab, ip: string): boolean {
  return labAddresses(lab).has(ip);
}

/** The way from `from` to a DNS server and back, and something listening there; null: all is well. */
async function serverFinding(lab: Lab, facts: Facts, executor: Executor, from: string, server: string, why: string): Promise<Diagnosis | null | undefined> {
  const s = scopeOf(lab);
  const owner = ownerOf(lab, server);
  const trace = await tracePath(lab, facts, from, server, { proto: 'udp', dport: 53, returnPath: true });
  if (trace.finding) return trace.finding;
  const at = trace.hops.at(-1)?.node ?? owner?.node;
  if (!at) return undefined;
  const ns = s.ns(at);
  const r = await executor.run({ argv: ['nsenter', `--net=/run/netns/${ns}`, '--', 'ss', '-lnH', '-u', 'sport', '=', ':53'], timeoutMs: 5000 });
  if (r.exitCode === 0 && r.stdout.trim() === '') return causes.dns_server_down(s, at, 53, [`${at}$ ss -lnuH sport = :53: nothing`, why]);
  return null;
}

/** The first line of a hosts file naming `name` (glibc's files lookup: the name as asked, any case, no search list). */
function hostsLineFor(text: string, name: string): { n: number; text: string; address: string } | undefined {
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const [address, ...names] = (raw.split('#')[0] ?? '').trim().split(/\s+/);
    if (address && isIp(address) && !address.includes(':') && names.some((x) => x.toLowerCase() === name.toLowerCase())) return { n: i + 1, text: raw.trim(), address };
  }
  return undefined;
}
