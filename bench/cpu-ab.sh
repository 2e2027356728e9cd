#!/usr/bin/env bash
# CPU time (perf's task-clock: the command and everything it starts, in ms) of two built netlab
# checkouts, interleaved round by round, for up / verify / down of the 200-namespace star, plan of the
# 10-namespace star and --version, plus bare `node -e 0`. Unlike wall time, CPU time hardly moves when
# other work shares the machine. Needs root and perf (apt-get install linux-perf).
#   sudo bash bench/cpu-ab.sh OLD_CHECKOUT NEW_CHECKOUT [ROUNDS]
set -euo pipefail
A=$(realpath "${1:?old checkout}"); B=$(realpath "${2:?new checkout}"); ROUNDS=${3:-5}
HERE=$(dirname "$(realpath "$0")")
TMP=$(mktemp -d /tmp/netlab-cpu-ab-XXXXXX)
PREFIX="nc$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')-"
export NETLAB_STATE_DIR="$TMP/state"
cleanup() {
  for d in "$A" "$B"; do node "$d/bin/netlab" down "$TMP/star-200.yaml" --prefix "$PREFIX" >/dev/null 2>&1 || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT
node "$HERE/star-lab.mjs" 200 > "$TMP/star-200.yaml"
node "$HERE/star-lab.mjs" 10 > "$TMP/star-10.yaml"
tc() { perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | grep task-clock | cut -d, -f1; }
declare -A R
for _ in $(seq "$ROUNDS"); do
  for w in A B; do
    d=${!w}
    R[$w-up]+="$(tc node "$d/bin/netlab" up "$TMP/star-200.yaml" --prefix "$PREFIX") "
    R[$w-verify]+="$(tc node "$d/bin/netlab" verify "$TMP/star-200.yaml" --prefix "$PREFIX") "
    R[$w-down]+="$(tc node "$d/bin/netlab" down "$TMP/star-200.yaml" --prefix "$PREFIX") "
    R[$w-plan10]+="$(tc node "$d/bin/netlab" plan "$TMP/star-10.yaml") "
    R[$w-version]+="$(tc node "$d/bin/netlab" --version) "
  done
  R[node]+="$(tc node -e 0) "
done
med() { tr ' ' '\n' <<< "$*" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median task-clock ms of $ROUNDS rounds; A=$A B=$B"
printf '%-8s %10s %10s %8s\n' what A B B/A
for k in up verify down plan10 version; do
  a=$(med ${R[A-$k]}); b=$(med ${R[B-$k]})
  printf '%-8s %10.1f %10.1f %8.2f\n' "$k" "$a" "$b" "$(echo "$b / $a" | bc -l)"
done
echo "node -e 0: $(med ${R[node]}) ms; load average $(cut -d' ' -f1-3 /proc/loadavg)"
