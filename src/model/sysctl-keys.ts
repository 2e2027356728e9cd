/**
 * The sysctls a lab may set: only keys whose value lives in `struct net` (or in a device of the
 * namespace) on every kernel netlab supports (Debian 12's 6.1, 6.12, and 6.18). Written from inside a
 * lab namespace, any other key would change the whole machine, or fail. Each key carries the kernel
 * fact that makes it per namespace, and the type of its value.
 */
export type SysctlValue =
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  /** two integers separated by one space, low <= high (ip_local_port_range, ping_group_range) */
  | { readonly kind: 'pair'; readonly min: number; readonly max: number };

export interface SysctlKeyInfo {
  readonly value: SysctlValue;
  readonly why: string;
}

const bool: SysctlValue = { kind: 'bool' };
const int = (min: number, max: number): SysctlValue => ({ kind: 'int', min, max });
const INT_MAX = 2147483647;

/** Keys of the namespace itself. */
export const NETNS_SYSCTLS: Readonly<Record<string, SysctlKeyInfo>> = {
  'net.ipv4.ip_forward': { value: bool, why: 'net->ipv4.devconf_all (ipv4_devconf per struct net since 2.6.24)' },
  'net.ipv4.ip_default_ttl': { value: int(1, 255), why: 'net->ipv4.sysctl_ip_default_ttl (ipv4_net_table)' },
  'net.ipv4.ip_local_port_range': { value: { kind: 'pair', min: 1, max: 65535 }, why: 'net->ipv4.ip_local_ports (ipv4_net_table)' },
  'net.ipv4.ip_nonlocal_bind': { value: bool, why: 'net->ipv4.sysctl_ip_nonlocal_bind (ipv4_net_table)' },
  'net.ipv4.ip_unprivileged_port_start': { value: int(0, 65535), why: 'net->ipv4.sysctl_ip_prot_sock (ipv4_net_table, per netns since it was added in 4.11)' },
  'net.ipv4.ping_group_range': { value: { kind: 'pair', min: 0, max: INT_MAX }, why: 'net->ipv4.ping_group_range (ipv4_net_table)' },
  'net.ipv4.icmp_echo_ignore_all': { value: bool, why: 'net->ipv4.sysctl_icmp_echo_ignore_all (ipv4_net_table)' },
  'net.ipv4.icmp_echo_ignore_broadcasts': { value: bool, why: 'net->ipv4.sysctl_icmp_echo_ignore_broadcasts (ipv4_net_table)' },
  'net.ipv4.tcp_syncookies': { value: int(0, 2), why: 'net->ipv4.sysctl_tcp_syncookies (ipv4_net_table)' },
  'net.ipv4.fib_multipath_hash_policy': { value: int(0, 3), why: 'net->ipv4.sysctl_fib_multipath_hash_policy (ipv4_net_table)' },
  'net.core.somaxconn': { value: int(0, INT_MAX), why: 'net->core.sysctl_somaxconn (netns_core_table)' },
  'net.bridge.bridge-nf-call-iptables': { value: bool, why: 'struct brnf_net (net_generic), per netns since 5.3 ("netfilter: bridge: make sysctls per-namespace")' },
  'net.bridge.bridge-nf-call-ip6tables': { value: bool, why: 'struct brnf_net (net_generic), per netns since 5.3 ("netfilter: bridge: make sysctls per-namespace")' },
  'net.bridge.bridge-nf-call-arptables': { value: bool, why: 'struct brnf_net (net_generic), per netns since 5.3 ("netfilter: bridge: make sysctls per-namespace")' },
  'net.netfilter.nf_conntrack_acct': { value: bool, why: 'net->ct.sysctl_acct (nf_conntrack_standalone, per netns table)' },
  'net.netfilter.nf_conntrack_checksum': { value: bool, why: 'net->ct.sysctl_checksum (nf_conntrack_standalone, per netns table)' },
  'net.netfilter.nf_conntrack_tcp_loose': { value: bool, why: 'nf_tcp_net->tcp_loose (per netns conntrack protocol data)' },
  'net.netfilter.nf_conntrack_tcp_be_liberal': { value: bool, why: 'nf_tcp_net->tcp_be_liberal (per netns conntrack protocol data)' },
  'net.netfilter.nf_conntrack_tcp_timeout_established': { value: int(1, INT_MAX), why: 'nf_tcp_net->timeouts (per netns conntrack protocol data)' },
  'net.netfilter.nf_conntrack_udp_timeout': { value: int(1, INT_MAX), why: 'nf_udp_net->timeouts (per netns conntrack protocol data)' },
  'net.netfilter.nf_conntrack_udp_timeout_stream': { value: int(1, INT_MAX), why: 'nf_udp_net->timeouts (per netns conntrack protocol data)' },
};

/** net.ipv4.conf.<ifname|all|default>.<key>: struct in_device's ipv4_devconf, or net->ipv4.devconf_all/dflt. */
export const IPV4_CONF_SYSCTLS: Readonly<Record<string, SysctlValue>> = {
  forwarding: bool,
  proxy_arp: bool,
  proxy_arp_pvlan: bool,
  rp_filter: int(0, 2),
  accept_redirects: bool,
  send_redirects: bool,
  secure_redirects: bool,
  accept_source_route: bool,
  accept_local: bool,
  route_localnet: bool,
  arp_ignore: int(0, 8),
  arp_announce: int(0, 2),
  arp_filter: bool,
  arp_notify: bool,
  arp_accept: int(0, 2),
  log_martians: bool,
  promote_secondaries: bool,
};

/** net.ipv6.conf.<ifname|all|default>.<key>: struct inet6_dev's ipv6_devconf, or net->ipv6.devconf_all/dflt. */
export const IPV6_CONF_SYSCTLS: Readonly<Record<string, SysctlValue>> = {
  disable_ipv6: bool,
  forwarding: bool,
  accept_ra: int(0, 2),
  accept_dad: int(0, 2),
  accept_redirects: bool,
  autoconf: bool,
  proxy_ndp: bool,
};

/** Keys a learner may reach for that look per namespace but are not: why each would leave the lab. */
export const MACHINE_WIDE_SYSCTLS: Readonly<Record<string, string>> = {
  'net.ipv4.tcp_allowed_congestion_control': 'it sits in the per-namespace table but writes the machine-wide list of congestion controls (tcp_cong_list)',
  'net.ipv4.tcp_available_congestion_control': 'it lists the machine-wide congestion controls and is read-only',
  'net.ipv4.tcp_congestion_control': 'setting it may load a kernel module for the whole machine (request_module("tcp_<name>"))',
  'net.ipv4.tcp_mem': 'it is the machine-wide TCP memory limit (sysctl_tcp_mem)',
  'net.ipv4.udp_mem': 'it is the machine-wide UDP memory limit (sysctl_udp_mem)',
  'net.ipv4.ipfrag_high_thresh_global': 'it is a machine-wide limit',
  'net.netfilter.nf_conntrack_max': 'it is the machine-wide conntrack limit, read-only outside the initial namespace',
};
