#pragma once
// The values the console keeps per second, for the whole node and per route (see
// snapshot_sample.h for where each comes from in a stats snapshot).

#include <QString>
#include <array>

namespace sluice::console {

enum class Metric {
  RequestsPerS,  // all statuses
  Status2xx,     // requests/s per status class
  Status3xx,
  Status4xx,
  Status5xx,
  LatencyP50,  // ms
  LatencyP95,
  LatencyP99,
  HitRatio,     // 0..1, cache hits (fresh or stale) over lookups
  LimitedPerS,  // requests refused by rate limits, per s
  Connections,  // open client connections (node only; 0 for routes)
  BytesInPerS,
  BytesOutPerS,
};
inline constexpr int kMetricCount = 13;

using MetricValues = std::array<double, kMetricCount>;

inline constexpr int metricIndex(Metric metric) {
  return static_cast<int>(metric);
}

}  // namespace sluice::console
