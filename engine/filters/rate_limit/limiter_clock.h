#pragma once
// Node time for rate limits: a monotonic clock (immune to wall-clock steps), counted from the
// first call in the process (node start) plus one second, so that no key's state ever looks like
// time zero. Fixed and sliding windows are aligned to it: the first window starts when the node
// starts. The limiter core never reads a clock itself; callers pass this time in, tests their own.

#include <chrono>
#include <cstdint>

#include "engine/filters/rate_limit/decision.h"

namespace sluice::rate_limit {

inline uint64_t nodeTimeNs() {
  static const auto start = std::chrono::steady_clock::now();
  const auto since = std::chrono::steady_clock::now() - start;
  return kNsPerSecond + static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(since).count());
}

inline uint32_t nodeSeconds(uint64_t node_ns) {
  return static_cast<uint32_t>(node_ns / kNsPerSecond);
}

}  // namespace sluice::rate_limit
