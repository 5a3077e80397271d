#!/usr/bin/env bash
# The main job: set up, record a bundled gevent example, and print what happened in it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
example="${1:-examples/bounded_queue.py}"
out="${TMPDIR:-/tmp}/greenlet-lens-example.glt"
echo "== recording $example"
SEED_SCALE="${SEED_SCALE:-0.2}" node dist/cli.js record --output "$out" -- "$example"
echo
echo "== what the trace holds"
node dist/cli.js stats "$out"
echo
echo "== the moment the boss first waits for room in the queue"
at=$(node dist/cli.js cat "$out" | grep -m1 '"reason":"queue_put"' | sed 's/{"seq":\([0-9]*\).*/\1/' || true)
if [ -n "$at" ]; then node dist/cli.js state "$out" --at "$at" --text; fi
echo
echo "== at the end"
node dist/cli.js state "$out" --text
echo
echo "== see it on the board: node dist/cli.js view $out   (serves http://127.0.0.1:PORT/)"
echo "   or in VS Code: open $out, or debug a program with the 'greenlet' debug type"
