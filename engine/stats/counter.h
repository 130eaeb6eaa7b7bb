#pragma once
// Helpers for single-writer metrics: each counter or gauge is written by one thread only (its
// worker) and read by others. A relaxed load + store is then exact and avoids a locked instruction.

#include <atomic>
#include <cstdint>

namespace sluice::stats {

using Counter = std::atomic<uint64_t>;

inline void bump(Counter& c, uint64_t n = 1) {
  c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

// For gauges: decrements, saturating at zero.
inline void lower(Counter& c, uint64_t n = 1) {
  const uint64_t v = c.load(std::memory_order_relaxed);
  c.store(v >= n ? v - n : 0, std::memory_order_relaxed);
}

inline void setGauge(Counter& c, uint64_t v) {
  c.store(v, std::memory_order_relaxed);
}

inline uint64_t read(const Counter& c) {
  return c.load(std::memory_order_relaxed);
}

}  // namespace sluice::stats
