#pragma once
// The /metrics page: Prometheus text exposition format 0.0.4, rendered on the control thread from
// the aggregator's cumulative totals as of its last tick (so values lag by at most a second).

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::control {

class StatsAggregator;

struct PrometheusInfo {
  std::string version;
  std::string node_name;
  double uptime_seconds = 0;
  uint64_t config_version = 0;
  double process_cpu_seconds = 0;  // see readProcessStats()
  uint64_t process_rss_bytes = 0;
};

inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string renderPrometheus(const StatsAggregator& aggregator, const PrometheusInfo& info);

// Escapes a label value: backslash, double quote and newline.
std::string escapeLabelValue(std::string_view value);

}  // namespace sluice::control
