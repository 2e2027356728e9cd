#!/usr/bin/env bash
# Provision a Debian/Ubuntu VM for netlab: Node >= 20, the system tools, and netlab linked as `netlab`.
set -euo pipefail
cd /vagrant 2>/dev/null || cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  apt-get update -qq
  apt-get install -y -qq nodejs npm
fi
bash scripts/install-system-deps.sh
npm ci --no-audit --no-fund
npm link
