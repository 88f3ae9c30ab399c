#!/usr/bin/env bash
# Native npm modules whose shipped prebuilt binary does not work on every
# machine. argon2's linux-x64 prebuild crashes (SIGSEGV) on this project's CI
# machines, so when a quick self-test fails we compile it from the package's
# sources with npm's bundled node-gyp against the local Node headers (no
# download needed when Node's headers are installed, as with Debian/NodeSource).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

argon2_works() {
  node -e "require('argon2').hash('self-test').then(h => process.exit(h.startsWith('\$argon2') ? 0 : 1), () => process.exit(1))" >/dev/null 2>&1
}

if argon2_works; then exit 0; fi
echo "[balai] argon2 prebuilt binary does not run here; building it from source" >&2
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
node_gyp="$npm_dir/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || node_gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$node_gyp" ] || { echo "[balai] npm's node-gyp not found" >&2; exit 1; }
node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
nodedir_args=()
[ -f "$node_prefix/include/node/node_api.h" ] && nodedir_args=(--nodedir="$node_prefix")
(cd node_modules/argon2 && node "$node_gyp" rebuild "${nodedir_args[@]}") >/dev/null 2>&1 \
  || { echo "[balai] argon2 source build failed (needs g++, make, python3)" >&2; exit 1; }
argon2_works || { echo "[balai] argon2 still does not work after a source build" >&2; exit 1; }
echo "[balai] argon2 built from source" >&2
