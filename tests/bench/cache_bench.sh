#!/usr/bin/env bash
# Cache-hit benchmark: sluice vs nginx proxy_cache, Varnish and HAProxy's cache, all serving the same
# cached 1 KiB object from one nginx origin, plus nginx `return 200` of the same bytes as the CPU
# floor. Every server and the origin are pinned to core 0, wrk to core 1; after a hit check and a
# warm-up every measured request is a cache hit (the origin's request counter is printed to prove it).
# Prints markdown tables of the medians and of sluice's ratios to each peer. See tests/bench/README.md.
# Loopback only; every process it starts is stopped on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

RUNS=${RUNS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP-2s}   # empty: no warm-up
CONNECTIONS=${CONNECTIONS:-64}
SERVERS=${SERVERS:-"nginx-return nginx-cache varnish haproxy-cache sluice"}
SERVER_CORE=${SERVER_CORE:-0}
CLIENT_CORE=${CLIENT_CORE:-1}
SLUICE_BIN=${SLUICE_BIN:-$repo/build/bin/sluice}
VARNISH_PARAMS=${VARNISH_PARAMS:-}
BODY_SIZE=1024
PEERS="haproxy-cache nginx-cache varnish"   # the caches sluice is compared with

# shellcheck source=bench_lib.sh source-path=SCRIPTDIR
. "$here/bench_lib.sh"

tools=(nginx wrk taskset curl python3)
[[ " $SERVERS " == *" varnish "* ]] && tools+=(varnishd)
[[ " $SERVERS " == *" haproxy-cache "* ]] && tools+=(haproxy)
need_tools "${tools[@]}"
for name in $SERVERS; do
  case "$name" in
    nginx-return | nginx-cache | varnish | haproxy-cache | sluice) ;;
    *) die "unknown server '$name' (nginx-return, nginx-cache, varnish, haproxy-cache, sluice)" ;;
  esac
done
bench_init sluice-cache-bench
# Run as root, nginx's workers are `nobody`: they must reach nginx-cache/ below the mktemp dir (0700).
chmod 755 "$dir"

body=$(head -c "$BODY_SIZE" /dev/zero | tr '\0' 'x')
origin_port=$(free_port)
mkdir -p "$dir/tmp-origin" "$dir/tmp-nginx-return" "$dir/tmp-cache-nginx-body" "$dir/tmp-cache-nginx-temp"
render "$here/cache-origin-nginx.conf.in" "$dir/cache-origin.conf"
taskset -c "$SERVER_CORE" nginx -p "$dir/" -c "$dir/cache-origin.conf" -e "$dir/cache-origin-error.log" &
origin_pid=$!
track_pid "$origin_pid"
wait_ready "$origin_port" "$origin_pid" ||
  die "origin nginx did not start: $(cat "$dir/cache-origin-error.log" 2>/dev/null)"
log "origin nginx on 127.0.0.1:$origin_port (pid $origin_pid)"

# Requests the origin has served so far (stub_status; the status request itself counts as one).
origin_requests() {
  curl -fsS --max-time 2 "http://127.0.0.1:$origin_port/origin-status" | awk 'NR == 3 { print $3 }'
}

# start_server NAME: starts NAME on a fresh port with an empty cache; sets server_pid, server_port.
start_server() {
  local name=$1
  server_pid=
  proxy_port=$(free_port)
  server_port=$proxy_port
  server_log="$dir/cache-$name.log"
  case "$name" in
    nginx-return)
      server_log="$dir/cache-nginx-return-error.log"
      render "$here/cache-nginx-return.conf.in" "$dir/cache-nginx-return.conf"
      taskset -c "$SERVER_CORE" nginx -p "$dir/" -c "$dir/cache-nginx-return.conf" -e "$server_log" &
      ;;
    nginx-cache)
      server_log="$dir/cache-nginx-error.log"
      rm -rf "$dir/nginx-cache"
      render "$here/cache-nginx.conf.in" "$dir/cache-nginx.conf"
      taskset -c "$SERVER_CORE" nginx -p "$dir/" -c "$dir/cache-nginx.conf" -e "$server_log" &
      ;;
    varnish)
      # -F: manager in the foreground (its child, the cache process, is counted with it); -j none:
      # no privilege separation, so no varnish system user is needed; -T none: no management port;
      # -n: working dir (shared-memory log and counters) here, read by nobody.
      rm -rf "$dir/varnish"
      render "$here/cache-varnish.vcl.in" "$dir/cache-varnish.vcl"
      # shellcheck disable=SC2086  # VARNISH_PARAMS is a list of arguments
      taskset -c "$SERVER_CORE" varnishd -F -j none -T none -n "$dir/varnish" -a "127.0.0.1:$proxy_port" \
        -f "$dir/cache-varnish.vcl" -s malloc,256m -p thread_pools=1 $VARNISH_PARAMS \
        >"$server_log" 2>&1 &
      ;;
    haproxy-cache)
      render "$here/cache-haproxy.cfg.in" "$dir/cache-haproxy.cfg"
      taskset -c "$SERVER_CORE" haproxy -db -f "$dir/cache-haproxy.cfg" >"$server_log" 2>&1 &
      ;;
    sluice)
      [ -x "$SLUICE_BIN" ] || { log "sluice: $SLUICE_BIN not found (build it, or set SLUICE_BIN)"; return 1; }
      rm -rf "$dir/sluice-cache"
      render "$here/cache-sluice.yaml.in" "$dir/cache-sluice.yaml"
      taskset -c "$SERVER_CORE" "$SLUICE_BIN" serve --config "$dir/cache-sluice.yaml" >"$server_log" 2>&1 &
      ;;
  esac
  server_pid=$!
  track_pid "$server_pid"
  # Varnish compiles its VCL with cc before it answers: allow it (and a busy machine) 30 s.
  if ! wait_ready "$server_port" "$server_pid" 300; then
    log "$name did not get ready on 127.0.0.1:$server_port; the end of its log:"
    tail -n 10 "$server_log" >&2 2>/dev/null || true
    return 1
  fi
}

# check_hit NAME: a request, then a second one that must be answered from the cache (for nginx-return:
# must carry the origin's headers). Saves the second response's head in $dir/head-NAME.txt; on failure
# sets hit_problem.
check_hit() {
  local name=$1 url="http://127.0.0.1:$server_port/" head="$dir/head-$1.txt" size pattern what value headers
  curl -fsS --max-time 5 -o /dev/null "$url" || { hit_problem="the first request failed"; return 1; }
  size=$(curl -fsS --max-time 5 -D "$head" "$url" | wc -c) || { hit_problem="the second request failed"; return 1; }
  [ "$size" = "$BODY_SIZE" ] || { hit_problem="the second answer has $size bytes, not $BODY_SIZE"; return 1; }
  case "$name" in
    nginx-return) pattern='^cache-control: public, max-age=3600' what="Cache-Control" ;;
    nginx-cache) pattern='^x-cache-status: hit' what="X-Cache-Status" ;;
    varnish) pattern='^x-varnish: [0-9]+ [0-9]+' what="X-Varnish" ;;
    haproxy-cache) pattern='^age: [0-9]+' what="Age" ;;
    sluice) pattern='^cache-status:.*sluice; *hit' what="Cache-Status" ;;
  esac
  headers=$(tr -d '\r' <"$head")
  grep -Eiq "$pattern" <<<"$headers" && return 0
  value=$(grep -i "^$what:" <<<"$headers" | head -n 1 | cut -d: -f2- | sed 's/^ *//' || true)
  hit_problem="the second request was not answered from the cache ($what: ${value:-absent})"
  [ "$name" = nginx-return ] && hit_problem="the answer lacks the origin's Cache-Control (${value:-absent})"
  return 1
}

results="$dir/results.txt"
: >"$results"
# Rounds are interleaved (round 1: every server, round 2: every server, ...) so that drift in the
# machine's speed during the benchmark hits every server alike instead of favouring the first.
for run in $(seq "$RUNS"); do
  for name in $SERVERS; do
    if ! start_server "$name"; then
      [ -z "$server_pid" ] || stop_pid "$server_pid"
      for c in $CONNECTIONS; do echo "$name $c fail start" >>"$results"; done
      continue
    fi
    if ! check_hit "$name"; then
      log "$name: $hit_problem; skipping $name in round $run. The end of its log:"
      tail -n 5 "$server_log" >&2 2>/dev/null || true
      stop_pid "$server_pid"
      for c in $CONNECTIONS; do echo "$name $c fail hit" >>"$results"; done
      continue
    fi
    log "round $run: $name on 127.0.0.1:$server_port (pid $server_pid), hit check ok"
    for c in $CONNECTIONS; do
      url="http://127.0.0.1:$server_port/"
      warm_up "$c" "$url"
      origin_count_before=$(origin_requests)
      server_before=$(cpu_ticks "$server_pid")
      origin_before=$(cpu_ticks "$origin_pid")
      out=$(run_wrk "$c" "$DURATION" "$url")
      server_after=$(cpu_ticks "$server_pid")
      origin_after=$(cpu_ticks "$origin_pid")
      origin_served=$(($(origin_requests) - origin_count_before - 1))
      echo "$out" >"$dir/wrk-$name-$c-$run.txt"
      parse_wrk "$out"
      server_us=$(us_per_req $((server_after - server_before)) "$wrk_requests")
      origin_us=$(us_per_req $((origin_after - origin_before)) "$wrk_requests")
      echo "$name $c ok $wrk_rps $wrk_p50 $wrk_p99 $server_us $origin_us $origin_served $wrk_errors" >>"$results"
      log "$name c=$c run $run: $wrk_rps req/s, p50 ${wrk_p50}ms, p99 ${wrk_p99}ms," \
        "server ${server_us}us/req, origin ${origin_us}us/req and $origin_served requests, errors $wrk_errors"
      if [ "$origin_served" -gt $((wrk_requests / 1000)) ]; then
        log "WARNING: $name sent $origin_served of $wrk_requests requests to the origin: not all hits"
      fi
    done
    stop_pid "$server_pid"
  done
done

failure() {   # failure NAME C -> why NAME has no successful run at C
  if grep -q "^$1 $2 fail hit" "$results"; then echo "not a cache hit"; else echo "failed to start"; fi
}
has_runs() { grep -q "^$1 $2 ok" "$results"; }

warmup_text="no warm-up"
[ -z "$WARMUP" ] || warmup_text="a $WARMUP warm-up"
echo "## Cache hit benchmark"
echo
echo "1 KiB object cached from an nginx origin (\`Cache-Control: public, max-age=3600\`); every server and" \
  "the origin on core $SERVER_CORE, wrk -t1 on core $CLIENT_CORE; $RUNS runs of $DURATION after" \
  "$warmup_text, medians. CPU: utime+stime per request from /proc, with child processes (nginx's workers," \
  "Varnish's cache process). \`nginx-return\` answers the same body and headers with \`return 200\`" \
  "(the CPU floor). Origin requests: what the origin served during a measured run (0: all hits)."
echo
echo "| server | conns | req/s | p50 ms | p99 ms | server CPU µs/req | origin CPU µs/req | origin requests | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in $SERVERS; do
  for c in $CONNECTIONS; do
    if ! has_runs "$name" "$c"; then
      echo "| $name | $c | $(failure "$name" "$c") | | | | | | |"
      continue
    fi
    printf '| %s | %s | %.0f | %.3f | %.3f | %.2f | %.2f | %.0f | %s |\n' "$name" "$c" "$(column 4 "$name" "$c")" \
      "$(column 5 "$name" "$c")" "$(column 6 "$name" "$c")" "$(column 7 "$name" "$c")" \
      "$(column 8 "$name" "$c")" "$(column 9 "$name" "$c")" "$(sum_column 10 "$name" "$c")"
  done
done
heads=()
for name in $SERVERS; do
  grep -q "^$name .* ok" "$results" && heads+=("$name $(wc -c <"$dir/head-$name.txt")")
done
if [ "${#heads[@]}" -gt 0 ]; then
  echo
  echo "Response head bytes (of a hit): $(printf '%s, ' "${heads[@]}" | sed 's/, $//')."
fi

[[ " $SERVERS " == *" sluice "* ]] || exit 0
echo
if ! grep -q "^sluice .* ok" "$results"; then
  echo "sluice: no measured run ($(failure sluice "${CONNECTIONS%% *}")), so no ratios."
  exit 0
fi
# Ratios: req/s (higher is better for sluice), p99 and CPU/req (lower is better).
echo "| conns | sluice vs | req/s sluice/peer | p99 sluice/peer | CPU/req sluice/peer |"
echo "|---:|---|---:|---:|---:|"
for c in $CONNECTIONS; do
  for peer in $PEERS nginx-return; do
    [[ " $SERVERS " == *" $peer "* ]] || continue
    printf '| %s | %s | %s | %s | %s |\n' "$c" "$peer" "$(ratio "$(column 4 sluice "$c")" "$(column 4 "$peer" "$c")")" \
      "$(ratio "$(column 6 sluice "$c")" "$(column 6 "$peer" "$c")")" \
      "$(ratio "$(column 7 sluice "$c")" "$(column 7 "$peer" "$c")")"
  done
done

# The issue's targets: req/s ahead of every peer cache (at least HAProxy's, 2x nginx's), p99 no worse
# than any of them, CPU per hit within 10% of nginx-return's.
verdict() {   # verdict RATIO OP LIMIT -> "yes (R)" / "no (R)" / "n/a"
  awk -v r="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (r == "n/a") { print "n/a"; exit }
    ok = (op == ">=") ? (r + 0 >= l + 0) : (r + 0 <= l + 0); printf "%s (%s)", ok ? "yes" : "no", r }'
}
echo
echo "| conns | req/s ≥ every peer cache | req/s ≥ 2x nginx-cache | p99 ≤ every peer cache | CPU/req ≤ 1.10x nginx-return |"
echo "|---:|---|---|---|---|"
for c in $CONNECTIONS; do
  best_rps=n/a worst_p99_ratio=n/a
  s_rps=$(column 4 sluice "$c") s_p99=$(column 6 sluice "$c")
  for peer in $PEERS; do
    has_runs "$peer" "$c" || continue
    r=$(ratio "$s_rps" "$(column 4 "$peer" "$c")")
    best_rps=$(awk -v a="$best_rps" -v b="$r" 'BEGIN { print (a == "n/a" || b + 0 < a + 0) ? b : a }')
    r=$(ratio "$s_p99" "$(column 6 "$peer" "$c")")
    worst_p99_ratio=$(awk -v a="$worst_p99_ratio" -v b="$r" 'BEGIN { print (a == "n/a" || b + 0 > a + 0) ? b : a }')
  done
  printf '| %s | %s | %s | %s | %s |\n' "$c" "$(verdict "$best_rps" ">=" 1)" \
    "$(verdict "$(ratio "$s_rps" "$(column 4 nginx-cache "$c")")" ">=" 2)" \
    "$(verdict "$worst_p99_ratio" "<=" 1)" \
    "$(verdict "$(ratio "$(column 7 sluice "$c")" "$(column 7 nginx-return "$c")")" "<=" 1.10)"
done
echo
echo "(In parentheses: the lowest req/s ratio and the highest p99 ratio over the peer caches that ran, and the ratios to nginx-cache and nginx-return.)"
