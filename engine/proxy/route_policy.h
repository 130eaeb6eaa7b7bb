#pragma once
// What the proxy needs of a route besides its upstream: retries, stage timeouts, and the route's
// retry budget on this worker. Made per worker for each proxied route when a config snapshot is
// applied (a reload starts the budget afresh) and shared by that route's requests. Worker thread only.

#include <memory>

#include "engine/config/config.h"
#include "engine/proxy/retry_budget.h"

namespace sluice::proxy {

struct RoutePolicy {
  explicit RoutePolicy(const config::RouteConfig& route)
      : retries(route.retries), timeouts(route.timeouts), budget(route.retries.budget) {}
  RoutePolicy() : budget(retries.budget) {}

  const config::RetryConfig retries;
  const config::RouteTimeouts timeouts;
  RetryBudget budget;
};

using RoutePolicyPtr = std::shared_ptr<RoutePolicy>;

}  // namespace sluice::proxy
