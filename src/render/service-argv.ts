import type { DnsService, HttpService, ProxyService, Service } from '../model/types.js';
import { etcNetnsPath } from '../compile/step.js';

/** The `netlab` program as a learner types it; executors replace it with this installation's path. */
export const NETLAB = 'netlab';

/**
 * netlab's service program (libexec/netlab-serve, installed on PATH with netlab): the http responder,
 * tcp proxy and pause of `netlab serve`, the same argv and behaviour, written in perl (perl-base) so a
 * service costs a perl start (about 6 ms of CPU) instead of a Node start (about 74 ms; issue 17).
 * Executors run this installation's copy with perl.
 */
export const NETLAB_SERVE = 'netlab-serve';

/**
 * How a service enters its node: the network namespace only. `ip netns exec` would also bind-mount
 * /etc/netns/<ns>/ over /etc, which a lab file writes; netlab's own root daemons do not need that.
 */
export function netnsOnly(ns: string): string[] {
  return ['nsenter', `--net=/run/netns/${ns}`, '--'];
}

/** Whether a service runs netlab's own program, netlab-serve (a script of the plan then needs it on PATH). */
export function needsNetlab(s: Service): boolean {
  return s.kind !== 'dns';
}

/** The command that runs a service in the foreground, as typed after `nsenter --net=/run/netns/NS --`. Pure. */
export function serviceCommand(s: Service): string[] {
  switch (s.kind) {
    case 'http':
      return httpArgv(s);
    case 'dns':
      return dnsmasqArgv(s);
    case 'pause':
      return [NETLAB_SERVE, 'pause', '--node', s.node];
    case 'proxy':
      return proxyArgv(s);
  }
}

/** As docker-proxy is started: -host-ip, -host-port, -container-ip, -container-port. */
function proxyArgv(s: ProxyService): string[] {
  return [
    NETLAB_SERVE, 'proxy', '--node', s.node, '--port', String(s.port), ...(s.address ? ['--address', s.address] : []),
    '--to', s.to, '--to-port', String(s.toPort),
  ];
}

function httpArgv(s: HttpService): string[] {
  const defaultBody = `hello from ${s.node}\n`;
  return [
    NETLAB_SERVE, 'http', '--node', s.node, '--port', String(s.port),
    ...(s.address ? ['--address', s.address] : []),
    ...(s.body !== defaultBody ? ['--body', s.body] : []),
  ];
}

/**
 * dnsmasq in the foreground (-k), no config file, no pid file, logging to stderr so readiness and
 * queries show in the service log. It is started in the network namespace only, so it reads the
 * node's hosts file by its path (--no-hosts: not the machine's /etc/hosts), and it drops root for
 * its default user once its sockets are bound.
 */
export function dnsmasqArgv(s: DnsService): string[] {
  return [
    'dnsmasq', '-k', '-C', '/dev/null', '--pid-file=', '--log-facility=-', '--no-resolv', '--bind-interfaces',
    `--listen-address=${s.address}`,
    ...(s.port !== 53 ? [`--port=${s.port}`] : []),
    '--no-hosts',
    ...(s.hosts ? [`--addn-hosts=${nodeHostsFile(s)}`] : []),
    ...s.local.map((zone) => `--local=/${zone}/`),
    ...s.upstream.map((server) => `--server=${server}`),
    ...s.records.map((r) => `--host-record=${[r.name, ...r.addresses].join(',')}`),
    ...s.cnames.map((c) => `--cname=${c.name},${c.target}`),
    ...(s.logQueries ? ['--log-queries'] : []),
  ];
}

/** What a service prints once it serves: `up` waits for it (a crash or a bind error ends the wait at once). */
export function readyPattern(s: Service): RegExp {
  switch (s.kind) {
    case 'http':
      return /listening on/;
    case 'dns':
      // after the sockets are bound ("started") and the node's hosts file is read (or found missing)
      return s.hosts ? new RegExp(`(read|failed to load names from) ${nodeHostsFile(s).replace(/[.]/g, '\\.')}`) : /started, version/;
    case 'pause':
      return /holding the network namespace/;
    case 'proxy':
      return /listening on/;
  }
}

/** Programs a service needs on the machine (netlab itself is always there). */
export function serviceTools(s: Service): string[] {
  return s.kind === 'dns' ? ['nsenter', 'dnsmasq'] : ['nsenter', 'perl'];
}

/** The node's own hosts file, which `ip netns exec` would show it as /etc/hosts. */
function nodeHostsFile(s: DnsService): string {
  return etcNetnsPath(s.ns, 'hosts');
}
