#!/usr/bin/env bash
# Build mediasoup-worker from the installed npm package's sources against Debian's
# system libraries (no network beyond apt). Used when the package's prebuilt
# download is unreachable (air-gapped servers, CI machines of this project).
#
#   infra/mediasoup/build-worker.sh <output-binary-path>
#
# Needs the apt packages listed in infra/scripts/lib.sh (MEDIASOUP_BUILD_APT).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:?usage: build-worker.sh <output-binary-path>}"
pkg="$root/node_modules/mediasoup"
version="$(node -p "require('$pkg/package.json').version")"

work="$(mktemp -d "${TMPDIR:-/tmp}/mediasoup-worker-$version.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r "$pkg/worker" "$work/worker"
rm -rf "$work/worker/out" "$work/worker/subprojects"
python3 "$here/patch-meson.py" "$work/worker"

# io_uring is disabled on purpose: Debian's liburing 2.3 lacks calls the worker
# uses, and measured on these machines the io_uring path falls off a cliff at
# saturation while the plain path degrades gradually (see docs in README).
cd "$work/worker"
CPPFLAGS="-I$here/shim" CXXFLAGS="-I$here/shim" meson setup build \
  --buildtype release -Db_ndebug=true -Db_pie=true -Db_staticpic=true \
  -Dms_disable_liburing=true >"$work/meson-setup.log" 2>&1 || { tail -40 "$work/meson-setup.log"; exit 1; }
jobs="$(nproc)"
ninja -C build -j "$jobs" fbs/FBS >"$work/ninja.log" 2>&1 || { tail -40 "$work/ninja.log"; exit 1; }
ninja -C build -j "$jobs" mediasoup-worker >>"$work/ninja.log" 2>&1 || { tail -60 "$work/ninja.log"; exit 1; }

mkdir -p "$(dirname "$out")"
strip -o "$out.tmp" build/mediasoup-worker
mv "$out.tmp" "$out"
chmod 0755 "$out"
echo "built $out (mediasoup $version)"
