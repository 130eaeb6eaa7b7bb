#pragma once
// The circuit breaker of one upstream server on one worker (docs/resilience.md, "Circuit breakers").
// Closed: requests pass; `consecutive_failures` failures in a row, or an error ratio of at least
// `error_ratio` over `window` (once `min_requests` requests were seen in it), open it. Open: no
// request passes until `cool_down` has passed. Half-open: at most `half_open_requests` probes pass;
// `success` successful probes close it, a failed one opens it again. Results of requests that are
// not the current probes (sent while closed, answered after it opened) do not move it.
// Per worker, not thread-safe: each worker has its own breaker per server (a server is opened by
// each worker on its own failures). Disabled (always closed) without a config.

#include <array>
#include <chrono>
#include <cstdint>

#include "engine/config/config.h"

namespace sluice::proxy {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State { Closed, Open, HalfOpen };
  enum class Change { None, Opened, HalfOpened, Closed };

  // `config` outlives the breaker (the pool's copy of the upstream config); null = disabled.
  explicit CircuitBreaker(const config::CircuitBreakerConfig* config = nullptr) : config_(config) {}

  bool enabled() const { return config_ != nullptr; }
  State state() const { return state_; }
  // Whether a request may be sent now (no state change; pick() asks this of every candidate).
  bool admits(Clock::time_point now) const;
  // A request is sent: open -> half-open once the cool-down passed. `probe` is set when this
  // request is a half-open probe (its result is then passed back).
  Change onSend(Clock::time_point now, bool& probe);
  Change onSuccess(Clock::time_point now, bool probe);
  Change onFailure(Clock::time_point now, bool probe);
  // A probe ended without a verdict (the client went away): its slot is free again.
  void onAbandon(bool probe);
  // Open: the time left until it lets probes through (zero otherwise).
  Clock::duration remaining(Clock::time_point now) const;

 private:
  static constexpr size_t kBuckets = 10;
  struct Bucket {
    int64_t epoch = -1;  // which slice of time (window / kBuckets) the counts belong to
    uint32_t requests = 0;
    uint32_t failures = 0;
  };

  Bucket& bucket(Clock::time_point now);
  bool ratioTripped(Clock::time_point now) const;
  Change open(Clock::time_point now);
  void resetCounts();

  const config::CircuitBreakerConfig* config_;
  State state_ = State::Closed;
  uint32_t consecutive_ = 0;
  Clock::time_point opened_at_{};
  uint32_t probes_sent_ = 0;      // half-open: probes let through (slots given back on abandon)
  uint32_t probe_successes_ = 0;  // half-open
  std::array<Bucket, kBuckets> buckets_{};
};

}  // namespace sluice::proxy
