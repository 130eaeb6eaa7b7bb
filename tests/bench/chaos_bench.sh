#!/usr/bin/env bash
# Chaos benchmark (loopback, bounded): wrk load against sluice in front of two sluice-test-origin
# servers while (1) one origin is killed (SIGKILL) and restarted on the same port, (2) the node
# reloads its config (SIGHUP) 10 times, and (3) the node is upgraded in place (SIGUSR2: a new
# process takes over the listening sockets, the old one drains) 5 times. The load runs as consecutive 1 s wrk slices (one thread,
# CONNECTIONS connections) so that each second has its own error count and p99; the events run in
# the background at fixed seconds. Prints, per scenario: requests, failed requests (non-2xx/3xx and
# socket errors), their share, the worst p99 during the event, and the recovery time (from the
# event's start to the first second without errors after it ended).
# See tests/bench/README.md and docs/resilience.md. Every process it starts is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

DURATION=${DURATION:-60}          # seconds per scenario
CONNECTIONS=${CONNECTIONS:-32}
KILL_AT=${KILL_AT:-10}            # second at which origin 2 is killed
RESTART_AT=${RESTART_AT:-25}      # ... and restarted
RELOAD_AT=${RELOAD_AT:-10}        # first reload; then one every RELOAD_EVERY s, RELOADS times
RELOAD_EVERY=${RELOAD_EVERY:-2}
RELOADS=${RELOADS:-10}
UPGRADE_AT=${UPGRADE_AT:-10}      # first binary upgrade; then one every UPGRADE_EVERY s, UPGRADES times
UPGRADE_EVERY=${UPGRADE_EVERY:-4}
UPGRADES=${UPGRADES:-5}
SCENARIOS=${SCENARIOS:-"kill reload upgrade"}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
SLUICE_BIN=${SLUICE_BIN:-$repo/build/bin/sluice}
ORIGIN_BIN=${ORIGIN_BIN:-$repo/build/bin/sluice-test-origin}
BODY_SIZE=1024
URL_PATH=/size/$BODY_SIZE

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
. "$here/bench_lib.sh"

need_tools wrk taskset curl python3
[ -x "$SLUICE_BIN" ] || die "$SLUICE_BIN not built"
[ -x "$ORIGIN_BIN" ] || die "$ORIGIN_BIN not built"
[ "$DURATION" -gt "$RESTART_AT" ] || die "DURATION must exceed RESTART_AT"
bench_init sluice-chaos

# start_origin ID PORT: sets started_pid.
start_origin() {
  taskset -c "$SERVER_CORE" "$ORIGIN_BIN" --listen "127.0.0.1:$2" --id "$1" >"$dir/origin-$1.log" 2>&1 &
  started_pid=$!
  track_pid "$started_pid"
  for _ in $(seq 50); do
    curl -fsS --max-time 1 -o /dev/null "http://127.0.0.1:$2/health" 2>/dev/null && return 0
    sleep 0.1
  done
  die "origin $1 did not start: $(cat "$dir/origin-$1.log")"
}

# wait_through PORT: until a request through the node answers 200 with the whole body.
wait_through() {
  local size
  for _ in $(seq 100); do
    size=$(curl -fsS --max-time 1 "http://127.0.0.1:$1$URL_PATH" 2>/dev/null | wc -c) || true
    [ "$size" = "$BODY_SIZE" ] && return 0
    sleep 0.1
  done
  return 1
}

render_config() {
  sed -e "s|@DIR@|$dir|g" -e "s|@ORIGIN_PORT@|$origin_port|g" -e "s|@ORIGIN2_PORT@|$origin2_port|g" \
    -e "s|@PROXY_PORT@|$proxy_port|g" -e "s|@RELOAD@|reload $1|g" "$here/chaos-sluice.yaml.in" >"$dir/sluice.yaml"
}

# The node serving now: after binary upgrades, the newest successor named in the log.
current_node() {
  local successor
  successor=$(sed -n 's/.*binary upgrade: node \([0-9]*\) serves.*/\1/p' "$dir/sluice.log" | tail -1)
  echo "${successor:-$node_pid}"
}

# events SCENARIO: runs in the background, at fixed seconds from now.
events() {
  case "$1" in
    kill)
      sleep "$KILL_AT"
      kill -9 "$origin2_pid" 2>/dev/null || true
      log "t=${KILL_AT}s: origin B killed"
      sleep $((RESTART_AT - KILL_AT))
      start_origin B "$origin2_port"
      echo "$started_pid" >"$dir/origin2.pid"
      log "t=${RESTART_AT}s: origin B restarted"
      ;;
    reload)
      sleep "$RELOAD_AT"
      for i in $(seq "$RELOADS"); do
        render_config "$i"
        kill -HUP "$(current_node)"
        sleep "$RELOAD_EVERY"
      done
      log "reloaded $RELOADS times"
      ;;
    upgrade)
      sleep "$UPGRADE_AT"
      for _ in $(seq "$UPGRADES"); do
        kill -USR2 "$(current_node)"
        sleep "$UPGRADE_EVERY"
      done
      log "upgraded in place $UPGRADES times (node $(current_node) serves)"
      ;;
  esac
}

# scenario NAME: prints one markdown table row.
scenario() {
  local name=$1 event_start event_end second out total=0 failed=0 p99_max=0 recovered=""
  case "$name" in
    kill) event_start=$KILL_AT; event_end=$RESTART_AT ;;
    reload) event_start=$RELOAD_AT; event_end=$((RELOAD_AT + RELOADS * RELOAD_EVERY)) ;;
    upgrade) event_start=$UPGRADE_AT; event_end=$((UPGRADE_AT + UPGRADES * UPGRADE_EVERY)) ;;
    *) die "unknown scenario $name" ;;
  esac
  events "$name" &
  local events_pid=$!
  for second in $(seq 0 $((DURATION - 1))); do
    out=$(taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d1s --latency \
      "http://127.0.0.1:$proxy_port$URL_PATH" 2>&1 || true)
    parse_wrk "$out"
    total=$((total + ${wrk_requests:-0}))
    failed=$((failed + ${wrk_errors:-0}))
    echo "$name $second ${wrk_requests:-0} ${wrk_errors:-0} ${wrk_p99:-nan}" >>"$dir/seconds.txt"
    if [ "$second" -ge "$event_start" ] && [ "$second" -le "$event_end" ]; then
      p99_max=$(awk -v a="$p99_max" -v b="${wrk_p99:-0}" 'BEGIN { print (b + 0 > a + 0) ? b : a }')
    fi
    if [ -z "$recovered" ] && [ "$second" -gt "$event_end" ] && [ "${wrk_errors:-1}" = 0 ]; then
      recovered=$((second - event_start))
    fi
  done
  wait "$events_pid" || true
  # The restart happened in the events subshell: adopt its pid here, for the next scenario and cleanup.
  if [ -f "$dir/origin2.pid" ]; then
    origin2_pid=$(cat "$dir/origin2.pid")
    track_pid "$origin2_pid"
    rm -f "$dir/origin2.pid"
  fi
  track_pid "$(current_node)"  # a successor from binary upgrades is stopped on exit too
  printf '| %s | %s | %s | %s | %s | %s s |\n' "$name" "$total" "$failed" \
    "$(awk -v f="$failed" -v t="$total" 'BEGIN { printf "%.4f%%", t ? 100 * f / t : 0 }')" "$p99_max" \
    "${recovered:-not within the run}"
}

origin_port=$(free_port)
origin2_port=$(free_port)
proxy_port=$(free_port)
start_origin A "$origin_port"
start_origin B "$origin2_port"
origin2_pid=$started_pid
render_config 0
SLUICE_DATA_DIR="$dir/data" taskset -c "$SERVER_CORE" "$SLUICE_BIN" serve --config "$dir/sluice.yaml" \
  >"$dir/sluice.log" 2>&1 &
node_pid=$!
track_pid "$node_pid"
wait_through "$proxy_port" || die "sluice did not start: $(cat "$dir/sluice.log")"
log "origins A :$origin_port B :$origin2_port, sluice :$proxy_port (pid $node_pid)"

echo "| scenario | requests | failed | failed % | worst p99 during the event (ms) | recovery |"
echo "|---|---|---|---|---|---|"
for s in $SCENARIOS; do
  scenario "$s"
done
log "per-second numbers (scenario second requests failed p99_ms): $dir/seconds.txt (KEEP_BENCH_DIR=1 keeps it)"
