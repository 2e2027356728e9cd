#!/usr/bin/env bash
# The whole test suite: unit tests and, as root, integration tests on the real kernel.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh || exit $?
report=$(mktemp -d)/vitest.json
bash scripts/as-root.sh npx vitest run --reporter=default --reporter=json --outputFile="$report" "$@"
status=$?
if [ -s "$report" ]; then
  node -e 'const r = require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' "$report"
fi
exit $status
