import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import type { CaptureCheck, Check, DnsCheck, HttpCheck, NatCheck, PingCheck, TcpCheck } from '../model/types.js';
import type { Command } from '../exec/executor.js';
import { isIp } from '../schema/ip-text.js';

const script = (name: string) => join(PACKAGE_ROOT, 'dist', 'verify', `${name}.js`);
/** capture-probe spawns tcpdump and its trigger itself, so it lives in exec/, the one place that spawns */
const execScript = (name: string) => join(PACKAGE_ROOT, 'dist', 'exec', `${name}.js`);

/**
 * Probes enter the node's network namespace only (nsenter --net): `ip netns exec` also bind-mounts
 * /etc/netns/<ns>/, which a lab file writes, over /etc. Only a probe that resolves a host name needs
 * the node's hosts and resolv.conf; it runs with `ip netns exec`, and getent without root.
 */
const netOnly = (ns: string, argv: readonly string[]) => ['nsenter', `--net=/run/netns/${ns}`, '--', ...argv];
const withEtc = (ns: string, argv: readonly string[]) => ['ip', 'netns', 'exec', ns, ...argv];
const toward = (ns: string, target: string, argv: readonly string[]) => (isIp(target) ? netOnly(ns, argv) : withEtc(ns, argv));
/** getent reads the user databases' configuration (nsswitch.conf): give it no privileges to lose */
export const UNPRIVILEGED = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

/** Resolve a host name the way programs in the node do (hosts file, resolv.conf, search list), without root. */
export function getentArgv(ns: string, database: 'ahosts' | 'ahostsv4' | 'ahostsv6', name: string): string[] {
  return withEtc(ns, [...UNPRIVILEGED, 'getent', database, name]);
}

/** The command that observes a check: argv only, run in (or pointed at) the check's node. */
export function probeCommand(check: Check): Command {
  switch (check.kind) {
    case 'ping': return pingCommand(check);
    case 'tcp': return tcpCommand(check);
    case 'http': return httpCommand(check, check.requests);
    case 'nat': return httpCommand(check, 1);
    case 'dns': return dnsCommand(check);
    case 'route':
      return { argv: ['ip', '-n', check.fromNs, '-j', 'route', 'get', check.to], timeoutMs: 5000 };
    case 'interface':
      return { argv: ['ip', '-n', check.fromNs, '-j', '-d', 'addr', 'show', 'dev', check.ifname], timeoutMs: 5000 };
    case 'sysctl':
      return { argv: netOnly(check.fromNs, ['sysctl', '-n', check.key]), timeoutMs: 5000 };
    case 'firewall':
      return { argv: netOnly(check.fromNs, ['iptables-save', '-t', check.table]), timeoutMs: 10000 };
    case 'neighbor':
      return { argv: ['ip', '-n', check.fromNs, '-j', 'neigh', 'show', 'to', check.address, ...(check.dev ? ['dev', check.dev] : [])], timeoutMs: 5000 };
    case 'capture': return captureCommand(check);
  }
}

function pingCommand(check: PingCheck): Command {
  return {
    argv: toward(check.fromNs, check.to, ['ping', '-n', '-c', String(check.count), '-i', '0.2', '-W', String(check.timeout), check.to]),
    timeoutMs: (check.count * (check.timeout + 0.2) + 5) * 1000,
  };
}

function tcpCommand(check: TcpCheck): Command {
  return {
    argv: toward(check.fromNs, check.to, [process.execPath, script('tcp-probe'), check.to, String(check.port), String(check.timeout * 1000)]),
    timeoutMs: (check.timeout + 10) * 1000,
  };
}

function httpCommand(check: HttpCheck | NatCheck, requests: number): Command {
  return {
    argv: toward(check.fromNs, check.to, [process.execPath, script('http-probe'), check.url, String(requests), String(check.timeout * 1000)]),
    timeoutMs: (requests * check.timeout + 10) * 1000,
  };
}

/** With a server: ask it directly (like dig). Without: the node's resolver, hosts file and search list (getent). */
function dnsCommand(check: DnsCheck): Command {
  if (check.server) {
    return {
      argv: netOnly(check.fromNs, [process.execPath, script('dns-probe'), check.server, check.query, check.type ?? 'A', String(check.timeout * 1000)]),
      timeoutMs: (check.timeout + 10) * 1000,
    };
  }
  const database = check.type === 'A' ? 'ahostsv4' : check.type === 'AAAA' ? 'ahostsv6' : 'ahosts';
  return { argv: getentArgv(check.fromNs, database, check.query), timeoutMs: 30000 };
}

export function tcpdumpArgv(check: CaptureCheck): string[] {
  return netOnly(check.fromNs, ['tcpdump', '-l', '-n', '--immediate-mode', '-i', check.ifname, '-c', String(check.count), '--', check.filter]);
}

function captureCommand(check: CaptureCheck): Command {
  const trigger = probeCommand(check.trigger);
  const job = { ifname: check.ifname, tcpdump: tcpdumpArgv(check), trigger: trigger.argv, triggerTimeoutMs: trigger.timeoutMs ?? 30000, lingerMs: check.timeout * 1000 };
  return { argv: [process.execPath, execScript('capture-probe'), JSON.stringify(job)], timeoutMs: job.triggerTimeoutMs + job.lingerMs + 15000 };
}

/** The programs a check needs beyond `ip` and node; a check whose tool is missing is skipped, not passed. */
export function toolsOf(check: Check): string[] {
  switch (check.kind) {
    case 'ping': return ['ping'];
    case 'dns': return check.server ? [] : ['getent', 'setpriv'];
    case 'sysctl': return ['sysctl'];
    case 'firewall': return ['iptables-save'];
    case 'capture': return ['tcpdump', ...toolsOf(check.trigger)];
    default: return [];
  }
}
