# Catalog A4 + A5 as typed (with the catalog's fixes: ip route, not "ip router"; the scoped MASQUERADE of D15).
set -euo pipefail
. "$(dirname "$0")/lib-host-lan.sh"
ip -n blue route add 192.168.1.0/24 via 192.168.15.5
ip netns exec host sysctl -qw net.ipv4.ip_forward=1
ip netns exec host iptables -t nat -A POSTROUTING -s 192.168.15.0/24 ! -o v-net-0 -j MASQUERADE
ip -n host route add default via 192.168.1.1
ip -n blue route add default via 192.168.15.5
# the catalog's checks: web servers in red and blue
for c in red blue; do ip netns exec $c busybox httpd -p 80 -h /; done
