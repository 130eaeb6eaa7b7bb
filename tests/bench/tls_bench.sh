#!/usr/bin/env bash
# TLS termination benchmark: nginx and sluice side by side, same ECDSA P-256 certificate, same
# protocol profile, one worker each, answering a fixed 1 KiB body; server on core 0, client on core 1.
# Three measures, each in interleaved rounds (medians of RUNS):
#   keepalive  wrk -t1 over kept-alive TLS 1.3 connections: requests/s (no handshakes)
#   reconnect  wrk -t1 with `Connection: close`: every request is a new connection; wrk offers the
#              session its previous connection ended with, so these are TLS 1.3 resumptions (each
#              server hands a fresh ticket to every resumed connection): connections/s
#   resumed    `openssl s_time -reuse`: PARALLEL (8) clients, each reconnecting with its session
#              (tickets) as fast as it can: handshakes/s summed; and `s_time -new` the same without
#              resumption. One s_time runs one connection at a time; eight keep the server busy.
# Server CPU per request/handshake comes from /proc (utime+stime). Loopback only, bounded in time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

RUNS=${RUNS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
SERVERS=${SERVERS:-"nginx sluice"}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
SLUICE_BIN=${SLUICE_BIN:-$repo/build/bin/sluice}
BODY_SIZE=1024
WARMUP=${WARMUP:-2s}
PARALLEL=${PARALLEL:-8}

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
. "$here/bench_lib.sh"

need_tools nginx wrk openssl taskset curl python3
bench_init sluice-tls-bench

body=$(head -c "$BODY_SIZE" /dev/zero | tr '\0' 'x')
origin_port=0  # no origin: the servers answer themselves (render fills @ORIGIN_PORT@ anyway)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" \
  -days 2 -subj "/CN=bench.example" -addext "subjectAltName=DNS:bench.example" 2>/dev/null
mkdir -p "$dir/tmp-tls-nginx"

# wait_tls PORT PID: until an HTTPS request answers the 1 KiB body.
wait_tls() {
  local size
  for _ in $(seq 100); do
    kill -0 "$2" 2>/dev/null || return 1
    size=$(curl -fsSk --max-time 1 "https://127.0.0.1:$1/" 2>/dev/null | wc -c) || true
    [ "$size" = "$BODY_SIZE" ] && return 0
    sleep 0.1
  done
  return 1
}

start_server() {
  proxy_port=$(free_port)
  case "$1" in
    nginx)
      render "$here/tls-nginx.conf.in" "$dir/tls-nginx.conf"
      taskset -c "$SERVER_CORE" nginx -p "$dir/" -c "$dir/tls-nginx.conf" -e "$dir/tls-nginx-error.log" &
      ;;
    sluice)
      [ -x "$SLUICE_BIN" ] || die "sluice: $SLUICE_BIN not found (build it, or set SLUICE_BIN)"
      render "$here/tls-sluice.yaml.in" "$dir/tls-sluice.yaml"
      SLUICE_DATA_DIR="$dir/data" taskset -c "$SERVER_CORE" "$SLUICE_BIN" serve --config "$dir/tls-sluice.yaml" \
        >"$dir/tls-sluice.log" 2>&1 &
      ;;
    *) die "unknown server '$1' (nginx, sluice)" ;;
  esac
  server_pid=$!
  track_pid "$server_pid"
  wait_tls "$proxy_port" "$server_pid" || { tail -n 20 "$dir"/tls-*.log >&2 2>/dev/null; die "$1 did not start"; }
}

# s_time_rate MODE: connections per second from `openssl s_time -new|-reuse` over DURATION seconds.
s_time_rate() {
  # "372 connections in 10 real seconds, ..." (whole seconds of wall time)
  taskset -c "$CLIENT_CORE" openssl s_time -connect "127.0.0.1:$proxy_port" "$1" -time "$DURATION" \
    -www / 2>/dev/null | awk '/connections in [0-9]+ real seconds/ { n = $1; t = $4 }
      END { if (t > 0) printf "%.1f", n / t; else print "nan" }'
}

# s_time_parallel MODE: PARALLEL s_time clients at once (all on the client core), connections/s summed:
# enough concurrency that the server, not one client's round trips, sets the rate.
s_time_parallel() {
  local i total=0 r
  for i in $(seq "$PARALLEL"); do
    s_time_rate "$1" >"$dir/s_time_$i.txt" &
  done
  wait
  for i in $(seq "$PARALLEL"); do
    r=$(cat "$dir/s_time_$i.txt")
    total=$(awk -v a="$total" -v b="$r" 'BEGIN { if (b == "nan") print "nan"; else printf "%.1f", a + b }')
  done
  echo "$total"
}

results="$dir/results.txt"
: >"$results"
url_path=/
for run in $(seq "$RUNS"); do
  for name in $SERVERS; do
    start_server "$name"
    log "round $run: $name on 127.0.0.1:$proxy_port (pid $server_pid)"
    url="https://127.0.0.1:$proxy_port$url_path"
    warm_up "$CONNECTIONS" "$url"

    before=$(cpu_ticks "$server_pid")
    out=$(run_wrk "$CONNECTIONS" "${DURATION}s" "$url")
    after=$(cpu_ticks "$server_pid")
    parse_wrk "$out"
    echo "$name keepalive ok $wrk_rps $(us_per_req $((after - before)) "$wrk_requests") $wrk_errors" >>"$results"
    log "$name keepalive: $wrk_rps req/s, $(us_per_req $((after - before)) "$wrk_requests") us/req, errors $wrk_errors"

    before=$(cpu_ticks "$server_pid")
    out=$(taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "Connection: close" "$url")
    after=$(cpu_ticks "$server_pid")
    parse_wrk "$out"
    echo "$name reconnect ok $wrk_rps $(us_per_req $((after - before)) "$wrk_requests") $wrk_errors" >>"$results"
    log "$name reconnect (resumed handshakes): $wrk_rps /s, $(us_per_req $((after - before)) "$wrk_requests") us each, errors $wrk_errors"

    for mode in new reuse; do
      before=$(cpu_ticks "$server_pid")
      rate=$(s_time_parallel "-$mode")
      after=$(cpu_ticks "$server_pid")
      count=$(awk -v r="$rate" -v d="$DURATION" 'BEGIN { printf "%d", r * d }')
      echo "$name s_time_$mode ok $rate $(us_per_req $((after - before)) "$count") 0" >>"$results"
      log "$name s_time -$mode: $rate /s"
    done
    stop_pid "$server_pid"
  done
done

# column FIELD NAME MEASURE (bench_lib's column matches NAME and a second column)
echo "## TLS termination benchmark"
echo
echo "1 KiB fixed answer, ECDSA P-256 certificate, one worker each; server on core $SERVER_CORE, client on core" \
  "$CLIENT_CORE; $RUNS interleaved runs of ${DURATION}s, medians. CPU: server utime+stime per request or handshake."
echo
echo "s_time_*: $PARALLEL parallel \`openssl s_time\` clients (HTTP/1.0 GET /, a new connection each), rates summed."
echo
echo "| measure | server | rate /s | server CPU µs each | errors |"
echo "|---|---|---:|---:|---:|"
for measure in keepalive reconnect s_time_new s_time_reuse; do
  for name in $SERVERS; do
    printf '| %s | %s | %.0f | %s | %s |\n' "$measure" "$name" "$(column 4 "$name" "$measure")" \
      "$(column 5 "$name" "$measure")" "$(sum_column 6 "$name" "$measure")"
  done
done
if [[ " $SERVERS " == *" sluice "* && " $SERVERS " == *" nginx "* ]]; then
  echo
  echo "| measure | rate sluice/nginx | CPU each sluice/nginx |"
  echo "|---|---:|---:|"
  for measure in keepalive reconnect s_time_new s_time_reuse; do
    printf '| %s | %s | %s |\n' "$measure" "$(ratio "$(column 4 sluice "$measure")" "$(column 4 nginx "$measure")")" \
      "$(ratio "$(column 5 sluice "$measure")" "$(column 5 nginx "$measure")")"
  done
fi
