#pragma once
// A plain (non-atomic) copy of a latency histogram, in microseconds. Built on the control thread
// from LatencyHistogram::addTo(); merged across workers and subtracted for per-interval deltas.
// Always holds histogram::kBucketCount buckets, so merge/subtract/assignment never reallocate.

#include <cstdint>
#include <span>
#include <vector>

#include "engine/stats/histogram_layout.h"

namespace sluice::stats {

struct HistogramSnapshot {
  HistogramSnapshot() : buckets(histogram::kBucketCount, 0) {}

  std::vector<uint64_t> buckets;
  uint64_t count = 0;  // the sum of `buckets`
  uint64_t sum = 0;    // sum of recorded values (clamped like the buckets), µs

  void clear();
  void merge(const HistogramSnapshot& other);
  // Removes an earlier snapshot of the same (monotonic) histogram; saturates at zero.
  void subtract(const HistogramSnapshot& earlier);

  // The midpoint (µs) of the bucket holding the value of rank ceil(q * count); 0 when empty.
  double quantile(double q) const;
  // Several quantiles in one pass; `qs` must be ascending, `out` as long as `qs`.
  void quantiles(std::span<const double> qs, std::span<double> out) const;
  double mean() const { return count == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(count); }

  bool operator==(const HistogramSnapshot&) const = default;
};

}  // namespace sluice::stats
