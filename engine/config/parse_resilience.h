#pragma once
// The resilience keys inside upstream and route entries (docs/resilience.md). Internal to
// engine/config: called by parseUpstreams and parseRoutes with the entry's MapReader.

#include "engine/config/config.h"
#include "engine/config/yaml_reader.h"

namespace sluice::config::detail {

// health_check, circuit_breaker, max_in_flight, queue.
void parseUpstreamResilience(const MapReader& map, UpstreamConfig& upstream);
// retries, timeouts.
void parseRouteResilience(const MapReader& map, RouteConfig& route);

}  // namespace sluice::config::detail
