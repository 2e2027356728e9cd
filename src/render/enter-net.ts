/**
 * How a batch of one tool (sysctl, iptables-restore) enters its namespace. `ip netns exec` also makes
 * a mount namespace (to remount /sys and bind /etc/netns/NS files) and the kernel frees it when the
 * tool exits: with hundreds of namespaces mounted that costs 25-74 ms of waiting per process, against
 * 6-9 ms for `nsenter --net` (issue 17). Neither tool reads /sys or /etc/netns (sysctl writes
 * /proc/sys/net, which shows the network namespace of the process that opens it; the lab's own
 * /etc/netns files come later, in the files phase), so both behave the same either way.
 */
export function enterNet(ns: string, netOnly: boolean | undefined): string[] {
  return netOnly ? ['nsenter', `--net=/run/netns/${ns}`, '--'] : ['ip', 'netns', 'exec', ns];
}
