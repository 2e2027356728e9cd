#!/usr/bin/env bash
# The VM referee: boot Debian's stock kernels (bookworm's 6.1 and bookworm-backports' 6.12, from their
# packages, never installed on this machine) under QEMU without KVM, with an initramfs root made from
# debootstrap minbase + the tools of scripts/system-tools.tsv (what install-system-deps.sh installs) + this machine's node + this
# checkout (built, with node_modules), and run inside each: `netlab doctor`, what it tells a user to
# do (`doctor --fix`), doctor again, the README's main job (scripts/demo.sh) and
# `netlab test --all --variants`, then (first kernel only) the breakage corpus of pod-network-calico-ipip (no ipip on the CI
# machine's kernel: scripts/ci/breakage-corpus.mjs) and the first of red-blue-bridge's breakages that need bridge VLAN filtering (refused there). Prints the kernel version, the results and the wall time per
# kernel; exits non-zero if anything fails.
#
#   sudo bash scripts/ci/vm-referee.sh                     # both kernels
#   sudo bash scripts/ci/vm-referee.sh bookworm-backports  # one (suites: bookworm, bookworm-backports)
#
# Needs root (debootstrap, chroot) and deb.debian.org. Installs qemu-system-x86, debootstrap and cpio
# with apt-get when missing. Apt runs with a private configuration and state under $CACHE/apt (the
# machine's sources and package lists are not changed). The pristine debootstrap root is cached in
# $CACHE (NETLAB_VM_CACHE, default /var/cache/netlab-ci/vm) and every run starts from a fresh copy of it.
# NETLAB_VM_TIMEOUT (seconds per kernel, default 2400), NETLAB_VM_SMP (2 vCPUs, one host thread each:
# -accel tcg,thread=multi), NETLAB_VM_MEM (4G: the root lives in RAM, ~0.5 GB; a 2 GB
# guest stalled in the main job's verify, qemu at 2.5 GB RSS), NETLAB_VM_TIMEOUT_SCALE (10: NETLAB_TIMEOUT_SCALE inside, see src/timeout-scale.ts),
# NETLAB_VM_JOBS (2: test --jobs inside), NETLAB_VM_LABS (test only these labs, for development).
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$(pwd)
CACHE=${NETLAB_VM_CACHE:-/var/cache/netlab-ci/vm}
MIRROR=${NETLAB_VM_MIRROR:-http://deb.debian.org/debian}
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(bookworm bookworm-backports)
[ "$(id -u)" -eq 0 ] || { echo "vm-referee: run as root (debootstrap and chroot need it)" >&2; exit 3; }
export DEBIAN_FRONTEND=noninteractive
log() { printf '[vm-referee %s] %s\n' "$(date -u +%T)" "$*" >&2; }

# --- host tools
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v cpio >/dev/null || need+=(cpio)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$CACHE"
WORK=$(mktemp -d /var/tmp/netlab-vm.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- a private apt: its own sources (with backports), lists and archives; the machine's stay as they are
APT_DIR=$CACHE/apt
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/archives/partial" "$APT_DIR/etc/preferences.d"
cat > "$APT_DIR/etc/sources.list" <<SOURCES
deb [signed-by=$KEYRING] $MIRROR bookworm main
deb [signed-by=$KEYRING] $MIRROR bookworm-updates main
deb [signed-by=$KEYRING] ${MIRROR%/debian}/debian-security bookworm-security main
deb [signed-by=$KEYRING] $MIRROR bookworm-backports main
SOURCES
APT_OPTS=(-o "Dir::Etc::SourceList=$APT_DIR/etc/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::Etc::PreferencesParts=$APT_DIR/etc/preferences.d" -o "Dir::State::Lists=$APT_DIR/lists"
  -o "Dir::State::status=$APT_DIR/status" -o "Dir::Cache=$APT_DIR/cache" -o "Dir::Cache::archives=$APT_DIR/archives"
  -o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
touch "$APT_DIR/status"; mkdir -p "$APT_DIR/cache"
log "apt-get update (private config in $APT_DIR)"
apt-get "${APT_OPTS[@]}" update -qq

# the linux-image-X-amd64 package that linux-image-amd64 points to in a suite (security updates included for bookworm)
kernel_package() {
  local suite=$1 pin=()
  [ "$suite" = bookworm-backports ] && pin=(-t bookworm-backports)
  apt-cache "${APT_OPTS[@]}" "${pin[@]}" depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# --- the pristine root: debootstrap minbase + the install list's packages + kmod (modprobe) + perl-base
base_packages() {
  # the one tool list (what install-system-deps.sh installs): every package but the driving machine's
  { awk -F'\t' '!/^#/ && NF >= 3 && $3 != "target" { print $2 }' scripts/system-tools.tsv
    printf '%s\n' kmod perl-base ca-certificates libstdc++6; } | sort -u | paste -sd, -
}
INCLUDE=$(base_packages)
BASE_TAR=$CACHE/base-bookworm-$(printf '%s' "$INCLUDE" | sha256sum | cut -c1-12).tar
if [ ! -s "$BASE_TAR" ]; then
  log "debootstrap minbase bookworm with $INCLUDE (cached as $BASE_TAR)"
  debootstrap --variant=minbase --include="$INCLUDE" bookworm "$WORK/base" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 1; }
  rm -rf "$WORK/base/var/cache/apt/archives/"*.deb "$WORK/base/var/lib/apt/lists/"*_Packages \
    "$WORK/base/usr/share/doc" "$WORK/base/usr/share/man" "$WORK/base/usr/share/locale" "$WORK/base/usr/share/info"
  tar -C "$WORK/base" -cf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
  rm -rf "$WORK/base"
fi

# --- the checkout, built, with node_modules (no .git)
[ -d dist/bundle ] && [ -d node_modules ] || { npm ci --no-audit --no-fund; }

overall=0
summary=()
for suite in "${SUITES[@]}"; do
  pkg=$(kernel_package "$suite")
  [ -n "$pkg" ] || { log "no linux-image-*-amd64 found in $suite"; overall=1; continue; }
  log "$suite: $pkg"
  rm -rf "$WORK/k" && mkdir -p "$WORK/k"
  (cd "$WORK/k" && apt-get "${APT_OPTS[@]}" download -qq "$pkg")
  dpkg-deb -x "$WORK"/k/*.deb "$WORK/k/x"
  kver=$(ls "$WORK/k/x/lib/modules")
  vmlinuz=$WORK/k/vmlinuz-$kver
  cp "$WORK/k/x/boot/vmlinuz-$kver" "$vmlinuz"

  root=$WORK/root
  rm -rf "$root" && mkdir -p "$root"
  tar -C "$root" -xf "$BASE_TAR"
  # the networking part of the kernel's modules (netfilter, bridge, tunnels, veth, vxlan), as the package ships them
  mkdir -p "$root/lib/modules/$kver/kernel"
  cp -a "$WORK/k/x/lib/modules/$kver/"modules.* "$root/lib/modules/$kver/" 2>/dev/null || true
  for d in net drivers/net lib crypto arch; do
    [ -d "$WORK/k/x/lib/modules/$kver/kernel/$d" ] && mkdir -p "$root/lib/modules/$kver/kernel/$d" \
      && cp -a "$WORK/k/x/lib/modules/$kver/kernel/$d/." "$root/lib/modules/$kver/kernel/$d/"
  done
  chroot "$root" depmod -a "$kver"
  cp "$(command -v node)" "$root/usr/local/bin/node"
  mkdir -p "$root/netlab"
  tar -C "$SRC" --exclude=./.git --exclude=./coverage -cf - . | tar -C "$root/netlab" -xf -
  install -m 0755 scripts/ci/vm-init.sh "$root/init"
  echo "$kver" > "$root/etc/netlab-kernel"
  # NETLAB_VM_LABS="dns red-blue-bridge": test only these (for development; CI tests --all)
  [ -n "${NETLAB_VM_LABS:-}" ] && echo "$NETLAB_VM_LABS" > "$root/etc/netlab-referee-labs"
  # NETLAB_VM_CORPUS: the labs whose breakage corpus runs in the guest, LAB or LAB:NEED[:N] for (the first N of) LAB's breakages
  # that need NEED (default: "pod-network-calico-ipip red-blue-bridge:vlan_filtering:1" in the first kernel booted only, about 9 min under
  # TCG; the diagnosis it tests does not differ between 6.1 and 6.12; none: no corpus)
  corpus=${NETLAB_VM_CORPUS:-}
  [ -z "$corpus" ] && [ "$suite" != "${SUITES[0]}" ] && corpus=none
  [ -n "$corpus" ] && echo "$corpus" > "$root/etc/netlab-referee-corpus"
  echo "${NETLAB_VM_TIMEOUT_SCALE:-10}" > "$root/etc/netlab-timeout-scale"
  echo "${NETLAB_VM_JOBS:-2}" > "$root/etc/netlab-test-jobs"
  log "$suite: initramfs of $(du -sh "$root" | cut -f1)"
  (cd "$root" && find . -xdev -print0 | cpio --null -o -H newc --quiet) > "$WORK/initrd.cpio"
  rm -rf "$root"

  # mitigations=off: under TCG the page-table isolation and retpolines of a guest kernel cost every
  # syscall and context switch a flush of QEMU's soft TLB; they change nothing netlab tests
  log "$suite: booting $kver under qemu (tcg, -smp ${NETLAB_VM_SMP:-2}, -m ${NETLAB_VM_MEM:-4G})"
  console=$WORK/console-$suite.log
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  started=$(date +%s)
  crashes=()
  # The guest kernel itself can crash under QEMU's multi-threaded TCG (seen once in the 8 boots of 2026-12-06: 6.12 at
  # boot, "Oops: int3" in sched_clock_cpu while another vCPU patched kernel text). That is the emulator's,
  # not netlab's: the run is booted again, at most twice, and the summary line names every crash.
  for attempt in 1 2 3; do
    set +e
    timeout "${NETLAB_VM_TIMEOUT:-2400}" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m "${NETLAB_VM_MEM:-4G}" -smp "${NETLAB_VM_SMP:-2}" \
      -nographic -no-reboot -kernel "$vmlinuz" -initrd "$WORK/initrd.cpio" \
      -append "console=ttyS0 panic=-1 quiet loglevel=3 mitigations=off rdinit=/init" -nic none </dev/null 2>&1 | tee "$console" | stdbuf -oL tr -d '\r'
    qemu_status=${PIPESTATUS[0]}
    set -e
    tr -d '\r' < "$console" | grep -q '^NETLAB-REFEREE-RESULT: ' && break
    oops=$(tr -d '\r' < "$console" | grep -m1 -E 'Oops:|Kernel panic|general protection fault|BUG: ' || true)
    [ -n "$oops" ] || break
    # a crash late in a long run is not booted again: CI's time is bounded
    [ $(( $(date +%s) - started )) -lt "${NETLAB_VM_RETRY_WITHIN:-900}" ] || { crashes+=("attempt $attempt: ${oops#*] } (too late to boot again)"); break; }
    crashes+=("attempt $attempt: ${oops#*] }")
    log "$suite: the guest kernel crashed (${oops#*] }); booting it again"
  done
  wall=$(( $(date +%s) - started ))
  result=$(tr -d '\r' < "$console" | sed -n 's/^NETLAB-REFEREE-RESULT: //p' | tail -1)
  tests=$(tr -d '\r' < "$console" | grep -E '^[0-9]+ of [0-9]+ labs passed' | tail -1 || true)
  # lab by lab as test printed them (also when the run was cut by NETLAB_VM_TIMEOUT)
  labs_seen=$(tr -d '\r' < "$console" | sed -n '/^=== test-all-variants:/,$p' | grep -E '^(pass|FAIL|skip)  ' \
    | awk '{ n[$1]++ } END { printf "%d pass, %d FAIL, %d skip", n["pass"], n["FAIL"], n["skip"] }')
  line="kernel $kver ($suite): ${result:-no result (qemu exit $qemu_status)}; test --all --variants: ${tests:-none} (lab lines: $labs_seen)${crashes:+ (guest kernel crashes, booted again: ${crashes[*]})}; wall ${wall} s (host load average $load_before at boot, $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
  summary+=("$line")
  log "$line"
  [ "${result%% *}" = ok ] || overall=1
  rm -f "$WORK/initrd.cpio"
done

echo "=== vm-referee summary"
printf '%s\n' "${summary[@]}"
exit $overall
