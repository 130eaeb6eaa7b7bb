#pragma once
// Metrics of one route on one worker. Written by that worker only (see counter.h), read by the
// control thread. Lives in WorkerStats' route table for the worker's life.

#include <array>
#include <cstdint>
#include <string>

#include "engine/stats/counter.h"
#include "engine/stats/latency_histogram.h"
#include "engine/stats/status_class.h"

namespace sluice::stats {

struct RouteStats {
  explicit RouteStats(std::string route_name) : name(std::move(route_name)) {}

  // Writer thread. `status` 0 (or outside 100..599) counts as aborted; aborted requests are not in
  // the latency histogram, since their duration says more about the client than about the route.
  void record(int status, uint64_t in, uint64_t out, uint64_t duration_us) {
    const StatusClass c = statusClassOf(status);
    bump(requests[indexOf(c)]);
    bump(bytes_in, in);
    bump(bytes_out, out);
    if (c != StatusClass::kAborted) {
      latency.record(duration_us);
    }
  }

  const std::string name;
  std::array<Counter, kStatusClassCount> requests{};  // indexed by indexOf(StatusClass)
  Counter bytes_in{0};
  Counter bytes_out{0};
  LatencyHistogram latency;
};

}  // namespace sluice::stats
