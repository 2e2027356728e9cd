/**
 * The long options of the iptables extensions netlab lets a rule load, exactly as iptables 1.8.9
 * merges them into getopt_long's table: [name, has_arg, val]. Options with the same val are synonyms
 * (tcp's sport and source-port). Generated from the installed libxt_*.so / libipt_*.so (every
 * revision for IPv4, merged) by test/tools/dump-xtables-options.c; the table holds every option of
 * each extension, also those netlab refuses, because abbreviations resolve against all of them.
 */
export type OptionRow = readonly [name: string, hasArg: 0 | 1 | 2, val: number];

export const MATCH_OPTIONS: Readonly<Record<string, readonly OptionRow[]>> = {
  tcp: [['source-port', 1, 49], ['sport', 1, 49], ['destination-port', 1, 50], ['dport', 1, 50], ['syn', 0, 51], ['tcp-flags', 1, 52], ['tcp-option', 1, 53]],
  udp: [['source-port', 1, 0], ['sport', 1, 0], ['destination-port', 1, 1], ['dport', 1, 1]],
  icmp: [['icmp-type', 1, 0]],
  conntrack: [['ctstate', 1, 0], ['ctproto', 1, 1], ['ctorigsrc', 1, 2], ['ctorigdst', 1, 3], ['ctreplsrc', 1, 4], ['ctrepldst', 1, 5], ['ctstatus', 1, 10], ['ctexpire', 1, 11], ['ctorigsrcport', 1, 6], ['ctorigdstport', 1, 7], ['ctreplsrcport', 1, 8], ['ctrepldstport', 1, 9], ['ctdir', 1, 12]],
  state: [['state', 1, 0]],
  comment: [['comment', 1, 0]],
  multiport: [['source-ports', 1, 0], ['sports', 1, 0], ['destination-ports', 1, 1], ['dports', 1, 1], ['ports', 1, 2]],
  addrtype: [['src-type', 1, 0], ['dst-type', 1, 1], ['limit-iface-in', 0, 2], ['limit-iface-out', 0, 3]],
  mark: [['mark', 1, 0]],
  connmark: [['mark', 1, 0]],
  statistic: [['mode', 1, 0], ['probability', 1, 1], ['every', 1, 2], ['packet', 1, 3]],
  physdev: [['physdev-in', 1, 0], ['physdev-out', 1, 1], ['physdev-is-in', 0, 2], ['physdev-is-out', 0, 3], ['physdev-is-bridged', 0, 4]],
  limit: [['limit', 1, 0], ['limit-burst', 1, 1]],
  mac: [['mac-source', 1, 0]],
  iprange: [['src-range', 1, 0], ['dst-range', 1, 1]],
  pkttype: [['pkt-type', 1, 0]],
  recent: [['set', 0, 0], ['rcheck', 0, 1], ['update', 0, 2], ['remove', 0, 3], ['seconds', 1, 4], ['reap', 0, 5], ['hitcount', 1, 6], ['rttl', 0, 7], ['name', 1, 8], ['rsource', 0, 9], ['rdest', 0, 10], ['mask', 1, 11]],
};

export const TARGET_OPTIONS: Readonly<Record<string, readonly OptionRow[]>> = {
  REJECT: [['reject-with', 1, 0]],
  LOG: [['log-level', 1, 6], ['log-prefix', 1, 7], ['log-tcp-sequence', 0, 0], ['log-tcp-options', 0, 1], ['log-ip-options', 0, 2], ['log-uid', 0, 3], ['log-macdecode', 0, 5]],
  MASQUERADE: [['to-ports', 1, 2], ['random', 0, 3], ['random-fully', 0, 4]],
  SNAT: [['to-source', 1, 1], ['random', 0, 3], ['random-fully', 0, 4], ['persistent', 0, 5]],
  DNAT: [['to-destination', 1, 0], ['random', 0, 3], ['persistent', 0, 5]],
  REDIRECT: [['to-ports', 1, 2], ['random', 0, 3]],
  MARK: [['set-mark', 1, 0], ['and-mark', 1, 1], ['or-mark', 1, 2], ['set-xmark', 1, 4], ['xor-mark', 1, 3]],
  CONNMARK: [['set-mark', 1, 0], ['save-mark', 0, 1], ['restore-mark', 0, 2], ['mask', 1, 11], ['set-xmark', 1, 8], ['and-mark', 1, 3], ['or-mark', 1, 4], ['xor-mark', 1, 5], ['ctmask', 1, 9], ['nfmask', 1, 10], ['left-shift-mark', 1, 6], ['right-shift-mark', 1, 7]],
  NOTRACK: [],
};

/** Every target extension iptables 1.8.9 ships: a custom chain of the same name would load the extension instead. */
export const TARGET_EXTENSION_NAMES: ReadonlySet<string> = new Set([
  'AUDIT', 'CHECKSUM', 'CLASSIFY', 'CLUSTERIP', 'CONNMARK', 'CONNSECMARK', 'CT', 'DNAT', 'DSCP', 'ECN', 'HMARK', 'IDLETIMER', 'LED', 'LOG', 'MARK', 'MASQUERADE', 'NETMAP', 'NFLOG', 'NFQUEUE', 'NOTRACK', 'RATEEST', 'REDIRECT', 'REJECT', 'SECMARK', 'SET', 'SNAT', 'SYNPROXY', 'TCPMSS', 'TCPOPTSTRIP', 'TEE', 'TOS', 'TPROXY', 'TRACE', 'TTL', 'ULOG', 'standard',
  'ACCEPT', 'DROP', 'QUEUE', 'RETURN',
]);
