#!/usr/bin/env bash
# Reverse-proxy benchmark: nginx, HAProxy and sluice side by side in front of the same nginx origin
# (fixed 1 KiB answer), each proxy and the origin pinned to core 0, wrk pinned to core 1.
# Prints a markdown table of the median req/s, p50, p99 and server CPU time per request.
# See tests/bench/README.md. Loopback only; every process it starts is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-"64 256"}
PROXIES=${PROXIES:-"direct nginx haproxy sluice"}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
SLUICE_BIN=${SLUICE_BIN:-$repo/build/bin/sluice}
BODY_SIZE=1024

. "$here/bench_lib.sh"
need_tools nginx haproxy wrk taskset curl python3

dir=$(mktemp -d /tmp/sluice-bench.XXXXXX)
pids=()
trap cleanup EXIT
trap 'exit 130' INT TERM

# render TEMPLATE OUT: fills @DIR@, @ORIGIN_PORT@, @PROXY_PORT@, @BODY@.
render() {
  sed -e "s|@DIR@|$dir|g" -e "s|@ORIGIN_PORT@|$origin_port|g" -e "s|@PROXY_PORT@|${proxy_port:-0}|g" \
    -e "s|@BODY@|$body|g" "$1" >"$2"
}

# wait_ready PORT PID: until a request through PORT answers 200 with the 1 KiB body.
wait_ready() {
  local port=$1 pid=$2 size
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 1
    size=$(curl -fsS --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null | wc -c) || true
    [ "$size" = "$BODY_SIZE" ] && return 0
    sleep 0.1
  done
  return 1
}

body=$(head -c "$BODY_SIZE" /dev/zero | tr '\0' 'x')
origin_port=$(free_port)
mkdir -p "$dir/tmp-origin" "$dir/tmp-proxy" "$dir/tmp-proxy-temp"
render "$here/origin-nginx.conf.in" "$dir/origin.conf"
taskset -c "$SERVER_CORE" nginx -p "$dir/" -c "$dir/origin.conf" -e "$dir/origin-error.log" &
origin_pid=$!
pids+=("$origin_pid")
wait_ready "$origin_port" "$origin_pid" || die "origin nginx did not start: $(cat "$dir/origin-error.log" 2>/dev/null)"
log "origin nginx on 127.0.0.1:$origin_port (pid $origin_pid)"

# start_server NAME: starts the proxy NAME on a fresh port; sets server_pid and server_port.
start_server() {
  local name=$1
  proxy_port=$(free_port)
  case "$name" in
    direct)
      server_pid=$origin_pid
      server_port=$origin_port
      return 0
      ;;
    nginx)
      render "$here/proxy-nginx.conf.in" "$dir/proxy-nginx.conf"
      taskset -c "$SERVER_CORE" nginx -p "$dir/" -c "$dir/proxy-nginx.conf" -e "$dir/proxy-nginx-error.log" &
      ;;
    haproxy)
      render "$here/proxy-haproxy.cfg.in" "$dir/proxy-haproxy.cfg"
      taskset -c "$SERVER_CORE" haproxy -db -f "$dir/proxy-haproxy.cfg" >"$dir/proxy-haproxy.log" 2>&1 &
      ;;
    sluice)
      [ -x "$SLUICE_BIN" ] || { log "sluice: $SLUICE_BIN not found (build it, or set SLUICE_BIN)"; return 1; }
      render "$here/proxy-sluice.yaml.in" "$dir/proxy-sluice.yaml"
      taskset -c "$SERVER_CORE" "$SLUICE_BIN" serve --config "$dir/proxy-sluice.yaml" >"$dir/proxy-sluice.log" 2>&1 &
      ;;
    *) die "unknown proxy '$name' (direct, nginx, haproxy, sluice)" ;;
  esac
  server_pid=$!
  pids+=("$server_pid")
  server_port=$proxy_port
  if ! wait_ready "$server_port" "$server_pid"; then
    log "$name did not get ready on 127.0.0.1:$server_port; its log:"
    tail -n 20 "$dir"/proxy-"$name"*.log >&2 2>/dev/null || true
    return 1
  fi
}

stop_server() {
  [ "$server_pid" = "$origin_pid" ] && return 0
  stop_pid "$server_pid"
}

results="$dir/results.txt"
: >"$results"
# Rounds are interleaved (round 1: every proxy, round 2: every proxy, ...) so that drift in the
# machine's speed during the benchmark hits every proxy alike instead of favouring the first.
for run in $(seq "$RUNS"); do
  for name in $PROXIES; do
    if ! start_server "$name"; then
      stop_server || true
      for c in $CONNECTIONS; do echo "$name $c fail" >>"$results"; done
      continue
    fi
    log "round $run: $name on 127.0.0.1:$server_port (pid $server_pid)"
    for c in $CONNECTIONS; do
      url="http://127.0.0.1:$server_port/"
      [ -n "$WARMUP" ] && taskset -c "$CLIENT_CORE" wrk -t1 -c"$c" -d"$WARMUP" "$url" >/dev/null 2>&1 || true
      server_before=$(cpu_ticks "$server_pid")
      origin_before=$(cpu_ticks "$origin_pid")
      out=$(taskset -c "$CLIENT_CORE" wrk -t1 -c"$c" -d"$DURATION" --latency "$url")
      server_after=$(cpu_ticks "$server_pid")
      origin_after=$(cpu_ticks "$origin_pid")
      echo "$out" >"$dir/wrk-$name-$c-$run.txt"
      requests=$(echo "$out" | awk '/ requests in / { print $1 }')
      rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
      p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
      p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
      bad=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')
      server_us=$(awk -v t=$((server_after - server_before)) -v n="$requests" -v hz="$hz" 'BEGIN { printf "%.2f", n ? t * 1e6 / hz / n : 0 }')
      origin_us=$(awk -v t=$((origin_after - origin_before)) -v n="$requests" -v hz="$hz" 'BEGIN { printf "%.2f", n ? t * 1e6 / hz / n : 0 }')
      echo "$name $c ok $rps $p50 $p99 $server_us $origin_us $bad" >>"$results"
      log "$name c=$c run $run: $rps req/s, p50 ${p50}ms, p99 ${p99}ms, server ${server_us}us/req, origin ${origin_us}us/req, errors $bad"
    done
    stop_server
  done
done

# column FIELD NAME C -> median of that field over the runs
column() { awk -v n="$2" -v c="$3" -v f="$1" '$1 == n && $2 == c && $3 == "ok" { print $f }' "$results" | median; }
errors() { awk -v n="$1" -v c="$2" '$1 == n && $2 == c && $3 == "ok" { s += $9 } END { print s + 0 }' "$results"; }

echo "## Reverse proxy benchmark"
echo
echo "1 KiB \`return 200\` nginx origin; server on core $SERVER_CORE, wrk -t1 on core $CLIENT_CORE;" \
  "$RUNS runs of $DURATION, medians. CPU: utime+stime per request from /proc (server includes its workers)."
echo "\`direct\` is wrk against the origin itself (its CPU is in the server column)."
echo
echo "| server | conns | req/s | p50 ms | p99 ms | server CPU µs/req | origin CPU µs/req | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for name in $PROXIES; do
  for c in $CONNECTIONS; do
    if ! grep -q "^$name $c ok" "$results"; then
      echo "| $name | $c | failed to start | | | | | |"
      continue
    fi
    origin_col=$(column 8 "$name" "$c")
    [ "$name" = direct ] && origin_col="-"
    printf '| %s | %s | %.0f | %s | %s | %s | %s | %s |\n' "$name" "$c" "$(column 4 "$name" "$c")" \
      "$(column 5 "$name" "$c")" "$(column 6 "$name" "$c")" "$(column 7 "$name" "$c")" "$origin_col" "$(errors "$name" "$c")"
  done
done
if [[ " $PROXIES " == *" sluice "* ]]; then
  echo
  echo "| conns | req/s sluice/nginx | req/s sluice/haproxy | CPU/req sluice/nginx | CPU/req sluice/haproxy |"
  echo "|---:|---:|---:|---:|---:|"
  for c in $CONNECTIONS; do
    s_rps=$(column 4 sluice "$c"); s_cpu=$(column 7 sluice "$c")
    printf '| %s | %s | %s | %s | %s |\n' "$c" "$(ratio "$s_rps" "$(column 4 nginx "$c")")" \
      "$(ratio "$s_rps" "$(column 4 haproxy "$c")")" "$(ratio "$s_cpu" "$(column 7 nginx "$c")")" \
      "$(ratio "$s_cpu" "$(column 7 haproxy "$c")")"
  done
fi
