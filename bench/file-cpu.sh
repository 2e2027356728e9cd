#!/bin/bash
# One integration test file's CPU and what spends it (as root, in a built checkout):
#   bench/file-cpu.sh OUTDIR FILE     e.g. bench/file-cpu.sh /tmp/cpu hostile-corpus-1
# OUTDIR/FILE.time: GNU time of the whole vitest tree (user, sys, wall); OUTDIR/FILE.samp: every process of
# the tree sampled from /proc every 100 ms (bench/proc-sampler.mjs; short processes partly missed), summed
# by command: node bench/proc-sampler-sum.mjs OUTDIR/FILE.samp
set -u
out=$1 f=$2
mkdir -p "$out"
/usr/bin/time -f "%U user %S sys %e wall" -o "$out/$f.time" nice -n 5 npx vitest run "test/integration/$f.test.ts" > "$out/$f.log" 2>&1 &
p=$!
node "$(dirname "$0")/proc-sampler.mjs" "$p" "$out/$f.samp" & s=$!
wait $p; rc=$?; kill $s; wait $s
echo "$f exit $rc: $(cat "$out/$f.time"), load $(cut -d' ' -f1-3 /proc/loadavg)"
