#!/usr/bin/env bash
# Install the system tools netlab, its demo and its test suite use, only those missing, on
# Debian/Ubuntu. Idempotent. The list is scripts/system-tools.tsv (the one `netlab doctor --fix` reads).
set -euo pipefail
list="$(dirname "$0")/system-tools.tsv"
missing=()
while IFS=$'\t' read -r tool pkg need _why; do
  case "$tool" in ''|'#'*) continue ;; esac
  [ "$need" = target ] && continue
  PATH="$PATH:/usr/sbin:/sbin" command -v "$tool" >/dev/null 2>&1 || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "need root to install: ${packages[*]} (run this as root)" >&2; exit 3; }
  as_root=(sudo)
fi
echo "installing: ${packages[*]}" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# openssh-server is here only for the tests' own sshd, run by hand inside namespaces: the package
# must not start (or enable) a server on this machine. A policy-rc.d forbids the start while it
# installs (unless the machine has its own), and the unit it enabled is disabled again.
no_start=""
if printf '%s\n' "${packages[@]}" | grep -qx openssh-server && [ ! -e /usr/sbin/policy-rc.d ]; then
  no_start=/usr/sbin/policy-rc.d
  "${as_root[@]}" sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d'
fi
status=0
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null || status=$?
if [ -n "$no_start" ]; then
  "${as_root[@]}" rm -f "$no_start"
  if command -v systemctl >/dev/null 2>&1; then
    "${as_root[@]}" systemctl disable --quiet ssh.service ssh.socket >/dev/null 2>&1 || true
  fi
  echo "openssh-server installed for the tests with its service disabled (the tests run sshd themselves, in namespaces)" >&2
fi
exit $status
