# Shared by the CI referees under scripts/ci/: logging, root, Debian packages, the cached
# bookworm minbase root, and this machine's Node. Sourced, not run.

log() { printf '[%s %s] %s\n' "$(date -u +%H:%M:%S)" "${REFEREE:-ci}" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || { echo "${REFEREE:-ci}: run as root (bash scripts/as-root.sh $0)" >&2; exit 3; }; }

# apt-get install the packages whose command is missing ("command=package" pairs), without
# letting any package start a service on this machine: a policy-rc.d that denies every start
# is put in place for the install when there is none (and removed again only if we made it).
install_missing() {
  local pair missing=()
  for pair in "$@"; do
    PATH="$PATH:/usr/sbin:/sbin" command -v "${pair%%=*}" >/dev/null 2>&1 || missing+=("${pair#*=}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# netlab CI: no service starts while packages are installed\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  log "installing ${missing[*]} (policy-rc.d denies service starts)"
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq)
  local status=0
  { "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null; } || status=$?
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
  [ $status -eq 0 ] || die "apt-get install ${missing[*]} (exit $status)"
}

# The pristine Debian bookworm minbase root as a tarball, bootstrapped from Debian's mirror once
# per machine and cached (NETLAB_CI_REFRESH=1 bootstraps again). Prints its path.
CI_CACHE=${NETLAB_CI_CACHE:-/var/cache/netlab-ci}
DEBIAN_MIRROR=${NETLAB_CI_MIRROR:-http://deb.debian.org/debian}
bookworm_minbase() {
  local dir="$CI_CACHE/fresh-root" tarball
  tarball="$dir/bookworm-minbase-$(dpkg --print-architecture).tar"
  mkdir -p "$dir"
  (
    flock 9   # two referees starting at once bootstrap once
    if [ -s "$tarball" ] && [ "${NETLAB_CI_REFRESH:-}" != 1 ]; then exit 0; fi
    install_missing debootstrap=debootstrap
    local tmp
    tmp=$(mktemp -d "$dir/bootstrap.XXXXXX")
    trap 'rm -rf --one-file-system "$tmp"' EXIT
    log "debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR (cached in $tarball)"
    # in a mount namespace of its own: the /proc and /sys it mounts in the root vanish with it
    unshare --mount --propagation private debootstrap --variant=minbase bookworm "$tmp/root" "$DEBIAN_MIRROR" > "$tmp/debootstrap.log" 2>&1 \
      || { tail -n 20 "$tmp/debootstrap.log" >&2; die "debootstrap"; }
    tar -C "$tmp/root" --numeric-owner --one-file-system -cf "$tmp/root.tar" .
    mv "$tmp/root.tar" "$tarball"   # atomic: an interrupted bootstrap leaves no half tarball
  ) 9> "$dir/.lock" || exit 1
  printf '%s\n' "$tarball"
}

# Copy this machine's node and npm (and nothing else) into ROOT/usr/local.
copy_node_into() {
  local root=$1 node npm_dir
  node=$(readlink -f "$(command -v node)") || die "no node on PATH"
  npm_dir=$(readlink -f "$(dirname "$node")/../lib/node_modules/npm")
  [ -f "$npm_dir/bin/npm-cli.js" ] || die "npm not found next to $node (looked in $npm_dir)"
  mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules"
  cp "$node" "$root/usr/local/bin/node"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
}

# This machine's egress re-signs TLS with its own CA, which Node finds through NODE_EXTRA_CA_CERTS
# (as any user behind such a proxy sets it). Copy that CA file into ROOT and print the variable
# to use there; print nothing when the machine needs none.
site_ca_into() {
  local root=$1 ca=${NODE_EXTRA_CA_CERTS:-}
  [ -n "$ca" ] && [ -r "$ca" ] || return 0
  mkdir -p "$root/usr/local/share/netlab-ci"
  cp "$ca" "$root/usr/local/share/netlab-ci/site-ca.crt"
  printf 'NODE_EXTRA_CA_CERTS=/usr/local/share/netlab-ci/site-ca.crt\n'
}

# The commit to test, cloned (never the working tree, which may be dirty) into DEST.
clone_commit_into() {
  local repo=$1 dest=$2 commit
  commit=$(git -C "$repo" rev-parse HEAD)
  [ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] \
    || log "the checkout has uncommitted changes: they are not tested (commit ${commit:0:7} is)"
  git clone --quiet --no-hardlinks --no-checkout "$repo" "$dest"
  git -C "$dest" checkout --quiet --detach "$commit"
  printf '%s\n' "$commit"
}
