#!/usr/bin/env bash
# npm run bench: set up, build, then measure (not part of npm test).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p tsconfig.json
node bench/run.mjs
