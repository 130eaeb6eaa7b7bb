#include "engine/filters/rate_limit/algorithm.h"

#include <algorithm>
#include <chrono>

#include "engine/filters/rate_limit/fixed_window.h"
#include "engine/filters/rate_limit/gcra.h"
#include "engine/filters/rate_limit/sliding_window.h"

namespace sluice::rate_limit {

AlgorithmParams paramsFor(const config::RateLimitConfig& policy) {
  const auto window_ns =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(policy.window).count());
  switch (policy.algorithm) {
    case config::RateLimitAlgorithm::SlidingWindow: return slidingWindowParams(policy.limit, window_ns);
    case config::RateLimitAlgorithm::FixedWindow: return fixedWindowParams(policy.limit, window_ns);
    case config::RateLimitAlgorithm::TokenBucket: break;
  }
  return gcraParams(policy.limit, window_ns, policy.burst);
}

Decision decide(const AlgorithmParams& p, uint64_t value, uint64_t now_ns) {
  switch (p.algorithm) {
    case Algorithm::SlidingWindow: return slidingWindowDecide(p, value, now_ns);
    case Algorithm::FixedWindow: return fixedWindowDecide(p, value, now_ns);
    case Algorithm::TokenBucket: break;
  }
  return gcraDecide(p, value, now_ns);
}

uint64_t refund(const AlgorithmParams& p, uint64_t value, uint64_t now_ns) {
  switch (p.algorithm) {
    case Algorithm::SlidingWindow: return slidingWindowRefund(p, value, now_ns);
    case Algorithm::FixedWindow: return fixedWindowRefund(p, value, now_ns);
    case Algorithm::TokenBucket: break;
  }
  return gcraRefund(p, value, now_ns);
}

uint64_t safeIdleNs(const AlgorithmParams& p) {
  int bits = 0;
  switch (p.algorithm) {
    case Algorithm::SlidingWindow: bits = kSlidingWindowIndexBits; break;
    case Algorithm::FixedWindow: bits = kFixedWindowIndexBits; break;
    case Algorithm::TokenBucket: return UINT64_MAX;  // the TAT is read relative to now
  }
  const uint64_t windows = (uint64_t{1} << bits) / 4;
  return p.window_ns > UINT64_MAX / windows ? UINT64_MAX : p.window_ns * windows;
}

}  // namespace sluice::rate_limit
