#pragma once
// Wall-clock time in unix milliseconds: reclaim_at and last-access times are stored on disk and
// must mean the same after a restart, which a monotonic clock would not.

#include <chrono>
#include <cstdint>

namespace sluice::storage {

inline uint64_t unixNowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace sluice::storage
