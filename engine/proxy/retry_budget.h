#pragma once
// The retry budget of one route on one worker (docs/resilience.md, "Retries"): over the last
// `window`, retries stay within `ratio` x requests + `min_per_second` x the window in seconds, so a
// failing upstream never sees a retry storm (at most 1 + ratio times the load it would see
// without retries, plus the small floor). Counted in 10 slices of the window. Per worker, not
// thread-safe; each worker's budget covers the requests that worker handled.

#include <array>
#include <chrono>
#include <cstdint>

#include "engine/config/config.h"

namespace sluice::proxy {

class RetryBudget {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RetryBudget(const config::RetryBudgetConfig& config) : config_(config) {}

  void onRequest(Clock::time_point now);
  // True, and the retry counted, when one more retry fits the budget now.
  bool tryRetry(Clock::time_point now);

 private:
  static constexpr size_t kSlices = 10;
  struct Slice {
    int64_t epoch = -1;
    uint64_t requests = 0;
    uint64_t retries = 0;
  };
  Slice& slice(Clock::time_point now);

  config::RetryBudgetConfig config_;
  std::array<Slice, kSlices> slices_{};
};

}  // namespace sluice::proxy
