#!/bin/bash
# up/down of pod-network-vxlan across 3 simulated hosts (real ssh, test/helpers/sim-hosts.sh) against
# the same lab on one host, in the same sandbox, N rounds each. Run as root:
#   bash bench/multihost.sh [ROUNDS]
# Prints one line per run: "hosts|one up_ms down_ms".
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-2}
DIR=$(mktemp -d /tmp/netlab-bench-mh.XXXXXX)
unshare --net --mount --pid --fork --mount-proc -- bash "$ROOT/test/helpers/sim-hosts.sh" "$DIR" 3 >/dev/null 2>&1 &
UNSHARE=$!
trap 'kill -KILL "$(cat /proc/$UNSHARE/task/$UNSHARE/children 2>/dev/null | cut -d" " -f1)" 2>/dev/null; wait; rm -rf "$DIR"' EXIT
for _ in $(seq 1 300); do [ -e "$DIR/ready" ] && break; sleep 0.1; done
PID1=$(cut -d' ' -f1 "/proc/$UNSHARE/task/$UNSHARE/children")
{
  echo "ssh-config: $DIR/ssh_config"; echo "hosts:"
  for i in 1 2 3; do
    case $i in 1) n=router;; 2) n="node1, pod1";; 3) n="node2, pod2";; esac
    printf '  h%s:\n    ssh: 198.51.100.1%s\n    netlab: %s\n    underlay: { device: eth0 }\n    uplink: 198.51.100.11%s/24\n    nodes: [%s]\n' "$i" "$i" "$ROOT/bin/netlab" "$i" "$n"
  done
} > "$DIR/hosts.yaml"
run() { nsenter -t "$PID1" -n -m -p -- env NETLAB_STATE_DIR="$DIR/state" NO_COLOR=1 "$ROOT/bin/netlab" "$@" >/dev/null 2>&1; }
ms() { local s; s=$(date +%s%N); "$@"; echo $(( ($(date +%s%N) - s) / 1000000 )); }
LAB="$ROOT/labs/pod-network-vxlan.yaml"
for r in $(seq 1 "$ROUNDS"); do
  echo "hosts $(ms run up "$LAB" --hosts "$DIR/hosts.yaml" --prefix bm-) $(ms run down pod-network-vxlan --prefix bm-)  load $(cut -d' ' -f1 /proc/loadavg)"
  echo "one   $(ms run up "$LAB" --prefix bo-) $(ms run down pod-network-vxlan --prefix bo-)  load $(cut -d' ' -f1 /proc/loadavg)"
done
