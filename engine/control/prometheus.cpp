#include "engine/control/prometheus.h"

#include <fmt/format.h>

#include <array>
#include <iterator>

#include "engine/control/stats_aggregator.h"
#include "engine/stats/histogram_layout.h"

namespace sluice::control {
namespace {

using Out = std::back_insert_iterator<std::string>;

// Coarse buckets exported for the duration histogram. A fine bucket counts towards `le` when its
// lower bound is <= le: a value exactly on a boundary is counted right, and a value at most one fine
// bucket (<= 0.8%) above it may be counted early.
struct CoarseBucket {
  std::string_view le;
  uint64_t micros;
};
constexpr std::array<CoarseBucket, 14> kCoarseBuckets = {{{"0.0005", 500},
                                                          {"0.001", 1000},
                                                          {"0.0025", 2500},
                                                          {"0.005", 5000},
                                                          {"0.01", 10000},
                                                          {"0.025", 25000},
                                                          {"0.05", 50000},
                                                          {"0.1", 100000},
                                                          {"0.25", 250000},
                                                          {"0.5", 500000},
                                                          {"1", 1000000},
                                                          {"2.5", 2500000},
                                                          {"5", 5000000},
                                                          {"10", 10000000}}};

void header(Out out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(out, "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void durationHistogram(Out out, const RouteTotals& route) {
  const std::string label = escapeLabelValue(route.name);
  const auto& buckets = route.latency.buckets;
  uint64_t cumulative = 0;
  size_t fine = 0;
  for (const CoarseBucket& coarse : kCoarseBuckets) {
    const size_t last = stats::histogram::bucketIndex(coarse.micros);
    for (; fine <= last; ++fine) {
      cumulative += buckets[fine];
    }
    fmt::format_to(out, "sluice_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", label,
                   coarse.le, cumulative);
  }
  fmt::format_to(out, "sluice_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label,
                 route.latency.count);
  fmt::format_to(out, "sluice_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label,
                 static_cast<double>(route.latency.sum) / 1e6);
  fmt::format_to(out, "sluice_request_duration_seconds_count{{route=\"{}\"}} {}\n", label,
                 route.latency.count);
}

void routeMetrics(Out out, const CumulativeStats& totals) {
  header(out, "sluice_requests_total", "counter",
         "Requests by route and status class (aborted: no status sent).");
  for (const RouteTotals& r : totals.routes) {
    const std::string label = escapeLabelValue(r.name);
    for (size_t c = 0; c < stats::kStatusClassCount; ++c) {
      fmt::format_to(out, "sluice_requests_total{{route=\"{}\",code=\"{}\"}} {}\n", label,
                     stats::kStatusClassNames[c], r.requests[c]);
    }
  }
  header(out, "sluice_received_bytes_total", "counter", "Request bytes received from clients, by route.");
  for (const RouteTotals& r : totals.routes) {
    fmt::format_to(out, "sluice_received_bytes_total{{route=\"{}\"}} {}\n", escapeLabelValue(r.name),
                   r.bytes_in);
  }
  header(out, "sluice_sent_bytes_total", "counter", "Response bytes sent to clients, by route.");
  for (const RouteTotals& r : totals.routes) {
    fmt::format_to(out, "sluice_sent_bytes_total{{route=\"{}\"}} {}\n", escapeLabelValue(r.name),
                   r.bytes_out);
  }
  header(out, "sluice_request_duration_seconds", "histogram",
         "Request duration from request head to response end, by route (aborted requests excluded).");
  for (const RouteTotals& r : totals.routes) {
    durationHistogram(out, r);
  }
}

void nodeMetrics(Out out, const CumulativeStats& totals) {
  std::string_view family;
  for (size_t k = 0; k < stats::kNodeCounterCount; ++k) {
    const stats::NodeCounterInfo& info = stats::kNodeCounters[k];
    if (info.family != family) {
      family = info.family;
      header(out, family, info.gauge ? "gauge" : "counter", info.help);
    }
    if (info.label.empty()) {
      fmt::format_to(out, "{} {}\n", family, totals.node[k]);
    } else {
      fmt::format_to(out, "{}{{reason=\"{}\"}} {}\n", family, info.label, totals.node[k]);
    }
  }
}

void upstreamMetrics(Out out, const CumulativeStats& totals) {
  struct Column {
    std::string_view name, type, help;
    uint64_t (*value)(const UpstreamServerTotals&);
  };
  static constexpr std::array<Column, 7> kColumns = {{
      {"sluice_upstream_requests_total", "counter", "Requests sent to an upstream server.",
       [](const UpstreamServerTotals& u) { return u.requests; }},
      {"sluice_upstream_failures_total", "counter", "Failed attempts against an upstream server.",
       [](const UpstreamServerTotals& u) { return u.failures; }},
      {"sluice_upstream_server_down", "gauge", "1 while at least one worker marks the upstream server down.",
       [](const UpstreamServerTotals& u) { return uint64_t{u.down_workers > 0 ? 1u : 0u}; }},
      {"sluice_upstream_server_drained", "gauge", "1 while an operator has the upstream server drained.",
       [](const UpstreamServerTotals& u) { return uint64_t{u.drained ? 1u : 0u}; }},
      {"sluice_upstream_server_health_down", "gauge", "1 while the server's active health check says it is down.",
       [](const UpstreamServerTotals& u) { return uint64_t{u.health == "down" ? 1u : 0u}; }},
      {"sluice_upstream_breaker_open_workers", "gauge",
       "Workers whose circuit breaker for the upstream server is open or half-open.",
       [](const UpstreamServerTotals& u) { return uint64_t{u.breaker_open_workers}; }},
      {"sluice_upstream_in_flight", "gauge", "Requests in flight to the upstream server.",
       [](const UpstreamServerTotals& u) { return u.in_flight; }},
  }};
  for (const Column& column : kColumns) {
    header(out, column.name, column.type, column.help);
    for (const UpstreamServerTotals& u : totals.upstreams) {
      // "upstream/host:port" becomes two labels.
      const std::string_view name = u.name;
      const size_t slash = name.find('/');
      const std::string_view upstream = name.substr(0, slash);
      const std::string_view server = slash == std::string_view::npos ? "" : name.substr(slash + 1);
      fmt::format_to(out, "{}{{upstream=\"{}\",server=\"{}\"}} {}\n", column.name, escapeLabelValue(upstream),
                     escapeLabelValue(server), column.value(u));
    }
  }
}

void cacheMetrics(Out out, const CumulativeStats& totals, const CacheStoreStats& store) {
  if (!store.enabled) {
    return;
  }
  header(out, "sluice_cache_events_total", "counter",
         "Response cache events by policy: hits, misses, stale, revalidations, not_modified, stores, "
         "uncacheable, collapsed.");
  for (const CachePolicyTotals& p : totals.cache_policies) {
    for (size_t i = 0; i < stats::kCacheCounterCount; ++i) {
      if (static_cast<stats::CacheCounter>(i) == stats::CacheCounter::StoredBytes) {
        continue;
      }
      fmt::format_to(out, "sluice_cache_events_total{{policy=\"{}\",event=\"{}\"}} {}\n",
                     escapeLabelValue(p.name), stats::kCacheCounters[i].name, p.counters[i]);
    }
  }
  header(out, "sluice_cache_stored_bytes_total", "counter", "Bytes of the cache entries written, by policy.");
  for (const CachePolicyTotals& p : totals.cache_policies) {
    fmt::format_to(out, "sluice_cache_stored_bytes_total{{policy=\"{}\"}} {}\n", escapeLabelValue(p.name),
                   p.counters[static_cast<size_t>(stats::CacheCounter::StoredBytes)]);
  }
  struct Column {
    std::string_view name, type, help;
    uint64_t CacheStoreStats::*value;
  };
  static constexpr std::array<Column, 9> kColumns = {{
      {"sluice_cache_entries", "gauge", "Entries in the cache store.", &CacheStoreStats::entries},
      {"sluice_cache_bytes", "gauge", "Bytes accounted in the cache store.", &CacheStoreStats::bytes},
      {"sluice_cache_max_bytes", "gauge", "The cache store's size limit (cache.max_size).",
       &CacheStoreStats::max_size},
      {"sluice_cache_evictions_total", "counter", "Entries evicted to stay under the size limit.",
       &CacheStoreStats::evictions},
      {"sluice_cache_reclaimed_total", "counter", "Expired entries deleted.", &CacheStoreStats::reclaimed},
      {"sluice_cache_purged_total", "counter", "Entries removed by purges.", &CacheStoreStats::purged},
      {"sluice_cache_dropped_writes_total", "counter", "Writes dropped (queue full or entry too big).",
       &CacheStoreStats::dropped},
      {"sluice_cache_write_errors_total", "counter", "Failed store write batches.",
       &CacheStoreStats::write_errors},
      {"sluice_cache_flights", "gauge", "Origin fetches in flight that other misses may wait for.",
       &CacheStoreStats::flights},
  }};
  for (const Column& c : kColumns) {
    header(out, c.name, c.type, c.help);
    fmt::format_to(out, "{} {}\n", c.name, store.*c.value);
  }
}

void rateLimitMetrics(Out out, const CumulativeStats& totals) {
  header(out, "sluice_rate_limit_decisions_total", "counter",
         "Rate-limit decisions by policy and result (allowed, limited, in_flight_limited, missing_key, "
         "dry_run_limited: would have been refused, let through).");
  for (const RateLimitTotals& r : totals.rate_limits) {
    const std::string label = escapeLabelValue(r.name);
    const std::pair<std::string_view, uint64_t> results[] = {{"allowed", r.allowed},
                                                             {"limited", r.limited},
                                                             {"in_flight_limited", r.in_flight_limited},
                                                             {"missing_key", r.missing_key},
                                                             {"dry_run_limited", r.dry_run_limited}};
    for (const auto& [result, value] : results) {
      fmt::format_to(out, "sluice_rate_limit_decisions_total{{policy=\"{}\",result=\"{}\"}} {}\n", label,
                     result, value);
    }
  }
  const stats::RateLimitTableStats& t = totals.rate_limit_table;
  header(out, "sluice_rate_limit_keys", "gauge", "Keys held in the node's rate-limit table.");
  fmt::format_to(out, "sluice_rate_limit_keys {}\n", t.keys);
  header(out, "sluice_rate_limit_max_keys", "gauge",
         "The rate-limit table's key capacity (rate_limit_table.max_keys).");
  fmt::format_to(out, "sluice_rate_limit_max_keys {}\n", t.max_keys);
  header(out, "sluice_rate_limit_evictions_total", "counter",
         "Least recently used rate-limit keys dropped to make room at max_keys.");
  fmt::format_to(out, "sluice_rate_limit_evictions_total {}\n", t.evictions);
  header(out, "sluice_rate_limit_expirations_total", "counter", "Idle rate-limit keys dropped.");
  fmt::format_to(out, "sluice_rate_limit_expirations_total {}\n", t.expirations);
  header(out, "sluice_rate_limit_table_full_total", "counter",
         "Requests not limited because the table held only keys with requests in flight.");
  fmt::format_to(out, "sluice_rate_limit_table_full_total {}\n", t.full);
}

void tlsCipherMetrics(Out out, const CumulativeStats& totals) {
  header(out, "sluice_tls_cipher_handshakes_total", "counter",
         "Completed TLS handshakes by protocol version and cipher.");
  for (const TlsCipherTotals& t : totals.tls_ciphers) {
    fmt::format_to(out, "sluice_tls_cipher_handshakes_total{{version=\"{}\",cipher=\"{}\"}} {}\n",
                   escapeLabelValue(t.version), escapeLabelValue(t.cipher), t.handshakes);
  }
  header(out, "sluice_tls_cipher_resumed_handshakes_total", "counter",
         "Resumed TLS handshakes by protocol version and cipher.");
  for (const TlsCipherTotals& t : totals.tls_ciphers) {
    fmt::format_to(out, "sluice_tls_cipher_resumed_handshakes_total{{version=\"{}\",cipher=\"{}\"}} {}\n",
                   escapeLabelValue(t.version), escapeLabelValue(t.cipher), t.resumed);
  }
}

void listenerMetrics(Out out, const CumulativeStats& totals) {
  header(out, "sluice_listener_connections_active", "gauge", "Client connections open, by listener.");
  for (const ListenerTotals& l : totals.listeners) {
    fmt::format_to(out, "sluice_listener_connections_active{{listener=\"{}\"}} {}\n",
                   escapeLabelValue(l.name), l.connections_active);
  }
  header(out, "sluice_listener_connections_refused_total", "counter",
         "Client connections refused because their listener had max_connections open.");
  for (const ListenerTotals& l : totals.listeners) {
    fmt::format_to(out, "sluice_listener_connections_refused_total{{listener=\"{}\"}} {}\n",
                   escapeLabelValue(l.name), l.refused);
  }
}

}  // namespace

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
        break;
    }
  }
  return out;
}

std::string renderPrometheus(const StatsAggregator& aggregator, const PrometheusInfo& info) {
  std::string text;
  text.reserve(16384);
  Out out(text);
  header(out, "sluice_build_info", "gauge", "Always 1; labels describe the running node.");
  fmt::format_to(out, "sluice_build_info{{version=\"{}\",node=\"{}\"}} 1\n", escapeLabelValue(info.version),
                 escapeLabelValue(info.node_name));
  header(out, "sluice_config_version", "gauge", "Version of the configuration in effect.");
  fmt::format_to(out, "sluice_config_version {}\n", info.config_version);
  header(out, "sluice_uptime_seconds", "gauge", "Seconds since the node started.");
  fmt::format_to(out, "sluice_uptime_seconds {}\n", info.uptime_seconds);
  header(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
  fmt::format_to(out, "process_cpu_seconds_total {}\n", info.process_cpu_seconds);
  header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  fmt::format_to(out, "process_resident_memory_bytes {}\n", info.process_rss_bytes);

  const CumulativeStats& totals = aggregator.totals();
  routeMetrics(out, totals);
  nodeMetrics(out, totals);
  upstreamMetrics(out, totals);
  cacheMetrics(out, totals, aggregator.latest().cache_store);
  rateLimitMetrics(out, totals);
  tlsCipherMetrics(out, totals);
  listenerMetrics(out, totals);
  return text;
}

}  // namespace sluice::control
