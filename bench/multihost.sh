#!/bin/bash
# up/down of pod-network-vxlan across 3 simulated hosts (real ssh, test/helpers/sim-hosts.sh) against
# the same lab on one host, in the same sandbox, N rounds each. Run as root:
#   bash bench/multihost.sh [ROUNDS]
# Prints one line per run: "hosts|one up_ms down_ms  cpu up_ms down_ms  load L". Wall times are noisy on a
# shared machine; the cpu columns are user+sys of everything the run started (the controller's netlab,
# ssh, each host's sshd session and netlab, ip...), counted by a cpuacct cgroup of this script's own
# (cgroup v1, removed at exit), or "-" where there is none.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-2}
DIR=$(mktemp -d /tmp/netlab-bench-mh.XXXXXX)
CG=/sys/fs/cgroup/cpuacct/netlab-bench-$$
if [ -d /sys/fs/cgroup/cpuacct ] && mkdir "$CG" 2>/dev/null; then
  # this shell first: the simulated hosts (their sshd sessions, each host's netlab) and every run fork from it
  echo $$ > "$CG/tasks"
else
  CG=
fi
unshare --net --mount --pid --fork --mount-proc -- bash "$ROOT/test/helpers/sim-hosts.sh" "$DIR" 3 >/dev/null 2>&1 &
UNSHARE=$!
cleanup() {
  kill -KILL "$(cat /proc/$UNSHARE/task/$UNSHARE/children 2>/dev/null | cut -d" " -f1)" 2>/dev/null; wait; rm -rf "$DIR"
  if [ -n "$CG" ]; then echo $$ > /sys/fs/cgroup/cpuacct/tasks; rmdir "$CG" 2>/dev/null || true; fi
}
trap cleanup EXIT
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
# wall ms, and cpu ms (user+sys) into CPU_MS
cpu_ns() { if [ -n "$CG" ]; then cat "$CG/cpuacct.usage"; else echo 0; fi; }
ms() { local s c; s=$(date +%s%N); c=$(cpu_ns); "$@"; CPU_MS=$(( ($(cpu_ns) - c) / 1000000 )); [ -n "$CG" ] || CPU_MS=-; printf %s $(( ($(date +%s%N) - s) / 1000000 )); }
LAB="$ROOT/labs/pod-network-vxlan.yaml"
round() { # label, up args..., then the prefix for down
  local label=$1 prefix=$2; shift 2
  local up down cu cd
  up=$(ms run up "$LAB" "$@" --prefix "$prefix"; echo " $CPU_MS")
  down=$(ms run down pod-network-vxlan --prefix "$prefix"; echo " $CPU_MS")
  cu=${up#* }; cd=${down#* }
  echo "$label ${up%% *} ${down%% *}  cpu $cu $cd  load $(cut -d' ' -f1 /proc/loadavg)"
}
for r in $(seq 1 "$ROUNDS"); do
  round hosts bm- --hosts "$DIR/hosts.yaml"
  round "one  " bo-
done
