/**
 * libpcap opens some capture sources by NAME before it looks for a network device, and those are not
 * confined to the node's network namespace: "dbus-system" joins the machine's D-Bus as a monitor,
 * "usbmon1" reads the host's USB traffic, "bluetooth0"/"bluetooth-monitor" its Bluetooth, "nflog"/
 * "nfqueue" (":N" optional) netfilter's log and queues. A capture check listens on a real network
 * device of its node only, so these prefixes are refused whatever the lab names its interfaces.
 * ("any" stays: on Linux it is a packet socket bound to no device, which sees the devices of its own
 * network namespace only. All-digit names and ":" are refused by the interface-name schema.)
 * RDMA device names are a fact of the machine (/sys/class/infiniband), checked when verify runs.
 */
const PSEUDO_DEVICE_PREFIXES = ['dbus', 'usbmon', 'bluetooth', 'nflog', 'nfqueue'] as const;

/** Why libpcap would not open `name` as a network device of the namespace, or undefined. */
export function pcapPseudoDevice(name: string): string | undefined {
  const lower = name.toLowerCase();
  const prefix = PSEUDO_DEVICE_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix) return `libpcap opens names starting with "${prefix}" as a capture source of the machine, not as the node's interface`;
  if (/^[0-9]+$/.test(name)) return 'tcpdump reads a number as the position of a device in `tcpdump -D`, not as a name';
  if (name.includes(':')) return 'libpcap reads "name:N" as a pseudo-device with a queue or port number';
  return undefined;
}
