import type { CaptureCheck, Check, DnsCheck, PingCheck } from '../model/types.js';
import type { Command } from '../exec/executor.js';
import { isIp } from '../schema/ip-text.js';
import { scaleMs } from '../timeout-scale.js';
import { findOnPath } from '../exec/preflight.js';
import { NETLAB_PROBE_BIN } from '../paths.js';
import { probeScript } from './probe-script.js';

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

/** the node's resolver, asked once per server with a 1-second timeout (RES_OPTIONS overrides resolv.conf's options) */
/** one try per server, 1 s (times NETLAB_TIMEOUT_SCALE, the emulator's time in a VM) */
export function resolverOptions(): string {
  return `timeout:${Math.min(30, Math.ceil(scaleMs(1000) / 1000))} attempts:1`;
}

/** Resolve a host name the way programs in the node do (hosts file, resolv.conf, search list), without root. */
export function getentArgv(ns: string, database: 'ahosts' | 'ahostsv4' | 'ahostsv6', name: string): string[] {
  return withEtc(ns, [...UNPRIVILEGED, 'getent', database, name]);
}

/** Outcomes that are silence: a check expecting one proves nothing answered within the lab's wait. */
const SILENCE = new Set(['timeout', 'no-reply', 'not-seen', 'absent']);

/**
 * The lab's wait for an answer (a check's `timeout`), in seconds. Grown by NETLAB_TIMEOUT_SCALE
 * unless the check expects silence: waiting longer for an answer that comes proves the same thing,
 * and under an emulator the answering process may simply be late; a wait for silence stays the lab's.
 */
export function answerWait(check: { timeout: number; expect?: unknown }): number {
  return SILENCE.has(String(check.expect)) ? check.timeout : scaleMs(check.timeout * 1000) / 1000;
}

/**
 * A check's `within` (retry until it passes), in seconds: grown like answerWait, since what it waits
 * for (a neighbour entry another check's ping creates, a route) comes later under an emulator; a
 * check expecting silence or absence keeps the lab's window.
 */
export function withinWait(check: { within?: number; expect?: unknown }): number | undefined {
  return check.within === undefined ? undefined : answerWait({ timeout: check.within, expect: check.expect });
}

/** The command that observes a check: argv only, run in (or pointed at) the check's node. */
export function probeCommand(check: Check): Command {
  switch (check.kind) {
    case 'ping': return pingCommand(check);
    case 'tcp':
    case 'http':
    case 'nat': return scriptProbeCommand(nodeProbe(check) as NodeProbe, inPerl(check));
    case 'dns': return dnsCommand(check);
    case 'route':
      return { argv: ['ip', '-n', check.fromNs, '-j', 'route', 'get', check.to], timeoutMs: scaleMs(5000) };
    case 'interface':
      return { argv: ['ip', '-n', check.fromNs, '-j', '-d', 'addr', 'show', 'dev', check.ifname], timeoutMs: scaleMs(5000) };
    case 'sysctl':
      return { argv: netOnly(check.fromNs, ['sysctl', '-n', check.key]), timeoutMs: scaleMs(5000) };
    case 'firewall':
      return { argv: netOnly(check.fromNs, ['iptables-save', '-t', check.table]), timeoutMs: scaleMs(10000) };
    case 'neighbor':
      return { argv: ['ip', '-n', check.fromNs, '-j', 'neigh', 'show', 'to', check.address, ...(check.dev ? ['dev', check.dev] : [])], timeoutMs: scaleMs(5000) };
    case 'capture': return captureCommand(check);
  }
}

function pingCommand(check: PingCheck): Command {
  return {
    argv: toward(check.fromNs, check.to, ['ping', '-n', '-c', String(check.count), '-i', '0.2', '-W', String(answerWait(check)), check.to]),
    timeoutMs: scaleMs((check.count * (check.timeout + 0.2) + 5) * 1000),
  };
}

/**
 * A probe that is a script of netlab's (tcp-probe, http-probe, dns-probe): how it enters the node
 * (`entry`), the script and its arguments. Its command runs it alone; verify runs the Node probes of
 * one node that start together in one Node process (probe-batch.ts, probe-batcher.ts).
 */
export interface NodeProbe {
  readonly entry: readonly string[];
  readonly probe: 'tcp-probe' | 'http-probe' | 'dns-probe';
  readonly args: readonly string[];
  readonly timeoutMs: number;
}

const netEntry = (ns: string) => netOnly(ns, []);
const towardEntry = (ns: string, target: string) => toward(ns, target, []);

let perl: boolean | undefined;

/**
 * tcp and http probes of an IP address run in perl (libexec/netlab-probe: the Node probes' very lines,
 * held side by side in test/integration/perl-probes.test.ts) when perl is installed, as it is wherever
 * labs run (a `labs` tool): it starts in a few ms of CPU where a Node probe took about 100 (issue 17),
 * and verify's forker runs it without a spawn of Node's own. A host name keeps the Node probe, whose
 * deadline covers the lookup. NETLAB_NODE_PROBES=1: the Node probes for everything, as before.
 */
export function perlProbes(): boolean {
  perl ??= process.env.NETLAB_NODE_PROBES !== '1' && findOnPath('perl') !== undefined;
  return perl;
}

/** whether the check's own command is libexec/netlab-probe (perl) */
export const inPerl = (check: Check): boolean => (check.kind === 'tcp' || check.kind === 'http' || check.kind === 'nat') && isIp(check.to) && perlProbes();

/**
 * The check's probe when it is one of netlab's scripts (tcp, http, nat and dns with a server), else
 * undefined: what verify may batch into one Node process per node (probe-batcher.ts decides).
 */
export function nodeProbe(check: Check): NodeProbe | undefined {
  switch (check.kind) {
    case 'tcp':
      return { entry: towardEntry(check.fromNs, check.to), probe: 'tcp-probe', args: [check.to, String(check.port), String(answerWait(check) * 1000)], timeoutMs: scaleMs((check.timeout + 10) * 1000) };
    case 'http':
    case 'nat': {
      const requests = check.kind === 'http' ? check.requests : 1;
      return { entry: towardEntry(check.fromNs, check.to), probe: 'http-probe', args: [check.url, String(requests), String(answerWait(check) * 1000)], timeoutMs: scaleMs((requests * check.timeout + 10) * 1000) };
    }
    case 'dns':
      return check.server ? { entry: netEntry(check.fromNs), probe: 'dns-probe', args: [check.server, check.query, check.type ?? 'A', String(answerWait(check) * 1000)], timeoutMs: scaleMs((check.timeout + 10) * 1000) } : undefined;
    default:
      return undefined;
  }
}

function scriptProbeCommand(p: NodeProbe, perlScript = false): Command {
  if (perlScript) return { argv: [...p.entry, 'perl', NETLAB_PROBE_BIN, p.probe === 'tcp-probe' ? 'tcp' : 'http', ...p.args], timeoutMs: p.timeoutMs };
  return { argv: [...p.entry, process.execPath, probeScript(p.probe), ...p.args], timeoutMs: p.timeoutMs };
}

/** Several Node probes entering the node the same way, in one process: probe-batch.ts. */
export function probeBatchCommand(entry: readonly string[], probes: readonly NodeProbe[]): Command {
  const jobs = probes.map((p) => ({ probe: p.probe, args: p.args }));
  return { argv: [...entry, process.execPath, probeScript('probe-batch'), JSON.stringify(jobs)], timeoutMs: Math.max(...probes.map((p) => p.timeoutMs)) };
}

/** With a server: ask it directly (like dig). Without: the node's resolver, hosts file and search list (getent). */
function dnsCommand(check: DnsCheck): Command {
  const probe = nodeProbe(check);
  if (probe) return scriptProbeCommand(probe);
  const database = check.type === 'A' ? 'ahostsv4' : check.type === 'AAAA' ? 'ahostsv6' : 'ahosts';
  // glibc's defaults (5 s a try, 2 tries, per search domain) made a name nobody answers take 30-40 s
  // over a check's 3 attempts; the answer is the same with one 1-second try per server.
  return { argv: getentArgv(check.fromNs, database, check.query), timeoutMs: scaleMs(30000), env: { RES_OPTIONS: resolverOptions() } };
}

export function tcpdumpArgv(check: CaptureCheck): string[] {
  return netOnly(check.fromNs, ['tcpdump', '-l', '-n', '--immediate-mode', '-i', check.ifname, '-c', String(check.count), '--', check.filter]);
}

function captureCommand(check: CaptureCheck): Command {
  const trigger = probeCommand(check.trigger);
  // listenMs, stopMs: how long tcpdump may take to start listening and to exit (netlab's own waits)
  const job = { ifname: check.ifname, tcpdump: tcpdumpArgv(check), trigger: trigger.argv, triggerTimeoutMs: trigger.timeoutMs ?? scaleMs(30000), lingerMs: answerWait(check) * 1000, listenMs: scaleMs(5000), stopMs: scaleMs(2000) };
  // capture-probe spawns tcpdump and its trigger itself, so it lives in exec/, the one place that spawns
  return { argv: [process.execPath, probeScript('capture-probe'), JSON.stringify(job)], timeoutMs: job.triggerTimeoutMs + job.lingerMs + job.listenMs + job.stopMs + scaleMs(8000) };
}

/** The programs a check needs beyond `ip` and node; a check whose tool is missing is skipped, not passed. */
export function toolsOf(check: Check): string[] {
  switch (check.kind) {
    case 'ping': return ['ping'];
    case 'dns': return check.server ? [] : ['getent', 'setpriv'];
    case 'sysctl': return ['sysctl'];
    case 'firewall': return ['iptables-save'];
    case 'capture': return ['tcpdump', ...toolsOf(check.trigger)];
    case 'tcp':
    case 'http':
    case 'nat': return inPerl(check) ? ['perl'] : [];
    default: return [];
  }
}
