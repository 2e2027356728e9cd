// The one thing a multi-host lab does outside its sub-labs: a macvlan of the host's underlay device,
// created directly inside the lab's uplink namespace (`ip link add ... netns`), so no new link ever
// appears in the host's root namespace. What root sees: the underlay device gains a macvlan port
// (and goes promiscuous where the driver has no unicast filter, e.g. a veth). Deleting the uplink
// namespace (the host's `netlab down`) deletes the macvlan, and with it the port.

export const UPLINK_DEVICE = 'ul0';

export function uplinkAttachArgvs(ns: string, device: string, address: string): string[][] {
  return [
    ['ip', 'link', 'add', UPLINK_DEVICE, 'netns', ns, 'link', device, 'type', 'macvlan', 'mode', 'bridge'],
    ['ip', '-n', ns, 'address', 'add', address, 'dev', UPLINK_DEVICE],
    ['ip', '-n', ns, 'link', 'set', UPLINK_DEVICE, 'up'],
  ];
}
