import type { DnsService, HttpService, Service } from '../model/types.js';

/** The `netlab` program as a learner types it; executors replace it with this installation's path. */
import { NETLAB } from '../render/argv.js';

/** The command that runs a service in the foreground, as typed after `ip netns exec NS`. Pure. */
export function serviceCommand(s: Service): string[] {
  switch (s.kind) {
    case 'http':
      return httpArgv(s);
    case 'dns':
      return dnsmasqArgv(s);
    case 'pause':
      return [NETLAB, 'serve', 'pause', '--node', s.node];
  }
}

function httpArgv(s: HttpService): string[] {
  const defaultBody = `hello from ${s.node}\n`;
  return [
    NETLAB, 'serve', 'http', '--node', s.node, '--port', String(s.port),
    ...(s.address ? ['--address', s.address] : []),
    ...(s.body !== defaultBody ? ['--body', s.body] : []),
  ];
}

/**
 * dnsmasq in the foreground (-k), no config file, no pid file, logging to stderr so readiness and
 * queries show in the service log. It reads /etc/hosts, which `ip netns exec` bind-mounts from
 * /etc/netns/<node>/hosts.
 */
export function dnsmasqArgv(s: DnsService): string[] {
  return [
    'dnsmasq', '-k', '-C', '/dev/null', '--pid-file=', '--log-facility=-', '--no-resolv', '--bind-interfaces',
    `--listen-address=${s.address}`,
    ...(s.port !== 53 ? [`--port=${s.port}`] : []),
    ...(s.hosts ? [] : ['--no-hosts']),
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
      // after the sockets are bound ("started") and the hosts file is read
      return s.hosts ? /read \/etc\/hosts|failed to load names from \/etc\/hosts/ : /started, version/;
    case 'pause':
      return /holding the network namespace/;
  }
}

/** Programs a service needs on the machine (netlab itself is always there). */
export function serviceTools(s: Service): string[] {
  return s.kind === 'dns' ? ['dnsmasq'] : [];
}
