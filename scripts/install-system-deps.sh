#!/usr/bin/env bash
# Install the system tools netlab uses, only those missing, on Debian/Ubuntu. Idempotent.
# dnsmasq-base (not dnsmasq): the binary without a system service listening in the root namespace.
set -euo pipefail
declare -A need=( [ip]=iproute2 [bridge]=iproute2 [iptables]=iptables [iptables-restore]=iptables [ping]=iputils-ping
                  [dnsmasq]=dnsmasq-base [tcpdump]=tcpdump [sysctl]=procps [ps]=procps [dig]=dnsutils [unshare]=util-linux )
need[curl]=curl   # the test suite's HTTP facts (test/integration/labs-facts.test.ts)
missing=()
for tool in "${!need[@]}"; do
  PATH="$PATH:/usr/sbin:/sbin" command -v "$tool" >/dev/null 2>&1 || missing+=("${need[$tool]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "need root to install: ${packages[*]}" >&2; exit 3; }
  as_root=(sudo)
fi
echo "installing: ${packages[*]}" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
