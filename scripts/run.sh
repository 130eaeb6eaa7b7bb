#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine (as root): installs what is missing, builds, and runs
# the node on its embedded default config (http://127.0.0.1:8080/, metrics on 127.0.0.1:9901),
# with a demo origin of ours on 127.0.0.1:8081 behind /demo/. The console starts too when a
# display is present and it has been built. Ctrl-C drains and stops everything.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash scripts/install-deps.sh --with-tests
bash scripts/build.sh "$here/build"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

./build/bin/sluice-test-origin --listen 127.0.0.1:8081 --id demo >/dev/null &
pids+=($!)
# The console finds the node's default control socket by itself (the same default path) and keeps
# retrying until the node is up, so it can start first.
if { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } && [ -x build/bin/sluice-console ]; then
  ./build/bin/sluice-console &
  pids+=($!)
  echo "sluice: console started (sluice-console, pid $!)"
fi
echo "sluice: serving http://127.0.0.1:8080/ (status: /status, demo proxy: /demo/, metrics: http://127.0.0.1:9901/metrics)"
./build/bin/sluice serve
