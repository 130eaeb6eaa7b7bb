#pragma once
// All metrics of one worker: per route, per upstream server, per listener, and node-level counters.
// Owned by the worker and written only from its thread (claims and counter updates); read lock-free
// by the control thread (StatsAggregator). It must outlive the aggregator that reads it.

#include <cstddef>
#include <string_view>

#include "engine/stats/cache_policy_stats.h"
#include "engine/stats/listener_stats.h"
#include "engine/stats/node_counters.h"
#include "engine/stats/rate_limit_stats.h"
#include "engine/stats/route_stats.h"
#include "engine/stats/slot_table.h"
#include "engine/stats/tls_cipher_stats.h"
#include "engine/stats/upstream_server_stats.h"

namespace sluice::stats {

inline constexpr std::string_view kNoRouteName = "_none";

class WorkerStats {
 public:
  static constexpr size_t kMaxRoutes = 256;           // including "_none" and "_overflow"
  static constexpr size_t kMaxUpstreamServers = 256;  // including "_overflow"
  static constexpr size_t kMaxCachePolicies = 64;     // including "_overflow"
  static constexpr size_t kMaxRateLimits = 256;       // including "_overflow"
  static constexpr size_t kMaxTlsCiphers = 64;        // version+cipher pairs, including "_overflow"
  static constexpr size_t kMaxListeners = 64;         // including "_overflow"

  WorkerStats();
  WorkerStats(const WorkerStats&) = delete;
  WorkerStats& operator=(const WorkerStats&) = delete;

  // Worker thread: the slot for a route name, created on first use. Call once per route per config
  // snapshot and keep the pointer; it stays valid for the life of this object.
  RouteStats* route(std::string_view name) { return routes_.claim(name); }
  // Worker thread: requests that matched no route.
  RouteStats* noRoute() { return no_route_; }
  // Worker thread: the slot for "upstream/host:port", created on first use.
  UpstreamServerStats* upstreamServer(std::string_view name) { return upstream_servers_.claim(name); }
  NodeCounters& node() { return node_; }
  // Worker thread: the slot for a cache policy name, created on first use.
  CachePolicyStats* cachePolicy(std::string_view name) { return cache_policies_.claim(name); }
  // Worker thread: the slot for a rate-limit policy, created on first use.
  RateLimitStats* rateLimit(std::string_view name) { return rate_limits_.claim(name); }
  // Worker thread: the slot for "<TLS version> <cipher>", created on first use.
  TlsCipherStats* tlsCipher(std::string_view name) { return tls_ciphers_.claim(name); }
  // Worker thread: the slot for a listener name, created on first use.
  ListenerStats* listener(std::string_view name) { return listeners_.claim(name); }

  // Any thread.
  size_t routeCount() const { return routes_.size(); }
  const RouteStats& routeAt(size_t index) const { return routes_.at(index); }
  size_t upstreamServerCount() const { return upstream_servers_.size(); }
  const UpstreamServerStats& upstreamServerAt(size_t index) const { return upstream_servers_.at(index); }
  const NodeCounters& node() const { return node_; }
  size_t cachePolicyCount() const { return cache_policies_.size(); }
  const CachePolicyStats& cachePolicyAt(size_t index) const { return cache_policies_.at(index); }
  size_t rateLimitCount() const { return rate_limits_.size(); }
  const RateLimitStats& rateLimitAt(size_t index) const { return rate_limits_.at(index); }
  size_t tlsCipherCount() const { return tls_ciphers_.size(); }
  const TlsCipherStats& tlsCipherAt(size_t index) const { return tls_ciphers_.at(index); }
  size_t listenerCount() const { return listeners_.size(); }
  const ListenerStats& listenerAt(size_t index) const { return listeners_.at(index); }

 private:
  SlotTable<RouteStats, kMaxRoutes> routes_;
  SlotTable<UpstreamServerStats, kMaxUpstreamServers> upstream_servers_;
  SlotTable<CachePolicyStats, kMaxCachePolicies> cache_policies_;
  SlotTable<RateLimitStats, kMaxRateLimits> rate_limits_;
  SlotTable<TlsCipherStats, kMaxTlsCiphers> tls_ciphers_;
  SlotTable<ListenerStats, kMaxListeners> listeners_;
  RouteStats* no_route_;
  NodeCounters node_;
};

}  // namespace sluice::stats
