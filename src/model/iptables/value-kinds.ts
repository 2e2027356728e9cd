/**
 * The values a rule's options may take. Each is a pattern of plain words, numbers and addresses: no
 * host or service names (they would be looked up through files a lab could write), nothing that starts
 * with "-" or "!" (it could be read as an option), no control characters.
 */
const IP = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}`;
const MASK = String.raw`(?:[12]?\d|3[0-2]|${IP})`;
const PORT = String.raw`\d{1,5}`;
const NUM = String.raw`(?:0x[0-9a-fA-F]{1,8}|\d{1,10})`;
const CTSTATES = 'INVALID|NEW|ESTABLISHED|RELATED|UNTRACKED|SNAT|DNAT';
const ADDRTYPES = 'UNSPEC|UNICAST|LOCAL|BROADCAST|ANYCAST|MULTICAST|BLACKHOLE|UNREACHABLE|PROHIBIT|THROW|NAT|XRESOLVE';
const list = (item: string, max: number) => `${item}(?:,${item}){0,${max - 1}}`;

export const VALUE_KINDS = {
  addresses: { re: list(`${IP}(?:/${MASK})?`, 32), says: 'IPv4 addresses or prefixes, comma-separated (no host names)' },
  address: { re: IP, says: 'an IPv4 address' },
  interface: { re: String.raw`[A-Za-z0-9][A-Za-z0-9_.-]{0,14}\+?|\+`, says: 'an interface name, "+" as a wildcard at the end' },
  port: { re: `${PORT}(?::(?:${PORT})?)?|:${PORT}`, says: 'a port number or range such as 80 or 30000:32767 (no service names)' },
  ports: { re: list(`${PORT}(?::${PORT})?`, 15), says: 'up to 15 ports or ranges, comma-separated' },
  natTarget: { re: `${IP}(?:-${IP})?(?::${PORT}(?:-${PORT})?)?`, says: 'ADDRESS[-ADDRESS][:PORT[-PORT]]' },
  portRange: { re: `${PORT}(?:-${PORT})?`, says: 'a port or PORT-PORT' },
  ipRange: { re: `${IP}-${IP}`, says: 'ADDRESS-ADDRESS' },
  mark: { re: `${NUM}(?:/${NUM})?`, says: 'VALUE[/MASK], decimal or 0x hex' },
  number: { re: String.raw`\d{1,10}`, says: 'a number' },
  probability: { re: String.raw`0(?:\.\d{1,10})?|1(?:\.0{1,10})?|\.\d{1,10}`, says: 'a probability from 0 to 1' },
  rate: { re: String.raw`\d{1,10}(?:/(?:second|sec|s|minute|min|m|hour|h|day|d))?`, says: 'a rate such as 10/second' },
  ctstates: { re: list(`(?:${CTSTATES})`, 7), says: `conntrack states, comma-separated: ${CTSTATES.replace(/\|/g, ', ')}` },
  states: { re: list('(?:INVALID|NEW|ESTABLISHED|RELATED|UNTRACKED)', 5), says: 'INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED, comma-separated' },
  addrtypes: { re: list(`(?:${ADDRTYPES})`, 12), says: `address types, comma-separated: ${ADDRTYPES.replace(/\|/g, ', ')}` },
  mac: { re: '(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}', says: 'a MAC address' },
  /** symbolic words: icmp types, reject-with, modes, ctstatus, tcp flags, log levels, names */
  word: { re: String.raw`[A-Za-z0-9][A-Za-z0-9_.:,/+-]{0,63}`, says: 'a word of letters, digits and _ . : , / + -' },
  /** free text (comment, log prefix): printable characters (no C0, DEL or C1 control) */
  text: { re: String.raw`(?![-!])[^\u0000-\u001f\u007f-\u009f]{1,255}`, says: 'printable text, up to 255 characters, not starting with "-" or "!"' },
  /** LOG's prefix: the kernel keeps 29 characters */
  logPrefix: { re: String.raw`(?![-!])[^\u0000-\u001f\u007f-\u009f]{1,29}`, says: 'printable text, up to 29 characters, not starting with "-" or "!"' },
} as const;

export type ValueKind = keyof typeof VALUE_KINDS;

const compiled = Object.fromEntries(Object.entries(VALUE_KINDS).map(([k, v]) => [k, new RegExp(`^(?:${v.re})$`)])) as Record<ValueKind, RegExp>;

export function valueFits(kind: ValueKind, value: string): boolean {
  return compiled[kind].test(value);
}
