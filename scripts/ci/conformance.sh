#!/usr/bin/env bash
# Conformance: each lab built beside the real software it teaches, in throwaway network + mount + pid
# namespaces, and compared object by object (links, addresses, routes, iptables tables, sysctls,
# listening sockets). Fails on any difference the lab file does not declare under `simplifications`.
#   bash scripts/ci/conformance.sh [CASE...]     (as root; cases: see scripts/ci/conformance/run.mjs)
set -euo pipefail
REFEREE=conformance
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lib/common.sh"
need_root
install_missing /usr/lib/cni/bridge=containernetworking-plugins busybox=busybox-static dockerd=docker.io
[ -x /usr/lib/cni/bridge ] || die "containernetworking-plugins has no /usr/lib/cni/bridge"
[ -e "$repo/dist/bundle.mjs" ] || [ -d "$repo/dist" ] || (cd "$repo" && npm run build >/dev/null)
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(netns-basics red-blue-bridge bridge-lan-nat host-port-forward container-br0-nat-dns cni-bridge cni-bridge@ctr-a-deleted docker-bridge)
started=$SECONDS
failed=()
work=$(mktemp -d /var/tmp/netlab-conformance.XXXXXX)
chmod 700 "$work"
id=${work##*.}
cleanup() {
  local cg
  for cg in /sys/fs/cgroup/*/netlab-conformance-"$id" /sys/fs/cgroup/netlab-conformance-"$id"; do
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
for c in "${cases[@]}"; do
  t=$SECONDS
  status=0
  CONFORMANCE_WORK=$work CONFORMANCE_ID=$id unshare --net --mount --pid --fork --mount-proc --kill-child --propagation private -- bash -c '
    set -e
    for d in /run/netns /etc/netns /run/netlab /var/lib/cni; do mkdir -p "$d"; mount -t tmpfs netlab-conformance "$d"; done
    ip link set lo up
    exec node "$1/conformance/run.mjs" "$2"' conformance "$here" "$c" || status=$?
  log "$c: exit $status in $((SECONDS - t)) s"
  [ $status -eq 0 ] || failed+=("$c")
done
[ ${#failed[@]} -eq 0 ] || die "conformance: undeclared differences in ${failed[*]} ($((SECONDS - started)) s)"
log "conformance: ${#cases[@]} cases conform, $((SECONDS - started)) s"
