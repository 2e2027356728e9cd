import type { ValueKind } from './value-kinds.js';

/**
 * What a rule may say, by owner and canonical long name, with the kind of each value (null: a flag).
 * Matches and targets are those a Docker/Kubernetes networking lab writes; each keeps its state in
 * the rule or in the network namespace (conntrack, marks, recent's /proc/net/xt_recent, which is per
 * namespace). Refused: anything that loads a program or module, or makes a machine-wide object
 * (--modprobe, IDLETIMER's and LED's sysfs entries, CT helpers, ipset/bpf/cgroup references), and
 * iptables' own commands and table selection, which come from the lab's structure.
 */
export const ALLOWED_OPTIONS: Readonly<Record<string, Readonly<Record<string, ValueKind | null>>>> = {
  iptables: {
    source: 'addresses', destination: 'addresses', protocol: 'word', 'in-interface': 'interface', 'out-interface': 'interface',
    jump: 'word', goto: 'word', match: 'word', fragments: null,
  },
  'match tcp': { 'source-port': 'port', 'destination-port': 'port', syn: null, 'tcp-flags': 'word', 'tcp-option': 'number' },
  'match udp': { 'source-port': 'port', 'destination-port': 'port' },
  'match icmp': { 'icmp-type': 'word' },
  'match conntrack': {
    ctstate: 'ctstates', ctproto: 'word', ctorigsrc: 'addresses', ctorigdst: 'addresses', ctreplsrc: 'addresses', ctrepldst: 'addresses',
    ctstatus: 'word', ctexpire: 'port', ctorigsrcport: 'port', ctorigdstport: 'port', ctreplsrcport: 'port', ctrepldstport: 'port', ctdir: 'word',
  },
  'match state': { state: 'states' },
  'match comment': { comment: 'text' },
  'match multiport': { 'source-ports': 'ports', 'destination-ports': 'ports', ports: 'ports' },
  'match addrtype': { 'src-type': 'addrtypes', 'dst-type': 'addrtypes', 'limit-iface-in': null, 'limit-iface-out': null },
  'match mark': { mark: 'mark' },
  'match connmark': { mark: 'mark' },
  'match statistic': { mode: 'word', probability: 'probability', every: 'number', packet: 'number' },
  'match physdev': { 'physdev-in': 'interface', 'physdev-out': 'interface', 'physdev-is-in': null, 'physdev-is-out': null, 'physdev-is-bridged': null },
  'match limit': { limit: 'rate', 'limit-burst': 'number' },
  'match mac': { 'mac-source': 'mac' },
  'match iprange': { 'src-range': 'ipRange', 'dst-range': 'ipRange' },
  'match pkttype': { 'pkt-type': 'word' },
  'match recent': {
    set: null, rcheck: null, update: null, remove: null, seconds: 'number', reap: null, hitcount: 'number', rttl: null, name: 'word', rsource: null, rdest: null, mask: 'address',
  },
  'target REJECT': { 'reject-with': 'word' },
  'target LOG': { 'log-level': 'word', 'log-prefix': 'logPrefix', 'log-tcp-sequence': null, 'log-tcp-options': null, 'log-ip-options': null, 'log-uid': null, 'log-macdecode': null },
  'target MASQUERADE': { 'to-ports': 'portRange', random: null, 'random-fully': null },
  'target SNAT': { 'to-source': 'natTarget', random: null, 'random-fully': null, persistent: null },
  'target DNAT': { 'to-destination': 'natTarget', random: null, persistent: null },
  'target REDIRECT': { 'to-ports': 'portRange', random: null },
  'target MARK': { 'set-mark': 'mark', 'set-xmark': 'mark', 'and-mark': 'mark', 'or-mark': 'mark', 'xor-mark': 'mark' },
  'target CONNMARK': {
    'set-mark': 'mark', 'set-xmark': 'mark', 'save-mark': null, 'restore-mark': null, 'and-mark': 'mark', 'or-mark': 'mark', 'xor-mark': 'mark',
    mask: 'mark', nfmask: 'mark', ctmask: 'mark',
  },
  'target NOTRACK': {},
};

/** Why iptables' own options other than the allowed ones are refused. */
export const REFUSED_BASE: Readonly<Record<string, string>> = {
  table: 'the table comes from the section the rule is in (filter, nat, mangle, raw)',
  modprobe: 'it makes iptables run a program as root',
  'set-counters': 'counters start at zero',
  policy: 'policies come from "policies:"',
  'new-chain': 'chains come from "chains:"',
  'delete-chain': 'a rule cannot delete chains',
  'rename-chain': 'a rule cannot rename chains',
  flush: 'a rule cannot flush chains',
  zero: 'a rule cannot zero counters',
};

export const STANDARD_TARGETS: ReadonlySet<string> = new Set(['ACCEPT', 'DROP', 'RETURN']);
