#include "engine/stats/latency_histogram.h"

namespace sluice::stats {

void LatencyHistogram::addTo(HistogramSnapshot& out) const {
  // Relaxed loads race benignly with the writer: each bucket is some recent value. The count is
  // taken from the buckets actually read so that quantile ranks always fall inside them.
  out.sum += sum_.load(std::memory_order_relaxed);
  uint64_t total = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    const uint64_t n = buckets_[i].load(std::memory_order_relaxed);
    out.buckets[i] += n;
    total += n;
  }
  out.count += total;
}

}  // namespace sluice::stats
