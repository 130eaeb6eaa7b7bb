#!/usr/bin/env bash
# Rate-limit benchmark (see tests/bench/README.md). Both servers run one worker pinned to core
# SERVER_CORE; wrk -t1 runs on core CLIENT_CORE; loopback only; every process started is stopped
# on exit.
#   (a) hot path: sluice `respond` without a limit (/plain) and with a limit that is never reached
#       (/limited): what checking a limit costs an allowed request.
#   (b) refusal path: 429s per second, sluice vs nginx limit_req (limit_req_status 429), with one
#       client (/refuse) and with KEYS distinct clients in X-Forwarded-For (/refuse-xff); nginx
#       with refusal logging off, and (/refuse-logged) as shipped: each refusal an error-log line.
#       Sluice counts refusals in its metrics and logs none (its access log is off here, as nginx's).
# Rounds are interleaved and medians reported, as in proxy_bench.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-64}
KEYS=${KEYS:-100000}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
SLUICE_BIN=${SLUICE_BIN:-$repo/build/bin/sluice}
BODY_SIZE=${BODY_SIZE:-64}
CASES=${CASES:-"nginx-plain sluice-plain sluice-limited sluice-refuse nginx-refuse nginx-refuse-logged sluice-refuse-xff nginx-refuse-xff"}
export KEYS

. "$here/bench_lib.sh"
need_tools nginx wrk taskset curl python3
[ -x "$SLUICE_BIN" ] || die "$SLUICE_BIN not found (build it, or set SLUICE_BIN)"

bench_init sluice-ratelimit-bench
mkdir -p "$dir/tmp-nginx" "$dir/www"
body=$(head -c "$BODY_SIZE" /dev/zero | tr '\0' 'x')
printf '%s' "$body" >"$dir/www/refuse"
printf '%s' "$body" >"$dir/www/refuse-xff"
printf '%s' "$body" >"$dir/www/refuse-logged"

# Its own render and wait_ready (the case files use @PORT@, not the proxy placeholders of bench_lib.sh).
render() {
  sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@BODY@|$body|g" "$1" >"$2"
}

wait_ready() {
  for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || return 1
    curl -fsS --max-time 1 -o /dev/null "http://127.0.0.1:$port/plain" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# start SERVER (sluice | nginx): a fresh process (fresh rate-limit state) on a fresh port.
start() {
  port=$(free_port)
  if [ "$1" = sluice ]; then
    render "$here/ratelimit-sluice.yaml.in" "$dir/sluice.yaml"
    taskset -c "$SERVER_CORE" "$SLUICE_BIN" serve --config "$dir/sluice.yaml" >"$dir/sluice.log" 2>&1 &
  else
    render "$here/ratelimit-nginx.conf.in" "$dir/nginx.conf"
    taskset -c "$SERVER_CORE" nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/nginx-error.log" &
  fi
  server_pid=$!
  pids+=("$server_pid")
  wait_ready || die "$1 did not start: $(tail -n 5 "$dir"/"$1"*.log 2>/dev/null)"
}

results="$dir/results.txt"
: >"$results"
for run in $(seq "$RUNS"); do
  for case in $CASES; do
    server=${case%%-*}
    path=/${case#*-}
    script=()
    [[ "$case" == *-xff ]] && script=(-s "$here/xff-keys.lua")
    start "$server"
    url="http://127.0.0.1:$port$path"
    # The warm-up also uses the one-key case's single allowance and, for the xff cases, every key
    # once (it stops after KEYS responses; 60 s at most), so the measured run sees refusals only.
    taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null 2>&1 || true
    if [ ${#script[@]} -gt 0 ]; then
      STOP_AFTER=$KEYS taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d60s "${script[@]}" "$url" >/dev/null 2>&1 || true
    fi
    before=$(cpu_ticks "$server_pid")
    out=$(taskset -c "$CLIENT_CORE" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "${script[@]}" "$url")
    after=$(cpu_ticks "$server_pid")
    rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || echo 0)
    for child in $(pgrep -P "$server_pid" || true); do
      rss_kb=$((rss_kb + $(awk '/^VmRSS:/ { print $2 }' "/proc/$child/status" 2>/dev/null || echo 0)))
    done
    stop_pid "$server_pid"
    echo "$out" >"$dir/wrk-$case-$run.txt"
    requests=$(echo "$out" | awk '/ requests in / { print $1 }')
    seconds=$(echo "$out" | awk '/ requests in / { sub(/s,$/, "", $4); print $4 }')
    rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
    non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }')
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
    errors=$(echo "$out" | awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')
    refused_ps=$(awk -v n="$non2xx" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
    refused_pct=$(awk -v n="$non2xx" -v r="$requests" 'BEGIN { printf "%.1f", (r > 0 ? 100 * n / r : 0) }')
    cpu_us=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$hz" 'BEGIN { printf "%.2f", n ? t * 1e6 / hz / n : 0 }')
    echo "$case $rps $refused_ps $refused_pct $cpu_us $p99 $errors $rss_kb" >>"$results"
    log "round $run: $case: $rps req/s, $refused_ps refused/s ($refused_pct%), ${cpu_us}us CPU/req, p99 ${p99}ms, errors $errors, RSS ${rss_kb} KiB"
  done
done

column() { awk -v c="$1" -v f="$2" '$1 == c { print $f }' "$results" | median; }
spread() { awk -v c="$1" -v f="$2" '$1 == c { v = $f + 0; if (n == 0 || v < lo) lo = v; if (n == 0 || v > hi) hi = v; n++ } END { if (n) printf "%.0f-%.0f", lo, hi }' "$results"; }

echo "## Rate-limit benchmark"
echo
echo "$BODY_SIZE-byte \`respond\` answers; server on core $SERVER_CORE (1 worker), wrk -t1 -c$CONNECTIONS on core" \
  "$CLIENT_CORE; $RUNS interleaved runs of $DURATION after a $WARMUP warm-up, medians (range of req/s in brackets)."
echo "CPU: server utime+stime per request from /proc. xff cases: $KEYS distinct X-Forwarded-For clients in turn."
echo
echo "| case | req/s | refused/s | refused % | server CPU µs/req | p99 ms | socket errors | RSS KiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for case in $CASES; do
  printf '| %s | %.0f (%s) | %s | %s | %s | %s | %s | %s |\n' "$case" "$(column "$case" 2)" "$(spread "$case" 2)" \
    "$(column "$case" 3)" "$(column "$case" 4)" "$(column "$case" 5)" "$(column "$case" 6)" "$(column "$case" 7)" \
    "$(column "$case" 8)"
done
# paired A B FIELD: the median over rounds of A/B within each round. Cases of one round run back to
# back, so a round's ratio suffers less from the machine's drift than a ratio of medians.
paired() {
  awk -v a="$1" -v b="$2" -v f="$3" '$1 == a { x[++na] = $f } $1 == b { y[++nb] = $f }
    END { for (i = 1; i <= na && i <= nb; i++) if (y[i] > 0) print x[i] / y[i] }' "$results" | median |
    awk '{ if ($1 == "nan") print "n/a"; else printf "%.3f", $1 }'
}

echo
echo "| ratio (median of per-round ratios) | req/s or refusals/s | CPU per request |"
echo "|---|---:|---:|"
echo "| hot path: never-hit limit / no limit | $(paired sluice-limited sluice-plain 2) | $(paired sluice-limited sluice-plain 5) |"
echo "| one key: sluice / nginx | $(paired sluice-refuse nginx-refuse 3) | $(paired sluice-refuse nginx-refuse 5) |"
echo "| one key: sluice / nginx logging refusals (its default) | $(paired sluice-refuse nginx-refuse-logged 3) | $(paired sluice-refuse nginx-refuse-logged 5) |"
echo "| $KEYS keys: sluice / nginx | $(paired sluice-refuse-xff nginx-refuse-xff 3) | $(paired sluice-refuse-xff nginx-refuse-xff 5) |"
