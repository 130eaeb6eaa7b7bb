# shellcheck shell=bash disable=SC2154  # dir, origin_port, proxy_port, body, results: set by the caller
# Helpers shared by the benchmark scripts in this folder (proxy_bench.sh, cache_bench.sh); sourced,
# not run. Expects `set -euo pipefail` and, before bench_init, SERVER_CORE and CLIENT_CORE.
#
#   bench_init PREFIX          temp dir "$dir" (mktemp -d /tmp/PREFIX.XXXXXX), exit/INT/TERM traps
#   track_pid PID              stop PID (and its descendants) on exit
#   stop_pid PID               SIGTERM PID, wait up to 10 s for it and its descendants, then SIGKILL
#   free_port                  an unused loopback TCP port
#   render TEMPLATE OUT        fills @DIR@ @ORIGIN_PORT@ @PROXY_PORT@ @BODY@ from $dir $origin_port
#                              $proxy_port $body
#   wait_ready PORT PID [N]    until http://127.0.0.1:PORT/ answers 200 with $BODY_SIZE bytes
#   cpu_ticks PID              utime+stime (clock ticks) of PID and all its descendants
#   us_per_req TICKS N         CPU µs per request
#   run_wrk C DURATION URL     wrk -t1 -cC on CLIENT_CORE with --latency; prints wrk's output
#   parse_wrk OUT              sets wrk_requests wrk_rps wrk_p50 wrk_p99 (ms) wrk_errors
#   to_ms, median, ratio       number formatting and statistics
#   column FIELD NAME C        median of FIELD over the "NAME C ok ..." lines of $results
#   sum_column FIELD NAME C    sum of the same

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

# need_tools TOOL...: dies naming the first one missing.
need_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool not found (scripts/install-deps.sh --with-tests installs it)"
  done
  [ "$(nproc)" -ge 2 ] || die "needs at least 2 CPUs (server on core $SERVER_CORE, wrk on core $CLIENT_CORE)"
}

bench_init() {
  dir=$(mktemp -d "/tmp/$1.XXXXXX")
  pids=()
  hz=$(getconf CLK_TCK)
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

track_pid() { pids+=("$1"); }

# descendants PID: every process below PID (children first, then theirs).
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do
    echo "$child"
    descendants "$child"
  done
}

# stop_pids PID...: SIGTERM each (not its descendants: a parent stops its own children, as nginx's
# master and Varnish's manager do), wait up to 10 s for them and their descendants, then SIGKILL
# whatever is left so nothing outlives the script.
stop_pids() {
  local all=() pid
  for pid in "$@"; do
    kill -0 "$pid" 2>/dev/null || continue
    # shellcheck disable=SC2207  # pids: no spaces
    all+=("$pid" $(descendants "$pid"))
    kill "$pid" 2>/dev/null || true
  done
  [ "${#all[@]}" -eq 0 ] && return 0
  for pid in "${all[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}

stop_pid() {
  local pid=$1 kept=() p
  stop_pids "$pid"
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}

bench_cleanup() {
  stop_pids "${pids[@]}"
  if [ -n "${KEEP_BENCH_DIR:-}" ]; then log "kept $dir"; else rm -rf "$dir"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# render TEMPLATE OUT: fills @DIR@, @ORIGIN_PORT@, @PROXY_PORT@, @BODY@.
render() {
  sed -e "s|@DIR@|$dir|g" -e "s|@ORIGIN_PORT@|$origin_port|g" -e "s|@PROXY_PORT@|${proxy_port:-0}|g" \
    -e "s|@BODY@|$body|g" "$1" >"$2"
}

# wait_ready PORT PID [TRIES]: until a request through PORT answers 200 with the $BODY_SIZE body;
# TRIES (100) tries 0.1 s apart.
wait_ready() {
  local port=$1 pid=$2 size
  for _ in $(seq "${3:-100}"); do
    kill -0 "$pid" 2>/dev/null || return 1
    size=$(curl -fsS --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null | wc -c) || true
    [ "$size" = "$BODY_SIZE" ] && return 0
    sleep 0.1
  done
  return 1
}

# CPU time (clock ticks, utime + stime) of a process and all its descendants (nginx's workers,
# Varnish's child). Threads are included: /proc/PID/stat sums them.
cpu_ticks() {
  local total=0 p t
  for p in "$1" $(descendants "$1"); do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# us_per_req TICKS REQUESTS -> CPU microseconds per request, 2 decimals.
us_per_req() {
  awk -v t="$1" -v n="$2" -v hz="$hz" 'BEGIN { printf "%.2f", n ? t * 1e6 / hz / n : 0 }'
}

# run_wrk CONNECTIONS DURATION URL: one wrk thread on CLIENT_CORE, latency distribution on.
run_wrk() {
  taskset -c "$CLIENT_CORE" wrk -t1 -c"$1" -d"$2" --latency "$3"
}

# warm_up CONNECTIONS URL: a $WARMUP run whose output is dropped (none if WARMUP is empty).
warm_up() {
  [ -n "$WARMUP" ] || return 0
  taskset -c "$CLIENT_CORE" wrk -t1 -c"$1" -d"$WARMUP" "$2" >/dev/null 2>&1 || true
}

# wrk latency like 512.00us / 2.31ms / 1.02s -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.3f", n }'
}

# parse_wrk OUTPUT: requests completed, req/s, p50/p99 in ms, non-2xx/3xx + socket errors.
# shellcheck disable=SC2034  # the wrk_* variables are the result
parse_wrk() {
  local out=$1
  wrk_requests=$(echo "$out" | awk '/ requests in / { print $1 }')
  wrk_rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
  wrk_p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
  wrk_p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
  wrk_errors=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }')
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

# column FIELD NAME C -> median of that field over the runs recorded in $results as "NAME C ok ...".
column() { awk -v n="$2" -v c="$3" -v f="$1" '$1 == n && $2 == c && $3 == "ok" { print $f }' "$results" | median; }
sum_column() { awk -v n="$2" -v c="$3" -v f="$1" '$1 == n && $2 == c && $3 == "ok" { s += $f } END { print s + 0 }' "$results"; }
