#pragma once
// What a rate-limit algorithm decides about one request, and the parameters it decides with. The
// algorithms are pure functions of (parameters, stored state, now): the table stores the state
// and makes each decision one CAS; tests drive them with any clock they like.
//
// Times are node nanoseconds (see limiter_clock.h); a state value uses at most 59 bits.

#include <cstdint>

namespace sluice::rate_limit {

inline constexpr uint64_t kNsPerSecond = 1'000'000'000;

enum class Algorithm { TokenBucket, SlidingWindow, FixedWindow };

struct AlgorithmParams {
  Algorithm algorithm = Algorithm::TokenBucket;
  uint64_t limit = 1;       // requests per window
  uint64_t burst = 0;       // token bucket: extra requests at once
  uint64_t window_ns = 60 * kNsPerSecond;
  // Token bucket (GCRA): one request per `interval_ns`; up to `tolerance_ns` of backlog.
  uint64_t interval_ns = 0;
  uint64_t tolerance_ns = 0;
};

struct Decision {
  bool allowed = false;
  bool write = false;        // `value` differs from the stored state
  uint64_t value = 0;        // the state to store
  uint64_t remaining = 0;    // requests left now (RateLimit r)
  uint64_t reset_ns = 0;     // until the quota is whole again (RateLimit t); also when the key may go
  uint64_t retry_ns = 0;     // refused: until the next request can pass (Retry-After)
};

// Parameters of a window algorithm: a limit its count field can hold, a window of at least 1 ns.
inline AlgorithmParams windowParams(Algorithm algorithm, uint64_t limit, uint64_t window_ns, uint64_t max_limit) {
  AlgorithmParams p;
  p.algorithm = algorithm;
  p.limit = limit < 1 ? 1 : (limit > max_limit ? max_limit : limit);
  p.window_ns = window_ns < 1 ? 1 : window_ns;
  return p;
}

inline uint64_t ceilSeconds(uint64_t ns) {
  return (ns + kNsPerSecond - 1) / kNsPerSecond;
}

}  // namespace sluice::rate_limit
