# Shared helpers of the benchmark scripts (sourced, not run). Expects `dir` (the temp dir) and the
# array `pids` (processes to stop on exit) to be set by the script before cleanup runs.

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

need_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool not found (scripts/install-deps.sh --with-tests installs it)"
  done
  [ "$(nproc)" -ge 2 ] || die "needs at least 2 CPUs (server on core $SERVER_CORE, wrk on core $CLIENT_CORE)"
}

# Stops every process in `pids` (SIGTERM, then SIGKILL after 5 s) and removes `dir` unless
# KEEP_BENCH_DIR is set.
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ -n "${KEEP_BENCH_DIR:-}" ]; then log "kept $dir"; else rm -rf "$dir"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# CPU time (clock ticks, utime + stime) of a process and its direct children (nginx's workers).
cpu_ticks() {
  local total=0 p t
  for p in "$1" $(pgrep -P "$1" || true); do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

# wrk latency like 512.00us / 2.31ms / 1.02s -> milliseconds
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.3f", n }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

# stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}
