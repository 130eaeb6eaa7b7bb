#!/usr/bin/env bash
# Regenerates the console screenshots in docs/images/ (console-dashboard.png, console-rate-limits.png,
# console-cache-policies.png, console-upstreams.png): starts a node on a temp config (three routes to
# two test origins, a cache policy, a rate limit), puts ~45 s of load on it with wrk on one core, and
# runs sluice-console offscreen with its screenshot option (SLUICE_CONSOLE_SCREENSHOTS). The Rate limits
# and Cache policies pages need a node with config edits (rate_limits.list, cache_policies.list).
# Usage: scripts/console-screenshots.sh [BUILD_DIR]   (default: build; needs wrk and a built tree)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
out="$here/docs/images"
for bin in sluice sluice-console sluice-test-origin; do
  [ -x "$build/bin/$bin" ] || { echo "missing $build/bin/$bin: build first (scripts/build.sh)" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/sluice-shots.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

origin_port=18181
origin2_port=18182
port=18180
"$build/bin/sluice-test-origin" --listen 127.0.0.1:$origin_port --id demo >"$tmp/origin.log" 2>&1 &
pids+=($!)
"$build/bin/sluice-test-origin" --listen 127.0.0.1:$origin2_port --id demo2 >"$tmp/origin2.log" 2>&1 &
pids+=($!)

cat >"$tmp/sluice.yaml" <<YAML
node_name: demo-edge
workers: 1
listeners:
  - name: plain
    address: 127.0.0.1:$port
upstreams:
  - name: app
    servers: [127.0.0.1:$origin_port, 127.0.0.1:$origin2_port]
    keepalive: 16
routes:
  - name: api
    match: { path_prefix: /api/ }
    upstream: app
    rate_limits: [per_client]
  - name: static
    match: { path_prefix: /static/ }
    upstream: app
    cache: assets
  - name: site
    match: { path_prefix: / }
    upstream: app
rate_limits:
  - name: per_client
    algorithm: token_bucket
    key: client_ip
    limit: 60000
    window: 1m
    burst: 200
cache_policies:
  - name: assets
    default_ttl: 5s
    max_ttl: 1h
    stale_while_revalidate: 30s
cache:
  path: $tmp/cache
  max_size: 64MiB
control:
  socket: $tmp/control.sock
log:
  access_log: off
YAML

"$build/bin/sluice" serve --config "$tmp/sluice.yaml" >"$tmp/node.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$tmp/control.sock" ] && break; sleep 0.1; done
[ -S "$tmp/control.sock" ] || { cat "$tmp/node.log" >&2; echo "the node opened no control socket" >&2; exit 1; }

# A mix: cached assets (hits, a miss every 5 s per path), a rate-limited API, some 404s and 503s.
cat >"$tmp/mix.lua" <<'LUA'
local paths = {}
for i = 1, 40 do paths[#paths + 1] = "/static/size/" .. (1024 * (i % 8 + 1)) .. "?v=" .. i end
for i = 1, 30 do paths[#paths + 1] = "/api/size/512?u=" .. i end
for i = 1, 6 do paths[#paths + 1] = "/page/" .. i end
paths[#paths + 1] = "/status/404"
paths[#paths + 1] = "/status/503"
paths[#paths + 1] = "/delay/20"
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
LUA
taskset -c 1 wrk -t1 -c8 -d45s -s "$tmp/mix.lua" "http://127.0.0.1:$port/" >"$tmp/wrk.log" 2>&1 &
pids+=($!)

# The console attaches 2 s into the load and shoots 40 s later: the node's history plus the live
# stream fill most of the 1-minute window. The latency chart is shown on its log scale, where p50,
# p95 and p99 all read.
sleep 2
mkdir -p "$out"
QT_QPA_PLATFORM=offscreen SLUICE_CONSOLE_SCREENSHOTS="$out" SLUICE_CONSOLE_SCREENSHOTS_AFTER=40 \
  SLUICE_CONSOLE_SCREENSHOTS_WINDOW=60 SLUICE_CONSOLE_SCREENSHOTS_LOG=1 XDG_CONFIG_HOME="$tmp/config" \
  "$build/bin/sluice-console" --socket "$tmp/control.sock"
ls -l "$out"/console-*.png
