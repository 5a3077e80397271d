#!/usr/bin/env bash
# The main job: set up, package the extension, record a bundled gevent
# example, and open the examples/ workspace in a real VS Code (code-server on
# 127.0.0.1) with Greenlet Lens installed. Ctrl-C stops it.
# GREENLET_LENS_PORT picks the port (default: a free one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export GREENLET_LENS_SET_UP=1 # the scripts below need not set up again
vsix=$(bash scripts/package.sh)
code_server=$(bash scripts/code-server.sh)
cache="${GREENLET_LENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/greenlet-lens}"

trace=examples/recordings/bounded_queue.glt
echo "== recording examples/bounded_queue.py to $trace"
(cd examples && SEED_SCALE="${SEED_SCALE:-0.2}" node ../dist/cli.js record --output "recordings/bounded_queue.glt" -- bounded_queue.py >/dev/null)
node dist/cli.js stats "$trace"
echo
echo "== starting VS Code (code-server) with $vsix installed"
echo "   In it: Run and Debug (Ctrl+Shift+D) lists a greenlet launch configuration per example;"
echo "   F5 starts one and opens the board. Double-click $trace to replay it. Ctrl-C here stops VS Code."
exec node scripts/vscode-web.mjs --code-server "$code_server" --vsix "$vsix" --workspace examples \
  --profile "$cache/profile" --port "${GREENLET_LENS_PORT:-0}"
