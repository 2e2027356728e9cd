#!/usr/bin/env bash
# CI referee: the README's two commands on a fresh machine.
#
# A pristine copy of a Debian bookworm minbase root (debootstrap, cached), plus this machine's node
# and npm and nothing else, plus the current commit cloned into /root/netlab. In it, as root and
# exactly as the README says:  npm ci && npm run demo   then   npm ci && npm test
# (which install the system packages themselves with apt-get).
#
# Namespaces: a mount and pid namespace of its own (every mount, process and `ip netns` bind mount
# of the run vanishes with it, even on kill -9), but the machine's network namespace: apt-get and
# npm reach their mirrors, and the suite's root-namespace guard checks the machine's real one.
# So this run is also CI's run of the suite on this machine's kernel.
#
#   bash scripts/ci/fresh-root.sh     (as root; NETLAB_CI_REFRESH=1 bootstraps the cached base again)
set -euo pipefail
REFEREE=fresh-root
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lib/common.sh"
need_root

if [ "${1:-}" = --inside ]; then   # in the private mount + pid namespace: mount, chroot, run
  root=$2; shift 2
  mount --bind "$root" "$root"     # `ip netns exec` needs / to be a mount point (mount --make-rslave /)
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o mode=755 tmpfs "$root/run"
  run_in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@" \
      /bin/bash -c 'cd /root/netlab && eval "$1"' readme "$README_CMD"
  }
  status=0
  for README_CMD in 'npm ci && npm run demo' 'npm ci && npm test'; do
    log "\$ $README_CMD"
    start=$SECONDS
    run_in_root "$@" || status=$?
    if [ $status -ne 0 ]; then
      log "FAILED: the README's \`$README_CMD\` exited $status in the fresh Debian root ($((SECONDS - start)) s)"
      exit 1
    fi
    log "passed: \`$README_CMD\` ($((SECONDS - start)) s)"
  done
  exit 0
fi

started=$SECONDS
base=$(bookworm_minbase)
work=$(mktemp -d /var/tmp/netlab-fresh-root.XXXXXX)
inner=
cleanup() {
  trap - EXIT INT TERM HUP
  set +e   # tidy up everything, whatever fails
  # killing the pid namespace's first process kills every process of the run; its mounts go with it
  [ -n "$inner" ] && kill -KILL "$inner" 2>/dev/null && wait "$inner" 2>/dev/null
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

root=$work/root
mkdir "$root"
tar -C "$root" --numeric-owner -xf "$base"
copy_node_into "$root"
mapfile -t trust < <(site_ca_into "$root")
cp /etc/resolv.conf "$root/etc/resolv.conf"
commit=$(clone_commit_into "$repo" "$root/root/netlab")
log "commit ${commit:0:12} in a fresh bookworm minbase root ($work), node $("$root/usr/local/bin/node" --version)"

unshare --mount --pid --fork --kill-child --propagation private -- bash "$0" --inside "$root" "${trust[@]}" &
inner=$!
status=0
wait "$inner" || status=$?
inner=
[ $status -eq 0 ] || die "fresh root after $((SECONDS - started)) s (commit ${commit:0:12})"
log "passed: both README commands in a fresh Debian root in $((SECONDS - started)) s"
