# Catalog A3, the notes' commands with the catalog's fixes. "host" is a namespace here as in the lab,
# with lo up as a machine has it; the namespaces keep lo as `ip netns add` leaves it.
set -euo pipefail
for ns in host red blue orange gray; do ip netns add $ns; done
ip -n host link set lo up
h() { ip -n host "$@"; }
h link add v-net-0 type bridge
h link set dev v-net-0 up
for c in red blue orange gray; do
  h link add veth-$c type veth peer name veth-$c-br
  h link set veth-$c netns $c
  h link set veth-$c-br master v-net-0
  h link set veth-$c-br up
done
n=1
for c in red blue orange gray; do
  ip -n $c addr add 192.168.15.$n/24 dev veth-$c
  ip -n $c link set veth-$c up
  n=$((n + 1))
done
h addr add 192.168.15.5/24 dev v-net-0
# the catalog's check: a tiny web server in orange
ip netns exec orange busybox httpd -p 80 -h /
