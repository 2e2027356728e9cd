/** The Debian/Ubuntu package that provides each tool netlab runs, for "install it" hints. No imports: cheap to load. */
const PACKAGES: Readonly<Record<string, string>> = {
  ip: 'iproute2', bridge: 'iproute2', iptables: 'iptables', 'iptables-restore': 'iptables', 'iptables-save': 'iptables',
  ping: 'iputils-ping', sysctl: 'procps', tee: 'coreutils', dnsmasq: 'dnsmasq-base', tcpdump: 'tcpdump', getent: 'libc-bin',
  dig: 'dnsutils', nsenter: 'util-linux', setpriv: 'util-linux', unshare: 'util-linux', xargs: 'findutils',
};

export function packageFor(tool: string): string {
  return PACKAGES[tool] ?? tool;
}
