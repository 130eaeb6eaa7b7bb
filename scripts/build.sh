#!/usr/bin/env bash
# Configures and builds one build tree. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-"$here/build"}
shift || true
launcher=()
# ccache, when a developer has it, makes rebuilds in several worktrees cheap; CI does not need it.
# The test targets use a precompiled header (-include of a .gch), which ccache caches only with this
# sloppiness (https://ccache.dev/manual/latest.html#_precompiled_headers).
if command -v ccache >/dev/null; then
  cache="env;CCACHE_SLOPPINESS=pch_defines,time_macros;ccache"
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER="$cache" -DCMAKE_C_COMPILER_LAUNCHER="$cache")
fi
cmake -S "$here" -B "$build_dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
jobs=$(nproc)
ninja -C "$build_dir" -j "$jobs"
