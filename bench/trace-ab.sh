#!/usr/bin/env bash
# netlab's own process, stage by stage (NETLAB_TRACE=1: wall/CPU ms since its start), of two built
# checkouts, interleaved: up of the 200-namespace star read before (each checkout's first up of the
# file is done untimed), then down. Prints one line per run: when the first kernel command starts
# (apply: netns starts), when the links phase starts, when netlab's process is done, and down's end.
# Needs root.   sudo bash bench/trace-ab.sh OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]
set -euo pipefail
A=$(realpath "${1:?old checkout}"); B=$(realpath "${2:?new checkout}"); ROUNDS=${3:-6}
HERE=$(dirname "$(realpath "$0")")
TMP=$(mktemp -d /tmp/netlab-trace-ab-XXXXXX)
PREFIX="nt$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')-"
export NETLAB_STATE_DIR="$TMP/state"
cleanup() {
  for d in "$A" "$B"; do node "$d/bin/netlab" down "$TMP/star-200.yaml" --prefix "$PREFIX" >/dev/null 2>&1 || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
{ echo "# trace-ab $PREFIX"; node "$HERE/star-lab.mjs" 200; } > "$TMP/star-200.yaml"
for d in "$A" "$B"; do
  node "$d/bin/netlab" up "$TMP/star-200.yaml" --prefix "$PREFIX" >/dev/null
  node "$d/bin/netlab" down "$TMP/star-200.yaml" --prefix "$PREFIX" >/dev/null
done
for _ in $(seq "$ROUNDS"); do
  for d in "$A" "$B"; do
    up=$(NETLAB_TRACE=1 node "$d/bin/netlab" up "$TMP/star-200.yaml" --prefix "$PREFIX" 2>&1 >/dev/null \
      | awk '/apply: netns starts/{n=$2"/"$5} /apply: links starts/{l=$2"/"$5} /main: done/{e=$2"/"$5} END{printf "first kernel command %s, links %s, done %s", n, l, e}')
    down=$(NETLAB_TRACE=1 node "$d/bin/netlab" down "$TMP/star-200.yaml" --prefix "$PREFIX" 2>&1 >/dev/null | awk '/main: done/{printf "%s/%s", $2, $5}')
    echo "$d: up (wall/CPU ms) $up; down done $down"
  done
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
