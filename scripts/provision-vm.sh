#!/usr/bin/env bash
# Provision a Debian/Ubuntu machine (the Vagrant VM, a CI container, a fresh rootfs) for netlab:
# Node >= 20, the system tools, and netlab itself (npm ci, built, linked as `netlab`). Idempotent.
#
# Node: Debian bookworm ships Node 18, so when the machine has no Node >= 20 this installs Debian's
# nodejs + npm only to bootstrap, then the official Node binary published on the npm registry as the
# package node-linux-<arch> (the same build as nodejs.org) into /usr/local, which comes first on
# PATH and in sudo's secure_path. Only Debian's mirrors and the npm registry are needed.
set -euo pipefail
NODE_MAJOR=${NODE_MAJOR:-22}
SRC=${NETLAB_SRC:-/vagrant}
[ -f "$SRC/package.json" ] || SRC="$(cd "$(dirname "$0")/.." && pwd)"
cd "$SRC"
export DEBIAN_FRONTEND=noninteractive
[ "$(id -u)" -eq 0 ] || { echo "run as root (vagrant runs provisioners as root)" >&2; exit 3; }

node_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 20 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm ca-certificates >/dev/null
  fi
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) echo "no Node binary for $(uname -m) on the npm registry; install Node >= 20 yourself" >&2; exit 3 ;;
  esac
  npm install --global --prefix /usr/local --no-audit --no-fund --loglevel=error "node-linux-$arch@$NODE_MAJOR"
  hash -r
  [ "$(node_major)" -ge 20 ] || { echo "Node >= 20 is still not first on PATH (node is $(command -v node))" >&2; exit 3; }
fi
echo "node $(node --version) at $(command -v node)"

bash scripts/install-system-deps.sh
# sudo is how the README runs netlab; minimal images lack it
command -v sudo >/dev/null 2>&1 || { apt-get install -y -qq --no-install-recommends sudo >/dev/null; }

npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
# a symlink, not npm link (which runs the build again): bin/netlab finds its package through it
ln -sf "$SRC/bin/netlab" /usr/local/bin/netlab
# the services of `netlab plan --format sh` scripts (`up` runs its own copy by path)
ln -sf "$SRC/libexec/netlab-serve" /usr/local/bin/netlab-serve
# the VM exists for the labs: load the kernel modules the shipped labs need (br_netfilter on Debian's
# stock kernel) now and at every boot (/etc/modules-load.d/netlab.conf); doctor then checks the rest.
# Not in an image build (the Dockerfile says NETLAB_IMAGE_BUILD=1): `docker build` has no privileges
# to probe the kernel, and the kernel that runs the image is the host's, checked at `docker run`.
[ "${NETLAB_IMAGE_BUILD:-}" = 1 ] || netlab doctor --fix --quiet
echo "netlab $(netlab --version) at $(command -v netlab); try: sudo netlab up red-blue-bridge"
