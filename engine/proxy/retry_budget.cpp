#include "engine/proxy/retry_budget.h"

namespace sluice::proxy {

RetryBudget::Slice& RetryBudget::slice(Clock::time_point now) {
  const auto width = config_.window / static_cast<int>(kSlices);
  const int64_t epoch = std::chrono::duration_cast<config::Duration>(now.time_since_epoch()) / width;
  Slice& s = slices_[static_cast<size_t>(epoch) % kSlices];
  if (s.epoch != epoch) {
    s = Slice{epoch, 0, 0};
  }
  return s;
}

void RetryBudget::onRequest(Clock::time_point now) { ++slice(now).requests; }

bool RetryBudget::tryRetry(Clock::time_point now) {
  Slice& current = slice(now);
  uint64_t requests = 0;
  uint64_t retries = 0;
  for (const Slice& s : slices_) {
    if (s.epoch > current.epoch - static_cast<int64_t>(kSlices)) {
      requests += s.requests;
      retries += s.retries;
    }
  }
  const double seconds = std::chrono::duration<double>(config_.window).count();
  const double allowed = config_.ratio * static_cast<double>(requests) + config_.min_per_second * seconds;
  // A small epsilon so that 0.2 x 5 requests allows exactly 1 retry despite binary fractions.
  if (static_cast<double>(retries + 1) > allowed + 1e-9) {
    return false;
  }
  ++current.retries;
  return true;
}

}  // namespace sluice::proxy
