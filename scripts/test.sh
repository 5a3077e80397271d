#!/usr/bin/env bash
# The one test command: sets up, builds, then runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx tsc -p tsconfig.json
# Unit tests of single modules, integration tests against real Python + gevent,
# DAP tests: the built dist/adapter.js driven by a DAP client, debugging real programs,
# then board tests: the built board in Debian's Chromium, served by `greenlet-lens view`.
node scripts/run-tests.mjs out/test/unit out/test/integration out/test/dap out/test/board
