#pragma once
// For the algorithm tests: requests at one instant until one is refused.

#include <cstdint>

#include "engine/filters/rate_limit/algorithm.h"

namespace sluice::rate_limit {

// How many requests at `now` pass; `state` is left as the last allowed one stored it.
inline uint64_t drain(const AlgorithmParams& p, uint64_t& state, uint64_t now) {
  uint64_t passed = 0;
  for (Decision d = decide(p, state, now); d.allowed; d = decide(p, state, now)) {
    state = d.value;
    ++passed;
  }
  return passed;
}

}  // namespace sluice::rate_limit
