#pragma once
// Data produced by StatsAggregator on the control thread: cumulative totals merged over all workers
// (for Prometheus), and one StatsSnapshot per tick (rates over the last interval, for the console and
// `sluice ctl stats`). Plain values, safe to copy to other threads.

#include <array>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/stats/cache_policy_stats.h"
#include "engine/stats/histogram_snapshot.h"
#include "engine/stats/node_counters.h"
#include "engine/stats/rate_limit_stats.h"
#include "engine/stats/status_class.h"

namespace sluice::control {

// ---- cumulative totals (since the node started) ----

struct RouteTotals {
  std::string name;
  std::array<uint64_t, stats::kStatusClassCount> requests{};  // indexed by stats::indexOf(StatusClass)
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  stats::HistogramSnapshot latency;  // µs
};

struct UpstreamServerTotals {
  std::string name;  // "upstream/host:port"
  uint64_t requests = 0;
  uint64_t failures = 0;
  uint32_t down_workers = 0;  // gauge: workers currently marking the server down
  bool drained = false;       // an operator drained it (read from the node's DrainBoard at the tick)
  uint32_t breaker_open_workers = 0;  // gauge: workers whose circuit breaker for it is open/half-open
  uint64_t in_flight = 0;             // gauge: requests in flight to it, all workers
  std::string_view health = "unchecked";  // active health check: unchecked | up | down (HealthBoard)
};

struct CachePolicyTotals {
  std::string name;
  std::array<uint64_t, stats::kCacheCounterCount> counters{};  // indexed by stats::CacheCounter
};

// The cache store as a whole (filled in by the node from the store; all workers share it).
struct CacheStoreStats {
  bool enabled = false;
  uint64_t entries = 0, bytes = 0, max_size = 0;
  uint64_t stores = 0, evictions = 0, reclaimed = 0, purged = 0, dropped = 0, write_errors = 0;
  uint64_t flights = 0;  // misses being fetched right now (request coalescing)
};

// One rate-limit policy's decisions, summed over workers.
struct RateLimitTotals {
  std::string name;
  uint64_t allowed = 0;
  uint64_t limited = 0;
  uint64_t dry_run_limited = 0;
  uint64_t in_flight_limited = 0;
  uint64_t missing_key = 0;
};

// Completed TLS handshakes of one (version, cipher) pair, summed over workers.
struct TlsCipherTotals {
  std::string version;  // "TLSv1.3"
  std::string cipher;   // "TLS_AES_128_GCM_SHA256"
  uint64_t handshakes = 0;
  uint64_t resumed = 0;
};

// Connections of one listener, summed over workers.
struct ListenerTotals {
  std::string name;
  uint64_t connections_active = 0;  // gauge
  uint64_t refused = 0;             // by the listener's max_connections
};

struct CumulativeStats {
  std::vector<RouteTotals> routes;                        // in first-seen order; "_none" first
  std::array<uint64_t, stats::kNodeCounterCount> node{};  // indexed like stats::kNodeCounters
  std::vector<UpstreamServerTotals> upstreams;
  std::vector<CachePolicyTotals> cache_policies;
  std::vector<RateLimitTotals> rate_limits;               // in first-seen order
  stats::RateLimitTableStats rate_limit_table;            // node-wide, read at the tick
  std::vector<TlsCipherTotals> tls_ciphers;               // in first-seen order
  std::vector<ListenerTotals> listeners;                  // in first-seen order
};

// ---- one tick ----

struct LatencySummary {  // over the interval, in milliseconds; all 0 when samples == 0
  double p50_ms = 0, p90_ms = 0, p95_ms = 0, p99_ms = 0, p999_ms = 0, mean_ms = 0;
  uint64_t samples = 0;
};

struct TrafficSnapshot {
  std::array<double, stats::kStatusClassCount> per_s_by_status{};    // req/s over the interval
  std::array<uint64_t, stats::kStatusClassCount> total_by_status{};  // cumulative
  double requests_per_s = 0;
  uint64_t requests_total = 0;
  double bytes_in_per_s = 0, bytes_out_per_s = 0;
  uint64_t bytes_in_total = 0, bytes_out_total = 0;
  LatencySummary latency;
};

struct RouteSnapshot {
  std::string name;
  TrafficSnapshot traffic;
};

struct NodeSnapshot {
  TrafficSnapshot traffic;  // all routes together
  uint64_t connections_active = 0;
  std::array<uint64_t, stats::kNodeCounterCount> counters{};      // cumulative (gauges: current value)
  std::array<double, stats::kNodeCounterCount> counters_per_s{};  // 0 for gauges
};

struct UpstreamServerSnapshot {
  std::string name;
  double requests_per_s = 0;
  uint64_t requests_total = 0;
  double failures_per_s = 0;
  uint64_t failures_total = 0;
  uint32_t down_workers = 0;
  bool down = false;  // marked down by at least one worker
  bool drained = false;
  uint32_t breaker_open_workers = 0;
  uint64_t in_flight = 0;
  std::string_view health = "unchecked";  // a static string (healthStateName)
};

struct CachePolicySnapshot {
  std::string name;
  std::array<uint64_t, stats::kCacheCounterCount> totals{};
  std::array<double, stats::kCacheCounterCount> per_s{};
  double hit_ratio = 0;  // (hits + stale) / (hits + stale + misses) over the interval; 0 when idle
};

struct ListenerSnapshot {
  ListenerTotals totals;  // cumulative (connections_active: the current value)
  double refused_per_s = 0;
};

struct RateLimitSnapshot {
  RateLimitTotals totals;  // cumulative
  double allowed_per_s = 0;
  double limited_per_s = 0;  // enforced refusals of any kind (rate, in flight, missing key)
  double dry_run_limited_per_s = 0;
};

// The node process as a whole (from /proc/self at the tick).
struct ProcessSnapshot {
  double cpu_percent = 0;        // over the interval, of one core (200 = two cores busy); 0 on the first tick
  uint64_t rss_bytes = 0;
  double cpu_seconds_total = 0;  // user + system since the process started
};

struct StatsSnapshot {
  std::chrono::system_clock::time_point time{};
  double interval_s = 0;
  NodeSnapshot totals;
  std::vector<RouteSnapshot> routes;
  std::vector<UpstreamServerSnapshot> upstreams;
  std::vector<CachePolicySnapshot> cache_policies;
  CacheStoreStats cache_store;
  std::vector<RateLimitSnapshot> rate_limits;
  stats::RateLimitTableStats rate_limit_table;
  std::vector<TlsCipherTotals> tls_ciphers;  // cumulative
  std::vector<ListenerSnapshot> listeners;
  ProcessSnapshot process;
};

// {"time": "2026-...Z", "time_unix_ms": ..., "interval_s": 1.0, "totals": {...}, "routes": [...],
//  "upstreams": [...], "rate_limits": [...], "rate_limit_table": {...}, "cache": {...},
//  "tls_ciphers": [...], "listeners": [...], "process": {...}}; see
//  docs/control-protocol.md.
nlohmann::json toJson(const StatsSnapshot& snapshot);

}  // namespace sluice::control
