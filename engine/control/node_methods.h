#pragma once
// `hello` (who the node is, who it thinks you are) and `routes.list` (the running config's routes
// in match order). Control thread; they read the running Config through `config`.

#include <chrono>
#include <functional>

#include "engine/config/config.h"
#include "engine/control/control_method.h"

namespace sluice::control {

struct NodeIdentity {
  std::function<config::ConfigPtr()> config;  // the running snapshot
  std::chrono::steady_clock::time_point started;
  std::function<bool()> persisted;            // edits are written back to a file
};

void addNodeMethods(MethodTable& table, NodeIdentity identity);

// routes.list's entries, exposed for tests: {"name", "match": {...}, "handler", "upstream", "cache", "rate_limits"}.
nlohmann::json routesJson(const config::Config& config);

}  // namespace sluice::control
