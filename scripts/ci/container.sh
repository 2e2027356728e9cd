#!/usr/bin/env bash
# CI referee: the project's Dockerfile built and run for real, privileged, under Debian's docker.io.
#
# No image registry is reachable, so the base image is made from Debian's packages: the cached
# bookworm minbase root (see lib/common.sh) plus this machine's node and npm, imported as
# netlab-ci/node:20-bookworm-minbase and passed to the Dockerfile as BASE (whose default,
# node:20-bookworm-slim, is what users with a registry get). Then, as the README's CI line does:
#   docker build -t netlab:ci .   and   docker run --rm --privileged netlab:ci test --all --junit ...
#
# The daemon never touches this machine: dockerd (with its own containerd, data root, exec root,
# pid file and socket in a temp dir) runs in a network, mount and pid namespace of its own; its
# only way out is slirp4netns (user-mode TCP/IP: plain sockets on this machine, no link, address,
# route or firewall rule in the root namespace), which the build needs for apt-get and npm.
# docker0 and docker's iptables rules live in that namespace and die with it.
#
#   bash scripts/ci/container.sh     (as root)
set -euo pipefail
REFEREE=container
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/lib/common.sh"
need_root
docker=/usr/bin/docker   # Debian's client, matching Debian's daemon (another docker may be first on PATH)
export DOCKER_BUILDKIT=0 DOCKER_CLI_HINTS=false
export BASE_IMAGE=netlab-ci/node:20-bookworm-minbase

if [ "${1:-}" = --inside ]; then exec bash "$here/lib/container-inside.sh" "$2"; fi

# dockerd and containerd processes on this machine (ours show here too while they run)
root_daemons() { { pgrep -x dockerd; pgrep -x containerd; } | sort || true; }

started=$SECONDS
install_missing dockerd=docker.io slirp4netns=slirp4netns
daemons_before=$(root_daemons)
base=$(bookworm_minbase)
work=$(mktemp -d /var/tmp/netlab-container.XXXXXX)
chmod 711 "$work"
id=${work##*.}
inner= slirp=
cleanup() {
  trap - EXIT INT TERM HUP
  set +e   # tidy up everything, whatever fails
  [ -n "$slirp" ] && kill "$slirp" 2>/dev/null && wait "$slirp" 2>/dev/null
  # the pid namespace's first process takes dockerd, containerd and every container with it
  [ -n "$inner" ] && kill -KILL "$inner" 2>/dev/null && wait "$inner" 2>/dev/null
  local cg
  for cg in /sys/fs/cgroup/*/netlab-ci-"$id" /sys/fs/cgroup/netlab-ci-"$id"; do
    [ -d "$cg" ] && find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  rm -rf --one-file-system "$work"
  local daemons_after _
  for _ in $(seq 50); do daemons_after=$(root_daemons); [ "$daemons_after" = "$daemons_before" ] && break; sleep 0.1; done
  [ "$daemons_after" = "$daemons_before" ] || log "WARNING: dockerd/containerd running that were not before: $daemons_after"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

# the base image's root: minbase + node + npm (where node:20-bookworm-slim has them)
mkdir "$work/base"
tar -C "$work/base" --numeric-owner -xf "$base"
copy_node_into "$work/base"
site_ca_into "$work/base" > "$work/base-env"
commit=$(clone_commit_into "$repo" "$work/context")
log "commit ${commit:0:12}; dockerd in its own network, mount and pid namespace ($work)"

unshare --net --mount --pid --fork --mount-proc --kill-child --propagation private -- \
  bash "$0" --inside "$work" &
inner=$!
for _ in $(seq 100); do [ -e "$work/netns-ready" ] && break; sleep 0.1; done
[ -e "$work/netns-ready" ] || die "the namespace did not come up"
# slirp4netns must only ever be pointed at the new namespace, never at this machine's own
[ "$(readlink "/proc/$inner/ns/net")" != "$(readlink /proc/self/ns/net)" ] || die "unshare did not make a network namespace"
slirp4netns --configure --mtu=65520 --disable-host-loopback "$inner" tap0 > "$work/slirp4netns.log" 2>&1 &
slirp=$!
status=0
wait "$inner" || status=$?
inner=
[ $status -eq 0 ] || die "the container referee after $((SECONDS - started)) s (commit ${commit:0:12}; see above)"
log "passed: image built and \`netlab test --all\` passed in it, $((SECONDS - started)) s in all"
