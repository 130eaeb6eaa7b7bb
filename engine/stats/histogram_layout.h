#pragma once
// Bucket layout shared by LatencyHistogram (the per-worker writer side) and HistogramSnapshot (the
// reader side). Log-linear, HdrHistogram-like: values 0..255 µs get one bucket each; above that each
// power of two [2^k, 2^(k+1)) is split into 128 equal sub-buckets, so a bucket is at most 1/128
// (0.78%) of its lower bound wide. Values from 2^37 µs (~38 h) up are clamped into the last bucket.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace sluice::stats::histogram {

inline constexpr int kSubBucketBits = 7;                        // 128 sub-buckets per power of two
inline constexpr uint64_t kMaxValue = (uint64_t{1} << 37) - 1;  // largest value kept exactly
inline constexpr size_t kBucketCount = (37 - kSubBucketBits + 1) << kSubBucketBits;  // 3968

// Branch-free apart from the clamp (a cmov): the shift is 0 below 256 and grows by one per octave.
constexpr size_t bucketIndex(uint64_t micros) {
  const uint64_t v = std::min(micros, kMaxValue);
  const int shift = std::bit_width(v | 0xff) - (kSubBucketBits + 1);
  return (static_cast<size_t>(shift) << kSubBucketBits) + static_cast<size_t>(v >> shift);
}

constexpr int bucketShift(size_t index) {
  return static_cast<int>(std::max<size_t>(index >> kSubBucketBits, 1)) - 1;
}

// Smallest value that lands in bucket `index`.
constexpr uint64_t bucketLow(size_t index) {
  const int shift = bucketShift(index);
  return static_cast<uint64_t>(index - (static_cast<size_t>(shift) << kSubBucketBits)) << shift;
}

// Largest value that lands in bucket `index` (inclusive).
constexpr uint64_t bucketHigh(size_t index) {
  return bucketLow(index) + (uint64_t{1} << bucketShift(index)) - 1;
}

// The value reported for a bucket: the middle of its integer range (exact for one-wide buckets).
constexpr double bucketMidpoint(size_t index) {
  return static_cast<double>(bucketLow(index)) +
         static_cast<double>(bucketHigh(index) - bucketLow(index)) / 2.0;
}

static_assert(bucketIndex(kMaxValue) == kBucketCount - 1);
static_assert(bucketIndex(255) == 255 && bucketIndex(256) == 256 && bucketIndex(257) == 256);
static_assert(bucketLow(kBucketCount - 1) == (uint64_t{255} << 29) &&
              bucketHigh(kBucketCount - 1) == kMaxValue);

}  // namespace sluice::stats::histogram
