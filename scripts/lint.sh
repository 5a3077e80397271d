#!/usr/bin/env bash
# npm run lint (and the first step of npm test): eslint with typescript-eslint
# over the TypeScript and the scripts (eslint.config.mjs), flake8 over the
# Python (.flake8), and the generated files checked for staleness.
set -euo pipefail
cd "$(dirname "$0")/.."
npx eslint --max-warnings 0 .
flake8 runtime-instrumentation test/python test/programs bench/workloads examples
node scripts/gen-schema.mjs --check
