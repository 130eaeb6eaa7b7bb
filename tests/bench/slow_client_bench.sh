#!/usr/bin/env bash
# Slow-client attacks (loopback, bounded): slowhttptest's slowloris (-H: headers trickled) and
# slow body (-B: a POST body trickled, to /upload, which the origin answers only once it has the
# whole body) against sluice and, side by side, nginx, both as reverse proxies with their default
# client limits in front of the same origin (sluice-test-origin: /size/1024 for the normal load). During each attack a
# normal wrk load runs; the question is whether normal clients are still served. Per server and
# attack it prints the normal load's requests/s, errors and p99 (with the same load without an
# attack as the baseline), and how many of the attacker's connections the server still held at the
# end (slowhttptest's "connected" count) and the most it held at once.
# See tests/bench/README.md and docs/resilience.md. Every process it starts is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

ATTACK_SECONDS=${ATTACK_SECONDS:-30}
SLOW_CONNECTIONS=${SLOW_CONNECTIONS:-2000}  # slowhttptest -c
SLOW_RATE=${SLOW_RATE:-400}                 # new slow connections per second (-r)
SLOW_INTERVAL=${SLOW_INTERVAL:-5}           # seconds between an attacker's follow-up bytes (-i)
CONNECTIONS=${CONNECTIONS:-16}              # the normal load
SERVERS=${SERVERS:-"nginx sluice"}
ATTACKS=${ATTACKS:-"none slowloris slowbody"}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
SLUICE_BIN=${SLUICE_BIN:-$repo/build/bin/sluice}
ORIGIN_BIN=${ORIGIN_BIN:-$repo/build/bin/sluice-test-origin}
BODY_SIZE=1024
URL_PATH=/size/$BODY_SIZE

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
. "$here/bench_lib.sh"

need_tools wrk slowhttptest nginx taskset curl python3
[ -x "$SLUICE_BIN" ] || die "$SLUICE_BIN not built"
[ -x "$ORIGIN_BIN" ] || die "$ORIGIN_BIN not built"
bench_init sluice-slow
body=unused  # the proxy templates have no @BODY@

# ready PORT PID: until $URL_PATH through PORT answers with the whole body.
ready() {
  local size
  for _ in $(seq 100); do
    kill -0 "$2" 2>/dev/null || return 1
    size=$(curl -fsS --max-time 1 "http://127.0.0.1:$1$URL_PATH" 2>/dev/null | wc -c) || true
    [ "$size" = "$BODY_SIZE" ] && return 0
    sleep 0.1
  done
  return 1
}

origin_port=$(free_port)
mkdir -p "$dir/tmp-proxy" "$dir/tmp-proxy-temp"
taskset -c "$SERVER_CORE" "$ORIGIN_BIN" --listen "127.0.0.1:$origin_port" --id origin >"$dir/origin.log" 2>&1 &
track_pid $!
ready "$origin_port" $! || die "origin did not start"

# start_server NAME: sets server_pid and proxy_port.
start_server() {
  proxy_port=$(free_port)
  case "$1" in
    nginx)
      render "$here/proxy-nginx.conf.in" "$dir/proxy-nginx.conf"
      taskset -c "$SERVER_CORE" nginx -p "$dir/" -c "$dir/proxy-nginx.conf" -e "$dir/proxy-nginx-error.log" &
      ;;
    sluice)
      render "$here/proxy-sluice.yaml.in" "$dir/sluice.yaml"
      SLUICE_DATA_DIR="$dir/data" taskset -c "$SERVER_CORE" "$SLUICE_BIN" serve --config "$dir/sluice.yaml" \
        >"$dir/sluice.log" 2>&1 &
      ;;
  esac
  server_pid=$!
  track_pid "$server_pid"
  ready "$proxy_port" "$server_pid" || die "$1 did not start"
}

# attack NAME SERVER: slowhttptest in the background; sets attack_pid ("" for none).
attack() {
  attack_pid=""
  local mode path=$URL_PATH
  case "$1" in
    none) return 0 ;;
    slowloris) mode=-H ;;
    slowbody) mode=-B path=/upload ;;
  esac
  taskset -c "$CLIENT_CORE" slowhttptest "$mode" -c "$SLOW_CONNECTIONS" -r "$SLOW_RATE" -i "$SLOW_INTERVAL" \
    -l "$ATTACK_SECONDS" -x 24 -s 65536 -p 3 -g -o "$dir/$2-$1" -u "http://127.0.0.1:$proxy_port$path" \
    >"$dir/$2-$1.out" 2>&1 &
  attack_pid=$!
  track_pid "$attack_pid"
}

# held FILE: "connected at the end / most connected at once" from slowhttptest's CSV
# (seconds,closed,pending,connected,service available).
held() {
  [ -f "$1" ] || { echo "n/a"; return; }
  awk -F, 'NR > 1 && $1 ~ /^[0-9]+$/ { last = $4; if ($4 > max) max = $4 } END { printf "%d / %d", last, max }' "$1"
}

echo "| server | attack | normal req/s | normal errors | normal p99 ms | attacker connections held at the end / at most |"
echo "|---|---|---:|---:|---:|---|"
for server in $SERVERS; do
  start_server "$server"
  for a in $ATTACKS; do
    attack "$a" "$server"
    # Let the attacker build up its connections before the normal load is measured.
    [ -n "$attack_pid" ] && sleep 5
    out=$(run_wrk "$CONNECTIONS" "$((ATTACK_SECONDS - 10))s" "http://127.0.0.1:$proxy_port$URL_PATH" 2>&1 || true)
    parse_wrk "$out"
    [ -n "$attack_pid" ] && { wait "$attack_pid" 2>/dev/null || true; }
    printf '| %s | %s | %s | %s | %s | %s |\n' "$server" "$a" "${wrk_rps:-0}" "${wrk_errors:-?}" \
      "${wrk_p99:-nan}" "$([ "$a" = none ] && echo - || held "$dir/$server-$a.csv")"
  done
  stop_pid "$server_pid"
done
log "slowhttptest output and CSVs: $dir (KEEP_BENCH_DIR=1 keeps it)"
