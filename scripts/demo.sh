#!/usr/bin/env bash
# The main job: bring red-blue-bridge up, verify it, take it down (also when verify fails).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh || exit $?
lab=${1:-red-blue-bridge}
root=(bash scripts/as-root.sh)
"${root[@]}" ./bin/netlab up "$lab" || exit $?
"${root[@]}" ./bin/netlab verify "$lab"; verified=$?
"${root[@]}" ./bin/netlab down "$lab" || exit $?
exit $verified
