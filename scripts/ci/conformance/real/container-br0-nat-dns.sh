# Catalog B6: note 002's script verbatim (only the resolver changed), in a "host" namespace that
# already has an uplink (eth0 203.0.113.2/24, default via 203.0.113.1) to the lab's "internet".
set -euo pipefail
ip netns add host; ip netns add internet
ip -n host link set lo up; ip -n internet link set lo up
ip -n host link add eth0 type veth peer name eth0 netns internet
ip -n host addr add 203.0.113.2/24 dev eth0; ip -n host link set eth0 up
for a in 203.0.113.1/24 203.0.113.53/24 203.0.113.80/24; do ip -n internet addr add $a dev eth0; done
ip -n internet link set eth0 up
ip -n host route add default via 203.0.113.1
H() { ip netns exec host "$@"; }
H ip link add br0 type bridge
H ip link set br0 up
H ip addr add 10.201.0.1/24 brd 10.201.0.255 dev br0
H iptables --policy FORWARD ACCEPT
for n in 4 5; do
  ip netns add container$n
  H ip link add brid$n type veth peer name veth$n
  H ip link set veth$n netns container$n
  ip netns exec container$n ip a add 10.201.0.$n/24 dev veth$n
  ip netns exec container$n ip link set dev lo up
  ip netns exec container$n ip link set dev veth$n up
  H ip link set brid$n master br0
  H ip link set dev brid$n up
  ip netns exec container$n ip route add default via 10.201.0.1
done
H sysctl -qw net.ipv4.ip_forward=1
H iptables -t nat -A POSTROUTING -s 10.201.0.0/24 -j MASQUERADE
