#pragma once
// Latency histogram written by exactly one thread (its worker) and read concurrently by the control
// thread. Each bucket is an atomic updated with a relaxed load + store: with a single writer no
// update is lost, and no locked instruction is paid per request. A reader sees each bucket at some
// recent value; addTo() derives the count from the buckets so a copy is self-consistent.

#include <array>
#include <atomic>
#include <cstdint>

#include "engine/stats/histogram_layout.h"
#include "engine/stats/histogram_snapshot.h"

namespace sluice::stats {

class LatencyHistogram {
 public:
  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  // Writer thread only. Values above histogram::kMaxValue count in the last bucket.
  void record(uint64_t micros) {
    const uint64_t v = micros < histogram::kMaxValue ? micros : histogram::kMaxValue;
    auto& bucket = buckets_[histogram::bucketIndex(v)];
    bucket.store(bucket.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    count_.store(count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    sum_.store(sum_.load(std::memory_order_relaxed) + v, std::memory_order_relaxed);
  }

  // Any thread.
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  uint64_t sum() const { return sum_.load(std::memory_order_relaxed); }
  // Any thread: adds the current buckets into `out` (count = sum of the buckets read).
  void addTo(HistogramSnapshot& out) const;

 private:
  std::array<std::atomic<uint64_t>, histogram::kBucketCount> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_{0};
};

}  // namespace sluice::stats
