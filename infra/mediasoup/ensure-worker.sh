#!/usr/bin/env bash
# Make sure node_modules/mediasoup has a working mediasoup-worker, in this order:
#   1. MEDIASOUP_WORKER_BIN is set (mediasoup uses it directly): nothing to do.
#   2. The package's default path already has a worker that runs (for example
#      when npm ran mediasoup's own postinstall on a connected machine).
#   3. A cached build for this mediasoup version under ~/.cache/balai.
#   4. mediasoup's prebuilt download (connected machines).
#   5. An offline build from the package's sources against Debian's libraries.
# The result is installed at the package's default path, where every process
# (apps, tests, benchmarks) finds it without extra environment.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/infra/scripts/lib.sh"

if [ -n "${MEDIASOUP_WORKER_BIN:-}" ]; then
  [ -x "$MEDIASOUP_WORKER_BIN" ] || die "MEDIASOUP_WORKER_BIN=$MEDIASOUP_WORKER_BIN is not an executable"
  log "mediasoup worker: MEDIASOUP_WORKER_BIN=$MEDIASOUP_WORKER_BIN"
  exit 0
fi

pkg="$root/node_modules/mediasoup"
[ -f "$pkg/package.json" ] || die "mediasoup is not installed (run npm ci first)"
version="$(node -p "require('$pkg/package.json').version")"
target="$pkg/worker/out/Release/mediasoup-worker"
cached="$CACHE/mediasoup-worker/$version/mediasoup-worker"

runs_here() { # the worker exits 41 when started without MEDIASOUP_VERSION
  local code=0
  env -i "$1" >/dev/null 2>&1 || code=$?
  [ "$code" -eq 41 ]
}

if [ -x "$target" ] && runs_here "$target"; then
  log "mediasoup worker: $version ready"
  exit 0
fi

apt_ensure libssl3 libuv1 libsrtp2-1 libusrsctp2 libabsl20220623
if [ ! -x "$cached" ] || ! runs_here "$cached"; then
  if ! node "$here/fetch-prebuilt.mjs" "$cached"; then
    log "building mediasoup-worker $version offline against Debian's libraries (first time only, ~6-10 min)"
    apt_ensure "${MEDIASOUP_BUILD_APT[@]}"
    "$here/build-worker.sh" "$cached" >"$LOGS/mediasoup-build.log" 2>&1 || { tail -40 "$LOGS/mediasoup-build.log"; die "mediasoup worker build failed"; }
  fi
fi
runs_here "$cached" || die "the mediasoup worker at $cached does not run on this machine"
mkdir -p "$(dirname "$target")"
cp "$cached" "$target.tmp" && mv "$target.tmp" "$target"
log "mediasoup worker: $version installed at node_modules/mediasoup/worker/out/Release"
