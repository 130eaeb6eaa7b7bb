#pragma once
// Rolls the per-worker metric shards up into node-wide numbers. Runs on the control thread only:
// tick() once a second reads every WorkerStats lock-free (relaxed loads of single-writer counters),
// merges them by route / server name into cumulative totals, and derives the rates of the last
// interval. Keeps the last `history_capacity` snapshots (default 900 = 15 min at 1 Hz).
// Steady-state ticks allocate nothing: totals and scratch histograms are reused, and the snapshot
// that falls out of the ring is recycled for the new one. Allocation happens only when a worker
// publishes a route or server not seen before.

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/control/process_stats.h"
#include "engine/control/stats_snapshot.h"
#include "engine/stats/histogram_snapshot.h"
#include "engine/stats/worker_stats.h"

namespace sluice::control {

class StatsAggregator {
 public:
  static constexpr size_t kDefaultHistory = 900;

  // The workers' stats must outlive the aggregator.
  explicit StatsAggregator(std::vector<const stats::WorkerStats*> workers,
                           size_t history_capacity = kDefaultHistory);

  // Where the node-wide rate-limit table's numbers come from (read once per tick).
  void setRateLimitTable(std::function<stats::RateLimitTableStats()> source) { table_source_ = std::move(source); }
  // Whether an upstream server is drained (the node's DrainBoard), asked once per server per tick.
  using DrainedSource = std::function<bool(std::string_view upstream, std::string_view server)>;
  void setDrainedSource(DrainedSource source) { drained_source_ = std::move(source); }
  // An upstream server's active health state name ("unchecked", "up", "down": static strings),
  // asked once per server per tick.
  using HealthSource = std::function<std::string_view(std::string_view upstream, std::string_view server)>;
  void setHealthSource(HealthSource source) { health_source_ = std::move(source); }

  // `now` stamps the snapshot; the interval is the time since the previous tick (1 s for the first
  // tick, or when the clock went backwards).
  // `cache_store` is copied into the snapshot as is (the store is shared, not sharded per worker).
  // `process` is the process's CPU time and memory now; CPU use is its delta since the last tick.
  void tick(std::chrono::system_clock::time_point now, const CacheStoreStats& cache_store = {},
            const ProcessStats& process = {});

  // The newest snapshot (an empty one before the first tick).
  const StatsSnapshot& latest() const { return history_.empty() ? empty_ : history_.back(); }
  // Oldest first; at most history_capacity entries.
  const std::deque<StatsSnapshot>& history() const { return history_; }
  // Cumulative totals as of the last tick, for Prometheus.
  const CumulativeStats& totals() const { return current_; }

 private:
  // Maps each worker's slot index to the index of the same name in CumulativeStats.
  struct WorkerIndex {
    std::vector<size_t> routes;
    std::vector<size_t> upstreams;
    std::vector<size_t> cache_policies;
    std::vector<size_t> rate_limits;
    std::vector<size_t> tls_ciphers;
    std::vector<size_t> listeners;
  };

  void collect();
  void collectWorker(const stats::WorkerStats& worker, WorkerIndex& index);
  size_t routeSlot(const std::string& name);
  size_t upstreamSlot(const std::string& name);
  size_t cachePolicySlot(const std::string& name);
  size_t rateLimitSlot(const std::string& name);
  void collectRateLimits(const stats::WorkerStats& worker, WorkerIndex& index);
  void fillRateLimits(double interval_s, std::vector<RateLimitSnapshot>& out) const;
  size_t tlsCipherSlot(const stats::TlsCipherStats& stats);
  void collectTlsCiphers(const stats::WorkerStats& worker, WorkerIndex& index);
  size_t listenerSlot(const std::string& name);
  void collectListeners(const stats::WorkerStats& worker, WorkerIndex& index);
  void fillListeners(double interval_s, std::vector<ListenerSnapshot>& out) const;
  void fillRoute(size_t i, double interval_s, RouteSnapshot& out);
  void fillNode(double interval_s, NodeSnapshot& out);
  void fillUpstreams(double interval_s, std::vector<UpstreamServerSnapshot>& out) const;
  void fillCachePolicies(double interval_s, std::vector<CachePolicySnapshot>& out) const;
  void fillProcess(const ProcessStats& process, double interval_s, ProcessSnapshot& out);

  std::vector<const stats::WorkerStats*> workers_;
  std::vector<WorkerIndex> indexes_;
  std::unordered_map<std::string, size_t> route_slots_;
  std::unordered_map<std::string, size_t> upstream_slots_;
  std::unordered_map<std::string, size_t> cache_policy_slots_;
  std::unordered_map<std::string, size_t> rate_limit_slots_;
  std::unordered_map<std::string, size_t> tls_cipher_slots_;
  std::unordered_map<std::string, size_t> listener_slots_;
  std::function<stats::RateLimitTableStats()> table_source_;
  DrainedSource drained_source_;
  HealthSource health_source_;
  CumulativeStats current_;
  CumulativeStats previous_;             // as of the tick before; same routes/upstreams as current_
  stats::HistogramSnapshot delta_;       // scratch: one route's interval histogram
  stats::HistogramSnapshot node_delta_;  // scratch: all routes' interval histogram
  std::deque<StatsSnapshot> history_;
  size_t history_capacity_;
  std::optional<std::chrono::system_clock::time_point> last_tick_;
  std::optional<double> last_cpu_seconds_;
  StatsSnapshot empty_;
};

}  // namespace sluice::control
