#include "engine/proxy/circuit_breaker.h"

namespace sluice::proxy {

bool CircuitBreaker::admits(Clock::time_point now) const {
  if (config_ == nullptr) {
    return true;
  }
  switch (state_) {
    case State::Closed: return true;
    case State::Open: return now - opened_at_ >= config_->cool_down;
    case State::HalfOpen: return probes_sent_ < config_->half_open_requests;
  }
  return true;
}

CircuitBreaker::Change CircuitBreaker::onSend(Clock::time_point now, bool& probe) {
  probe = false;
  if (config_ == nullptr) {
    return Change::None;
  }
  Change change = Change::None;
  if (state_ == State::Open && now - opened_at_ >= config_->cool_down) {
    state_ = State::HalfOpen;
    probes_sent_ = 0;
    probe_successes_ = 0;
    change = Change::HalfOpened;
  }
  if (state_ == State::HalfOpen) {
    ++probes_sent_;
    probe = true;
  } else if (state_ == State::Closed && config_->error_ratio > 0) {
    ++bucket(now).requests;
  }
  return change;
}

CircuitBreaker::Change CircuitBreaker::onSuccess(Clock::time_point now, bool probe) {
  (void)now;
  if (config_ == nullptr) {
    return Change::None;
  }
  if (state_ == State::HalfOpen) {
    if (probe && ++probe_successes_ >= config_->success) {
      state_ = State::Closed;
      resetCounts();
      return Change::Closed;
    }
    return Change::None;
  }
  consecutive_ = 0;
  return Change::None;
}

CircuitBreaker::Change CircuitBreaker::onFailure(Clock::time_point now, bool probe) {
  if (config_ == nullptr) {
    return Change::None;
  }
  if (state_ == State::HalfOpen) {
    return probe ? open(now) : Change::None;
  }
  if (state_ == State::Open) {
    return Change::None;
  }
  ++consecutive_;
  if (config_->error_ratio > 0) {
    ++bucket(now).failures;
  }
  if ((config_->consecutive_failures > 0 && consecutive_ >= config_->consecutive_failures) || ratioTripped(now)) {
    return open(now);
  }
  return Change::None;
}

void CircuitBreaker::onAbandon(bool probe) {
  if (probe && state_ == State::HalfOpen && probes_sent_ > 0) {
    --probes_sent_;
  }
}

CircuitBreaker::Clock::duration CircuitBreaker::remaining(Clock::time_point now) const {
  if (config_ == nullptr || state_ != State::Open) {
    return Clock::duration::zero();
  }
  const Clock::duration left = opened_at_ + config_->cool_down - now;
  return left > Clock::duration::zero() ? left : Clock::duration::zero();
}

CircuitBreaker::Bucket& CircuitBreaker::bucket(Clock::time_point now) {
  const auto slice = config_->window / static_cast<int>(kBuckets);
  const int64_t epoch = std::chrono::duration_cast<config::Duration>(now.time_since_epoch()) / slice;
  Bucket& b = buckets_[static_cast<size_t>(epoch) % kBuckets];
  if (b.epoch != epoch) {
    b = Bucket{epoch, 0, 0};
  }
  return b;
}

bool CircuitBreaker::ratioTripped(Clock::time_point now) const {
  if (config_->error_ratio <= 0) {
    return false;
  }
  const auto slice = config_->window / static_cast<int>(kBuckets);
  const int64_t epoch = std::chrono::duration_cast<config::Duration>(now.time_since_epoch()) / slice;
  uint64_t requests = 0;
  uint64_t failures = 0;
  for (const Bucket& b : buckets_) {
    if (b.epoch > epoch - static_cast<int64_t>(kBuckets)) {
      requests += b.requests;
      failures += b.failures;
    }
  }
  return requests >= config_->min_requests &&
         static_cast<double>(failures) >= config_->error_ratio * static_cast<double>(requests);
}

CircuitBreaker::Change CircuitBreaker::open(Clock::time_point now) {
  state_ = State::Open;
  opened_at_ = now;
  resetCounts();
  return Change::Opened;
}

void CircuitBreaker::resetCounts() {
  consecutive_ = 0;
  probes_sent_ = 0;
  probe_successes_ = 0;
  buckets_.fill(Bucket{});
}

}  // namespace sluice::proxy
