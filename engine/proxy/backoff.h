#pragma once
// Exponential backoff with full jitter (the AWS architecture blog's "full jitter"): the wait before
// retry n (1-based) is uniform in [0, min(max, base x 2^(n-1))], so clients that failed together do
// not retry together. Any thread (a thread-local generator).

#include <algorithm>
#include <cstdint>
#include <random>

#include "engine/config/config.h"

namespace sluice::proxy {

inline config::Duration backoffDelay(config::Duration base, config::Duration max, uint32_t retry) {
  if (base <= config::Duration::zero() || max <= config::Duration::zero()) {
    return config::Duration::zero();
  }
  const uint32_t shift = std::min<uint32_t>(retry > 0 ? retry - 1 : 0, 20);
  const int64_t cap = std::min<int64_t>(max.count(), base.count() << shift);
  thread_local std::minstd_rand random{std::random_device{}()};
  return config::Duration(std::uniform_int_distribution<int64_t>(0, cap)(random));
}

}  // namespace sluice::proxy
