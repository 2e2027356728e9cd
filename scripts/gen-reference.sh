#!/usr/bin/env bash
# Regenerate what is generated from the lab schema: the JSON Schema for editors and the format reference.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.build.json
./bin/netlab schema > schema/lab.schema.json
./bin/netlab schema --format markdown > docs/lab-format.md
./bin/netlab labs --graph > docs/labs.md
echo "regenerated schema/lab.schema.json, docs/lab-format.md, docs/labs.md"
