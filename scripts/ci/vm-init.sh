#!/bin/bash
# /init of the VM referee's initramfs (scripts/ci/vm-referee.sh): runs netlab as a new user would on a
# freshly booted stock-kernel machine, prints NETLAB-REFEREE-RESULT: ok|fail ... and powers off.
# QEMU without KVM runs Node ~10-100x slower than a real machine: netlab's own waits for its processes
# (probes to start and exit, tcpdump to listen, services to be ready) grow by this factor; the labs'
# own timeouts do not (src/timeout-scale.ts). The referee writes the factor (NETLAB_VM_TIMEOUT_SCALE).
export NETLAB_TIMEOUT_SCALE=$(cat /etc/netlab-timeout-scale 2>/dev/null || echo 10)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root NO_COLOR=1 CI=1 TERM=dumb
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /run /tmp; mount -t devpts devpts /dev/pts; mount -t tmpfs run /run; mount -t tmpfs tmp /tmp
ip link set lo up
hostname netlab-vm
cd /netlab
failures=()
step() { # step NAME EXPECTED-EXIT CMD...: run, show, record a failure if the exit differs
  local name=$1 want=$2; shift 2
  echo "=== $name: $*"
  local t0=$(date +%s)
  "$@"; local got=$?
  echo "=== $name: exit $got ($(( $(date +%s) - t0 )) s)"
  [ "$got" = "$want" ] || failures+=("$name exited $got, expected $want")
}
echo "NETLAB-REFEREE-KERNEL: $(uname -r) ($(cat /proc/version))"
echo "=== uname -r: $(uname -r); $(nproc) vCPUs; NETLAB_TIMEOUT_SCALE=$NETLAB_TIMEOUT_SCALE"
echo "=== modules loaded at start: $(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
# a freshly booted stock kernel: doctor must name what the labs need, --fix does it, then it is ready
# (on a stock kernel br_netfilter is a module, not loaded at boot: doctor must say "not ready", exit 3)
step doctor-before-fix 3 ./bin/netlab doctor
# --fix prints doctor's findings again afterwards and exits 0 only when they say ready
step doctor-fix 0 ./bin/netlab doctor --fix
# the README's main job as a new user runs it (npm run demo: up, verify and down red-blue-bridge)
step demo 0 bash scripts/demo.sh
# doctor warns that pod-network-calico-ipip needs ipip, which netlab never loads itself (tunl0 appears in
# the machine's own namespace); this VM is throwaway, so the referee does what a user who accepts does
step modprobe-ipip 0 modprobe ipip
labs=(--all); [ -s /etc/netlab-referee-labs ] && read -ra labs < /etc/netlab-referee-labs
jobs=$(cat /etc/netlab-test-jobs 2>/dev/null || echo 2)
step test-all-variants 0 ./bin/netlab test "${labs[@]}" --variants --jobs "$jobs" --junit /tmp/netlab.xml
# the whole message of each failure (the lines above show the first line only)
node -e 'const x = require("fs").readFileSync("/tmp/netlab.xml", "utf8");
for (const m of x.matchAll(/<testsuite name="([^"]*)"[^>]*>([\s\S]*?)<\/testsuite>/g)) {
  const f = /<(failure|error)[^>]*>([\s\S]*?)<\/\1>|<(failure|error) message="([^"]*)"/.exec(m[2]);
  if (f) console.log(`--- ${m[1]}: ${(f[2] ?? f[4] ?? "").slice(0, 1500)}`);
}' 2>/dev/null
# A lab that failed under the emulator is tested once more, alone, and the log says so: a failure that
# repeats fails the referee; one that does not is reported as a retry (TCG's timing, not the lab's), never hidden.
if [ "${failures[*]}" = "test-all-variants exited 1, expected 0" ]; then
  mapfile -t again < <(node -e 'const x = require("fs").readFileSync("/tmp/netlab.xml", "utf8"); const s = new Set();
for (const m of x.matchAll(/<testsuite name="([^"@]*)[^"]*"[^>]*>([\s\S]*?)<\/testsuite>/g)) if (/<(failure|error)/.test(m[2])) s.add(m[1]);
console.log([...s].join("\n"))' 2>/dev/null)
  if [ ${#again[@]} -gt 0 ] && [ ${#again[@]} -le 5 ]; then
    failures=()
    step test-retry-failed-labs 0 ./bin/netlab test "${again[@]}" --variants --jobs 1
    [ ${#failures[@]} -eq 0 ] && retried=" (passed when tested again alone: ${again[*]})"
  fi
fi
# The breakage corpus of the lab this machine's kernel cannot build (no ipip there; scripts/ci/breakage-corpus.sh
# runs every other lab's): each breakage diagnosed with its cause and repaired by the printed fix, without vitest
# (scripts/ci/breakage-corpus.mjs runs the vitest files' own code), and the breakages that need bridge VLAN filtering
# (that kernel refuses vlan_filtering 1): the first of red-blue-bridge's (all 3 took 671 s under TCG at load 13-27, the
# first alone about 2 min; NETLAB_VM_CORPUS=red-blue-bridge:vlan_filtering runs all). NETLAB_VM_CORPUS (the referee writes it) names them.
corpus=(pod-network-calico-ipip red-blue-bridge:vlan_filtering:1); [ -s /etc/netlab-referee-corpus ] && read -ra corpus < /etc/netlab-referee-corpus
[ "${corpus[*]}" = none ] || step breakage-corpus 0 node scripts/ci/breakage-corpus.mjs "${corpus[@]}"
if [ ${#failures[@]} -eq 0 ]; then
  echo "NETLAB-REFEREE-RESULT: ok $(uname -r)${retried:-}"
else
  echo "NETLAB-REFEREE-RESULT: fail $(uname -r): $(IFS=';'; echo "${failures[*]}")"
fi
sync
echo o > /proc/sysrq-trigger
sleep 30
