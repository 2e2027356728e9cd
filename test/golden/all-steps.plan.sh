#!/usr/bin/env bash
# netlab plan for lab all-steps: run as root; `netlab down` does not know about labs built this way.
# Teardown: stop the services it starts, then:
#   ip netns del host
#   ip netns del internet
#   ip netns del c4
#   ip netns del n1
#   rm -f /etc/netns/c4/resolv.conf
#   rm -f /etc/netns/c4/hosts
#   rmdir /etc/netns/c4
set -euo pipefail
command -v netlab-serve >/dev/null || { echo 'this lab'\''s services run `netlab-serve` (installed with netlab): put it on root'\''s PATH first (npm install -g netlab, or npm link in a checkout)' >&2; exit 3; }
ip netns add host
ip netns add internet
ip netns add c4
ip netns add n1
ip -n host link add name br0 type bridge
ip -n c4 link add name veth4 type veth peer name brid4 netns host
ip -n host link add name eth0 type veth peer name eth0 netns internet
ip -n n1 link add name eth0 type veth peer name eth1 netns internet
ip -n n1 link add name flannel.1 type vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning
ip netns exec host sysctl -w net.ipv4.ip_forward=1
ip netns exec host sysctl -w net.bridge.bridge-nf-call-iptables=1
ip -n host link set dev lo up
ip -n host link set dev br0 mtu 1450
ip -n host addr add 10.201.0.1/24 dev br0
ip -n host link set dev brid4 master br0
ip -n host addr add 203.0.113.2/24 dev eth0
ip -n host link set dev br0 up
ip -n host link set dev brid4 up
ip -n host link set dev eth0 up
ip -n host route add default via 203.0.113.1
ip -n internet link set dev lo up
ip -n internet addr add 198.51.100.53/32 dev lo
ip -n internet link set dev eth0 address 02:42:ac:11:00:02
ip -n internet addr add 203.0.113.1/24 dev eth0
ip -n internet addr add 192.168.1.1/24 dev eth1
ip -n internet link set dev eth0 up
ip -n internet link set dev eth1 up
ip -n c4 link set dev lo up
ip -n c4 addr add 10.201.0.4/24 dev veth4
ip -n c4 link set dev veth4 up
ip -n c4 route add default via 10.201.0.1
ip -n n1 link set dev lo up
ip -n n1 link set dev flannel.1 address 02:00:00:00:01:01
ip -n n1 link set dev flannel.1 mtu 1450
ip -n n1 addr add 10.244.1.0/32 dev flannel.1
ip -n n1 link set dev eth0 mtu 1500
ip -n n1 addr add 192.168.1.11/24 dev eth0
ip -n n1 link set dev flannel.1 up
ip -n n1 link set dev eth0 up
ip -n n1 route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
ip -n n1 neigh add 10.244.2.0 lladdr 02:00:00:00:02:01 dev flannel.1 nud permanent
bridge -n n1 fdb append 02:00:00:00:02:01 dev flannel.1 dst 192.168.2.12
ip netns exec host iptables -t filter -N DOCKER
ip netns exec host iptables -t filter -A FORWARD -o br0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip netns exec host iptables -t filter -A FORWARD -o br0 -j DOCKER
ip netns exec host iptables -t filter -A FORWARD -i br0 -j ACCEPT
ip netns exec host iptables -t filter -P FORWARD DROP
ip netns exec host iptables -t nat -A POSTROUTING -s 10.201.0.0/24 ! -o br0 -m comment --comment 'egress NAT' -j MASQUERADE
mkdir -p /etc/netns/c4
tee /etc/netns/c4/resolv.conf >/dev/null <<<'nameserver 203.0.113.53'
tee /etc/netns/c4/hosts >/dev/null <<<'10.201.0.5 c5'
# nsenter --net enters the network namespace only: `ip netns exec` also bind-mounts /etc/netns/<ns>/ over /etc, which netlab's own daemons do not need
nsenter --net=/run/netns/c4 -- netlab-serve http --node c4 --port 80 >/dev/null 2>&1 &
