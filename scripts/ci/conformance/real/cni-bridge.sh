# The CNI bridge plugin with host-local IPAM, called as a runtime calls it (the node's surroundings
# are made by hand as a node would have them: eth0 192.168.1.11/24 to its gateway).
# $1: "add" (ADD ctr-a, ADD ctr-b) or "del" (then DEL ctr-a).
set -euo pipefail
conf='{"cniVersion":"0.4.0","name":"v-net","type":"bridge","bridge":"v-net-0","isGateway":true,"ipMasq":true,"ipam":{"type":"host-local","subnet":"10.244.1.0/24","routes":[{"dst":"0.0.0.0/0"}]}}'
for ns in node gw ctr-a ctr-b; do ip netns add $ns; done
ip -n node link set lo up; ip -n gw link set lo up
ip -n node link add eth0 type veth peer name eth0 netns gw
ip -n node addr add 192.168.1.11/24 dev eth0; ip -n node link set eth0 up
ip -n gw addr add 192.168.1.1/24 dev eth0; ip -n gw link set eth0 up
ip -n node route add default via 192.168.1.1
# a Kubernetes node's prerequisite (kubeadm checks it), set by the node's setup, not the plugin
ip netns exec node sysctl -qw net.bridge.bridge-nf-call-iptables=1
cni() { # COMMAND CONTAINER
  echo "$conf" | ip netns exec node env CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=/run/netns/${2%-*} CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge
}
cni ADD ctr-a-3f2a9c1e > /dev/null
cni ADD ctr-b-8b7d6e5a > /dev/null
[ "$1" = del ] && cni DEL ctr-a-3f2a9c1e > /dev/null
echo "host-local's records:" >&2
for f in /var/lib/cni/networks/v-net/*; do echo "  $f: $(tr '\n' ' ' < "$f")" >&2; done
