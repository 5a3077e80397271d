#!/usr/bin/env bash
# The one test command: sets up, builds, then runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p tsconfig.json
# Unit tests of single modules, then integration tests against real Python + gevent.
node scripts/run-tests.mjs out/test/unit out/test/integration
