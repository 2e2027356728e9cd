#!/bin/bash
# The node that runs one integration test file (test/helpers/netns-pool.ts forks it as its execPath),
# inside a throwaway network and mount namespace of the file's own: a loopback, an empty /run/netns
# and /run/netlab on tmpfs, and /etc under an overlay whose upper layer is a tmpfs, without /etc/netns
# (a whiteout: the machine's /etc/netns, other people's labs, is neither seen nor touched). Labs, their
# /etc/netns files and firewall rules live and die in here; when the file's node exits, the namespaces go.
# `unshare` without --fork, then exec: node keeps this process, its IPC channel to vitest and its signals.
set -eu
[ "${1:-}" = --inside ] || exec unshare --net --mount --propagation private -- "$0" --inside "$@"
shift
ip link set lo up
mkdir -p /run/netns /run/netlab
mount -t tmpfs -o mode=0755 netlab-test-netns /run/netns
mount -t tmpfs -o mode=0755 netlab-test-state /run/netlab
scratch=$(mktemp -d /tmp/netlab-test-etc.XXXXXX)
mount -t tmpfs -o mode=0700 netlab-test-etc "$scratch"
mkdir "$scratch/upper" "$scratch/work"
mount -t overlay netlab-test-etc -o "lowerdir=/etc,upperdir=$scratch/upper,workdir=$scratch/work" /etc
# the overlay keeps its own reference to the upper layer: the scratch mount point can go at once
umount "$scratch" && rmdir "$scratch"
# only ever inside the overlay: a whiteout in its upper layer, the real /etc/netns is left alone
[ "$(stat -f -c %T /etc)" = overlayfs ] || { echo "netns-worker: /etc is not the overlay" >&2; exit 1; }
rm -rf /etc/netns
exec "${NETLAB_TEST_NODE:?}" "$@"
