#!/usr/bin/env bash
# npm run bench: set up, build, then measure (not part of npm test); writes
# docs/benchmarks.md and bench/results.json. BENCH_RUNS=N (default 5) runs of
# each variant, BOARD_RUNS=N (default 3) loads of the board: BENCH_RUNS=1
# BOARD_RUNS=1 npm run bench is a quick check (about 2 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The "debugpy" variant needs Debian's debugpy (bench only, not the test setup);
# if it cannot be installed the bench skips that variant and says why.
if ! /usr/bin/python3 -c 'import debugpy' >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "bench: installing python3-debugpy with apt-get" >&2
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-debugpy >/dev/null; } \
    || echo "bench: could not install python3-debugpy; the debugpy variant will be skipped" >&2
fi
# Instruction counts (beside the noisy wall times) need valgrind, bench only as well.
if ! command -v valgrind >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "bench: installing valgrind with apt-get" >&2
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq valgrind >/dev/null; } \
    || echo "bench: could not install valgrind; instruction counts will be skipped" >&2
fi
npx tsc -p tsconfig.json
# The pause measurement runs the packaged extension in code-server, as the end-to-end tests do.
bash scripts/package.sh >/dev/null
node bench/run.mjs
