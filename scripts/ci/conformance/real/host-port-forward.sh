# Catalog A6 with its preconditions (ip_forward, a return path, MASQUERADE) and the corrected DNAT rule.
set -euo pipefail
. "$(dirname "$0")/lib-host-lan.sh"
ip netns exec host sysctl -qw net.ipv4.ip_forward=1
for c in red blue; do ip -n $c route add default via 192.168.15.5; done
ip netns exec host iptables -t nat -A PREROUTING -d 192.168.1.2 -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80
ip netns exec host iptables -t nat -A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE
ip netns exec blue busybox httpd -p 80 -h /
