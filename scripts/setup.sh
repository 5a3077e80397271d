#!/usr/bin/env bash
# Installs what Greenlet Lens needs on a fresh Debian machine, idempotently:
# Debian's gevent and pytest for /usr/bin/python3, Debian's Chromium (the board tests
# drive /usr/bin/chromium with playwright-core, which never downloads a
# browser), Debian's flake8 (the Python linter of npm test), gcc and
# python3-dev (the recorder's compiled core is built with them on first use;
# without them it records with the pure-Python recorder), the npm packages,
# and the build.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
if ! /usr/bin/python3 -c 'import gevent' >/dev/null 2>&1; then
  need_apt+=(python3-gevent)
fi
if [ ! -x /usr/bin/chromium ]; then
  need_apt+=(chromium)
fi
if ! command -v flake8 >/dev/null 2>&1; then
  need_apt+=(flake8)
fi
if ! command -v gcc >/dev/null 2>&1; then
  need_apt+=(gcc)
fi
if [ ! -f "$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h" ]; then
  need_apt+=(python3-dev)
fi
# The runtime's pytest plugin is tested on Debian's pytest (PyPI is out of reach here).
if ! /usr/bin/python3 -c 'import pytest' >/dev/null 2>&1; then
  need_apt+=(python3-pytest)
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "setup: installing ${need_apt[*]} with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

stamp=node_modules/.greenlet-lens-installed
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
  echo "setup: installing npm packages" >&2
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund >/dev/null; else npm install --no-audit --no-fund >/dev/null; fi
  touch "$stamp"
fi

node scripts/build.mjs
