#!/usr/bin/env bash
# Installs code-server (VS Code's workbench served to a browser) into a cache
# outside the repository, idempotently, and prints the folder it lives in.
# VS Code's own downloads are out of reach on these machines; code-server from
# the npm registry is a real VS Code whose extension host runs here.
# Its own install scripts fetch binaries from outside, so they are skipped and
# their work is done here: native modules rebuilt against Debian's headers,
# Debian's ripgrep put where @vscode/ripgrep expects its download.
set -euo pipefail

version="${GREENLET_LENS_CODE_SERVER_VERSION:-4.100.3}" # the last release that runs on Node 20
cache="${GREENLET_LENS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/greenlet-lens}"
root="$cache/code-server-$version"
pkg="$root/node_modules/code-server"
stamp="$root/.installed"

if [ -f "$stamp" ]; then echo "$pkg"; exit 0; fi

log() { echo "code-server: $*" >&2; }

need_apt=()
# node-gyp builds the native modules: a compiler, make and Python, and the libraries' headers.
for p in g++ make python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$p")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  log "installing ${need_apt[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# No stamp: nothing or a half-finished install (interrupted); start over.
rm -rf "$root"
mkdir -p "$root"
export npm_config_cache="$cache/npm-cache"
export npm_config_update_notifier=false
started=$(date +%s)
log "installing code-server $version into $root (a few minutes, once)"
(cd "$root" && echo '{"private":true}' > package.json &&
  npm install --no-audit --no-fund --ignore-scripts "code-server@$version" >/dev/null)

vsc="$pkg/lib/vscode"
log "installing VS Code's own packages"
(cd "$vsc" && npm install --no-audit --no-fund --omit=dev --ignore-scripts >/dev/null)

rg_dir="$vsc/node_modules/@vscode/ripgrep/bin"
mkdir -p "$rg_dir"
cp "$(command -v rg)" "$rg_dir/rg"

log "building native modules"
# Every package with a binding.gyp, outermost first; node-pty builds only with node-gyp run in its folder.
mapfile -t native < <(cd "$vsc/node_modules" && find . -name binding.gyp -not -path '*/node_modules/*/node_modules/*' \
  -printf '%h\n' | sed 's|^\./||' | sort -u)
for dir in "${native[@]}"; do
  name="$dir"
  case "$name" in */build*|*/deps/*|*/src/*|*/test*) continue ;; esac
  if [ "$name" = node-pty ]; then
    (cd "$vsc/node_modules/node-pty" && npx --yes node-gyp rebuild >/dev/null 2>&1) || { log "node-pty failed to build"; exit 1; }
  else
    (cd "$vsc" && npm rebuild "$name" >/dev/null 2>&1) || { log "$name failed to build"; exit 1; }
  fi
done
(cd "$root" && npm rebuild argon2 >/dev/null 2>&1) || { log "argon2 failed to build"; exit 1; }
ln -sfn node_modules "$vsc/node_modules.asar"

test -f "$pkg/out/node/entry.js" || { log "no out/node/entry.js in $pkg"; exit 1; }
touch "$stamp"
log "installed in $(( $(date +%s) - started )) s"
echo "$pkg"
