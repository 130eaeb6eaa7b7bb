#include "engine/server/min_rate_watch.h"

#include <algorithm>

namespace sluice::server {

void MinRateWatch::begin(uint64_t now_ms) {
  start_ms_ = now_ms;
  bytes_ = 0;
  active_ = true;
  paused_ = false;
}

void MinRateWatch::pause(uint64_t now_ms) {
  if (active_ && !paused_) {
    paused_ = true;
    paused_at_ms_ = now_ms;
  }
}

void MinRateWatch::resume(uint64_t now_ms) {
  if (active_ && paused_) {
    paused_ = false;
    start_ms_ += now_ms > paused_at_ms_ ? now_ms - paused_at_ms_ : 0;
  }
}

uint64_t MinRateWatch::deadline() const {
  if (!active_ || paused_ || rate_ == 0) {
    return kNever;
  }
  // bytes / rate seconds of credit, never less than the grace. bytes stays far below 2^64 / 1000.
  const uint64_t credit_ms = std::max(grace_ms_, bytes_ * 1000 / rate_);
  return credit_ms > kNever - start_ms_ ? kNever : start_ms_ + credit_ms;
}

uint64_t MinRateWatch::elapsedMs(uint64_t now_ms) const {
  const uint64_t until = paused_ ? paused_at_ms_ : now_ms;
  return until > start_ms_ ? until - start_ms_ : 0;
}

}  // namespace sluice::server
