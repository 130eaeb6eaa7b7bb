#pragma once
// The store's counters: written by the writer thread (and put() for drops), read by stats() from
// any thread. Relaxed atomics: each number is exact, a snapshot of several is not a single instant.

#include <atomic>
#include <cstdint>

#include "storage/store_options.h"

namespace sluice::storage {

struct StoreCounters {
  std::atomic<uint64_t> entries{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> max_size{0};
  std::atomic<uint64_t> used_bytes{0};
  std::atomic<uint64_t> stores{0};
  std::atomic<uint64_t> evictions{0};
  std::atomic<uint64_t> reclaimed{0};
  std::atomic<uint64_t> purged{0};
  std::atomic<uint64_t> dropped{0};
  std::atomic<uint64_t> touches{0};
  std::atomic<uint64_t> map_full{0};
  std::atomic<uint64_t> write_batches{0};
  std::atomic<uint64_t> write_errors{0};

  static void add(std::atomic<uint64_t>& counter, uint64_t n) {
    if (n != 0) {
      counter.fetch_add(n, std::memory_order_relaxed);
    }
  }

  StoreStats snapshot() const {
    constexpr auto r = std::memory_order_relaxed;
    return StoreStats{entries.load(r),     bytes.load(r),     max_size.load(r),  used_bytes.load(r),
                      stores.load(r),      evictions.load(r), reclaimed.load(r), purged.load(r),
                      dropped.load(r),     touches.load(r),   map_full.load(r),  write_batches.load(r),
                      write_errors.load(r)};
  }
};

}  // namespace sluice::storage
