#!/usr/bin/env bash
# Builds the Debian packages from a build tree: sluice_VERSION_ARCH.deb and, when the console is
# part of the build, sluice-console_VERSION_ARCH.deb; prints their paths.
#   installer/build-debs.sh [--no-build] BUILD_DIR [OUT_DIR]     (OUT_DIR: BUILD_DIR/packages)
# First brings the binaries up to date (ninja), unless --no-build (the tests: they package what
# was built). Needs dpkg-dev (dpkg-shlibdeps) and file, as CPack's DEB generator does.
set -euo pipefail
build_first=1
if [ "${1:-}" = --no-build ]; then build_first=0; shift; fi
build=$(cd "${1:?usage: build-debs.sh [--no-build] BUILD_DIR [OUT_DIR]}" && pwd)
out=${2:-"$build/packages"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ "$build_first" = 1 ]; then
  targets=(sluice)
  if ninja -C "$build" -t targets all 2>/dev/null | grep -q '^sluice-console:'; then targets+=(sluice-console); fi
  ninja -C "$build" "${targets[@]}" >/dev/null
fi
rm -f "$out"/*.deb
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1; then
  cat "$out/cpack.log" >&2
  exit 1
fi
rm -rf "$out/_CPack_Packages"
ls "$out"/*.deb
