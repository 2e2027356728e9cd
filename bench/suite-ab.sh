#!/usr/bin/env bash
# The integration suite of several built checkouts, started at the same moment (so the machine's load hits
# each alike), each with vitest's JSON reporter (per-file and per-test durations) and GNU time (CPU).
# usage (as root): bench/suite-ab.sh OUTDIR CHECKOUT [CHECKOUT...]     e.g. bench/suite-ab.sh /tmp/ab /work/old .
#   NETLAB_TEST_WORKERS, when set, applies to every checkout (else each checkout's own default); per-file table: node bench/suite-table.mjs OUTDIR/<n>.json
set -euo pipefail
out=$1; shift
mkdir -p "$out"
run() {
  local name=$1 dir=$2 start
  start=$(date +%s.%N)
  set +e
  (cd "$dir" && /usr/bin/time -f "%U user %S sys %e wall" -o "$out/$name.time" \
    nice -n 5 npx vitest run --project integration --reporter=json --outputFile="$out/$name.json" >"$out/$name.log" 2>&1)
  echo "$name ($dir) exit $? wall $(echo "$(date +%s.%N) - $start" | bc)" >>"$out/summary"
}
uptime >>"$out/summary"
i=0
for dir in "$@"; do i=$((i + 1)); run "$i" "$(cd "$dir" && pwd)" & done
wait
uptime >>"$out/summary"
cat "$out/summary"
