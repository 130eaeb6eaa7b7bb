#pragma once
// `upstreams.list` (the running config's upstreams with each server's totals, passive health and
// drain state) and `upstreams.drain` / `upstreams.undrain`. Draining itself is the proxy's business:
// these methods check the names against the running config and call the hooks. Control thread.

#include <functional>
#include <string_view>

#include "engine/config/config.h"
#include "engine/control/control_method.h"
#include "engine/control/stats_aggregator.h"

namespace sluice::control {

// The node's drain state, by upstream name and server address as written in the config.
struct DrainHooks {
  std::function<bool(std::string_view upstream, std::string_view server)> drained;
  std::function<void(std::string_view upstream, std::string_view server, bool drained)> set_drained;
};

void addUpstreamMethods(MethodTable& table, std::function<config::ConfigPtr()> config,
                        const StatsAggregator& aggregator, DrainHooks hooks);

}  // namespace sluice::control
