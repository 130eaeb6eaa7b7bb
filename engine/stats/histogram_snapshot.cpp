#include "engine/stats/histogram_snapshot.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace sluice::stats {

void HistogramSnapshot::clear() {
  std::fill(buckets.begin(), buckets.end(), 0);
  count = 0;
  sum = 0;
}

void HistogramSnapshot::merge(const HistogramSnapshot& other) {
  assert(buckets.size() == other.buckets.size());
  for (size_t i = 0; i < buckets.size(); ++i) {
    buckets[i] += other.buckets[i];
  }
  count += other.count;
  sum += other.sum;
}

void HistogramSnapshot::subtract(const HistogramSnapshot& earlier) {
  assert(buckets.size() == earlier.buckets.size());
  uint64_t total = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    buckets[i] = buckets[i] >= earlier.buckets[i] ? buckets[i] - earlier.buckets[i] : 0;
    total += buckets[i];
  }
  count = total;
  sum = sum >= earlier.sum ? sum - earlier.sum : 0;
}

double HistogramSnapshot::quantile(double q) const {
  double out = 0;
  quantiles(std::span<const double>(&q, 1), std::span<double>(&out, 1));
  return out;
}

void HistogramSnapshot::quantiles(std::span<const double> qs, std::span<double> out) const {
  assert(qs.size() == out.size());
  std::fill(out.begin(), out.end(), 0.0);
  if (count == 0) {
    return;
  }
  size_t next = 0;
  uint64_t seen = 0;
  for (size_t i = 0; i < buckets.size() && next < qs.size(); ++i) {
    seen += buckets[i];
    while (next < qs.size()) {
      const double q = std::clamp(qs[next], 0.0, 1.0);
      const uint64_t rank =
          std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count))));
      if (seen < rank) {
        break;
      }
      out[next++] = histogram::bucketMidpoint(i);
    }
  }
}

}  // namespace sluice::stats
