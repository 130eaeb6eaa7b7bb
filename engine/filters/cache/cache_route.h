#pragma once
// A proxied route with a cache policy, as one worker's config snapshot sees it. Built once per
// snapshot per worker (see Worker::apply), immutable afterwards, kept alive by the handlers that use
// it (shared_ptr) across a reload.

#include <memory>

#include "engine/config/config.h"
#include "engine/filters/cache/policy_limits.h"
#include "engine/proxy/route_policy.h"
#include "engine/proxy/upstream_pool.h"
#include "engine/stats/cache_policy_stats.h"

namespace sluice::stats {
struct NodeCounters;
}

namespace sluice::filters::cache {

struct CacheRoute {
  config::ConfigPtr config;                  // keeps `policy` alive
  const config::CachePolicyConfig* policy = nullptr;
  PolicyLimits limits;
  uint64_t max_object_size = 0;              // the policy's, capped at what the store accepts
  proxy::UpstreamPoolPtr pool;
  proxy::RoutePolicyPtr proxy_policy;        // the route's retries, timeouts and retry budget
  stats::CachePolicyStats* stats = nullptr;  // this worker's slot for the policy
  stats::NodeCounters* counters = nullptr;   // this worker's node counters
};

using CacheRoutePtr = std::shared_ptr<const CacheRoute>;

}  // namespace sluice::filters::cache
