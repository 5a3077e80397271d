#!/usr/bin/env bash
# npm run package: builds the bundles and packs the extension into
# dist/greenlet-lens-VERSION.vsix (contents chosen by .vscodeignore), then
# prints the path of the .vsix.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${GREENLET_LENS_SET_UP:-}" ] || bash scripts/setup.sh >&2
version=$(node -p 'require("./package.json").version')
out="dist/greenlet-lens-$version.vsix"
# --no-dependencies: the bundles carry what they need, so node_modules stays out.
npx vsce package --no-dependencies --readme-path docs/marketplace.md -o "$out" >&2
echo "$out"
