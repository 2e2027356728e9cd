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
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
