#pragma once
// What the control thread hands each worker on start and on every reload: the config snapshot and
// its upstream server addresses, resolved on the control thread (a worker never resolves names).

#include <sys/socket.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/config/config.h"

namespace sluice::rate_limit {
class LimiterTable;
}

namespace sluice::server {

using ResolvedUpstreams = std::map<std::string, std::vector<sockaddr_storage>>;

struct NodeSnapshot {
  config::ConfigPtr config;
  std::shared_ptr<const ResolvedUpstreams> upstream_addresses;
  // The node's rate-limit state: the same table in every snapshot, so reloads keep it.
  std::shared_ptr<rate_limit::LimiterTable> rate_limits;
};

}  // namespace sluice::server
