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
# The Python stacks of the matrix: virtual environments cached outside the
# repository, from ../shared/pystacks; a stack without its wheels or its
# interpreter is reported as skipped.
node scripts/stacks.mjs setup
# Unit tests of single modules, and board tests: the built board in Debian's
# Chromium, served by `greenlet-lens view`.
node scripts/run-tests.mjs out/test/unit out/test/board
# The runtime's own Python tests (encoders, registry, call sites), with the compiled core and without.
/usr/bin/python3 -m unittest discover -s test/python -p 'test_*.py'
# The stack matrix: integration tests against real Python + gevent and DAP
# tests (the built dist/adapter.js driven by a DAP client, debugging real
# programs) on every stack (Debian's gevent 22.10, gevent 26.5 on Python 3.12
# and 3.13, pure-Python mode on an old and a new one), with each stack's counts.
node scripts/stacks.mjs test out/test/integration out/test/dap
# End-to-end tests: the packaged .vsix in a real VS Code (code-server) driven in Chromium,
# and the @vscode/test-electron suite, which runs only when GREENLET_LENS_VSCODE names a VS Code.
# Alone, after the rest: one VS Code driven step by step wants the machine to itself.
node scripts/run-tests.mjs out/test/e2e
node out/test/vscode-electron/run.js
