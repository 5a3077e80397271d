#!/usr/bin/env bash
# The one test command: sets up, builds, packages the extension, installs a
# real VS Code (code-server, cached outside the repository), then runs every
# test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export GREENLET_LENS_SET_UP=1 # the scripts below need not set up again
npx tsc -p tsconfig.json
# Lint first: eslint, flake8, generated files up to date.
bash scripts/lint.sh
bash scripts/package.sh >/dev/null
bash scripts/code-server.sh >/dev/null
# Unit tests of single modules, integration tests against real Python + gevent,
# DAP tests: the built dist/adapter.js driven by a DAP client, debugging real programs,
# board tests: the built board in Debian's Chromium, served by `greenlet-lens view`,
# end-to-end tests: the packaged .vsix in a real VS Code (code-server) driven in Chromium,
# and the @vscode/test-electron suite, which runs only when GREENLET_LENS_VSCODE names a VS Code.
node scripts/run-tests.mjs out/test/unit out/test/integration out/test/dap out/test/board
# Alone, after the rest: one VS Code driven step by step wants the machine to itself.
node scripts/run-tests.mjs out/test/e2e
node out/test/vscode-electron/run.js
