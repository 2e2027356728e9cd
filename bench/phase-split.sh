#!/usr/bin/env bash
# Where `up` of the 200-namespace star spends its wall time, phase by phase, for the `ip -batch` script
# (bench/scripts.mjs, each command's start from bash's xtrace with $EPOCHREALTIME) and for netlab (a
# second up of the same file, NETLAB_TRACE=1), alternated round by round. Each line, ms since start:
#   script: netns, host links, sysctl, per-namespace config (xargs -P4), iptables-restore, end
#   netlab: before the first kernel command, netns, links, sysctls, config, firewall to `main: done`,
#           CPU of netlab's own process at done, end (as seen from here: Node's start and exit included)
# Needs root.   sudo bash bench/phase-split.sh [CHECKOUT] [ROUNDS]
set -euo pipefail
D=$(realpath "${1:-.}"); ROUNDS=${2:-4}
HERE=$(dirname "$(realpath "$0")")
# on tmpfs, as netlab's default state directory /run/netlab (the batch files up writes live there)
TMP=$(mktemp -d /run/netlab-phase-split-XXXXXX)
PREFIX="np$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')-"
unset NODE_EXTRA_CA_CERTS
export NETLAB_STATE_DIR="$TMP/state"
cleanup() {
  node "$D/bin/netlab" down "$TMP/star-200.yaml" --prefix "$PREFIX" >/dev/null 2>&1 || true
  [ -f "$TMP/bash-ip-batch-down.sh" ] && bash "$TMP/bash-ip-batch-down.sh" >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
node "$HERE/star-lab.mjs" 200 > "$TMP/star-200.yaml"
node -e "import('$HERE/scripts.mjs').then((m) => m.writeScripts('${PREFIX}s', 200, '$TMP'))"
ms() { echo "($2 - $1) * 1000" | bc -l | xargs printf '%.0f'; }
node "$D/bin/netlab" up "$TMP/star-200.yaml" --prefix "$PREFIX" >/dev/null 2>&1
node "$D/bin/netlab" down "$TMP/star-200.yaml" --prefix "$PREFIX" >/dev/null 2>&1
for _ in $(seq "$ROUNDS"); do
  s=$EPOCHREALTIME
  marks=$(bash -c "PS4='+ \$EPOCHREALTIME '; set -x; . '$TMP/bash-ip-batch-up.sh'" 2>&1 >/dev/null \
    | awk '/^\+\+ [0-9.]+ (ip|xargs) /{print $2}' | tr '\n' ' ')
  e=$EPOCHREALTIME
  bash "$TMP/bash-ip-batch-down.sh" >/dev/null
  read -r -a m <<< "$marks"
  echo "script: netns $(ms "${m[0]}" "${m[1]}"), links $(ms "${m[1]}" "${m[2]}"), sysctl $(ms "${m[2]}" "${m[3]}"), config $(ms "${m[3]}" "${m[4]}"), iptables $(ms "${m[4]}" "$e"), end $(ms "$s" "$e")"
  s=$EPOCHREALTIME
  line=$(NETLAB_TRACE=1 node "$D/bin/netlab" up "$TMP/star-200.yaml" --prefix "$PREFIX" 2>&1 >/dev/null | awk '
    /apply: netns starts/{n=$2} /apply: links starts/{l=$2} /apply: sysctls starts/{y=$2} /apply: config starts/{c=$2}
    /apply: firewall starts/{f=$2} /main: done/{d=$2; cpu=$5}
    END {printf "before %.0f, netns %.0f, links %.0f, sysctls %.0f, config %.0f, firewall to done %.0f, CPU at done %.0f", n, l-n, y-l, c-y, f-c, d-f, cpu}')
  e=$EPOCHREALTIME
  node "$D/bin/netlab" down "$TMP/star-200.yaml" --prefix "$PREFIX" >/dev/null
  echo "netlab: $line, end $(ms "$s" "$e")"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
