# Shared by the catalog scripts: a "host" namespace (lo up, as a machine has) with v-net-0 and red and
# blue on it (catalog A3), and an uplink eth0 192.168.1.2/24 on a LAN whose far end is not compared.
for ns in host red blue lan; do ip netns add $ns; done
ip -n host link set lo up
h() { ip -n host "$@"; }
h link add v-net-0 type bridge
h link set dev v-net-0 up
n=1
for c in red blue; do
  h link add veth-$c type veth peer name veth-$c-br
  h link set veth-$c netns $c
  h link set veth-$c-br master v-net-0
  h link set veth-$c-br up
  ip -n $c addr add 192.168.15.$n/24 dev veth-$c
  ip -n $c link set veth-$c up
  n=$((n + 1))
done
h addr add 192.168.15.5/24 dev v-net-0
h link add eth0 type veth peer name port-host netns lan
ip -n lan link set port-host up
h addr add 192.168.1.2/24 dev eth0
h link set eth0 up
