#pragma once
// Metrics of one upstream server ("upstream/host:port") on one worker. Written by that worker only,
// read by the control thread.

#include <string>

#include "engine/stats/counter.h"

namespace sluice::stats {

struct UpstreamServerStats {
  explicit UpstreamServerStats(std::string server_name) : name(std::move(server_name)) {}

  const std::string name;
  Counter requests{0};
  Counter failures{0};
  Counter marked_down{0};  // gauge: 1 while this worker's passive health check skips the server
  Counter breaker_open{0};  // gauge: 1 while this worker's circuit breaker is open or half-open
  Counter in_flight{0};     // gauge: requests this worker has in flight to the server
};

}  // namespace sluice::stats
