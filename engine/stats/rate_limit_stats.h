#pragma once
// Decisions of one rate-limit policy on one worker. Written by that worker only (see counter.h),
// read by the control thread. Lives in WorkerStats' policy table for the worker's life.

#include <string>

#include "engine/stats/counter.h"

namespace sluice::stats {

struct RateLimitStats {
  explicit RateLimitStats(std::string policy_name) : name(std::move(policy_name)) {}

  const std::string name;
  Counter allowed{0};            // requests this policy let through
  Counter limited{0};            // refused: over the rate (429)
  Counter dry_run_limited{0};    // would have been refused; let through (mode: dry_run)
  Counter in_flight_limited{0};  // refused: max_in_flight reached (dry runs included in dry_run_limited)
  Counter missing_key{0};        // refused: the key header was missing and there is no fallback
};

// The node-wide key table, as read by the control thread.
struct RateLimitTableStats {
  uint64_t keys = 0;        // keys held now
  uint64_t max_keys = 0;
  uint64_t slot_count = 0;  // allocated slots ("slots" is a Qt macro)
  uint64_t evictions = 0;   // least recently used keys dropped to make room at max_keys
  uint64_t expirations = 0; // idle keys dropped
  uint64_t full = 0;        // keys that could not be stored (every key held requests in flight)
};

}  // namespace sluice::stats
