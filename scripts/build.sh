#!/usr/bin/env bash
# Configures and builds one build tree. Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-"$here/build"}
shift || true
cmake -S "$here" -B "$build_dir" -G Ninja "$@" >/dev/null
jobs=$(nproc)
ninja -C "$build_dir" -j "$jobs"
