#include "engine/control/stats_snapshot.h"

#include <fmt/format.h>

#include <ctime>

namespace sluice::control {
namespace {

std::string rfc3339(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

nlohmann::json trafficJson(const TrafficSnapshot& t) {
  nlohmann::json by_status = nlohmann::json::object();
  nlohmann::json by_status_total = nlohmann::json::object();
  for (size_t i = 0; i < stats::kStatusClassCount; ++i) {
    const std::string key(stats::kStatusClassNames[i]);
    by_status[key] = t.per_s_by_status[i];
    by_status_total[key] = t.total_by_status[i];
  }
  return {
      {"requests_per_s", t.requests_per_s},
      {"requests_total", t.requests_total},
      {"by_status", std::move(by_status)},
      {"by_status_total", std::move(by_status_total)},
      {"bytes_in_per_s", t.bytes_in_per_s},
      {"bytes_out_per_s", t.bytes_out_per_s},
      {"bytes_in_total", t.bytes_in_total},
      {"bytes_out_total", t.bytes_out_total},
      {"latency_ms",
       {{"p50", t.latency.p50_ms},
        {"p90", t.latency.p90_ms},
        {"p95", t.latency.p95_ms},
        {"p99", t.latency.p99_ms},
        {"p999", t.latency.p999_ms},
        {"mean", t.latency.mean_ms},
        {"samples", t.latency.samples}}},
  };
}

}  // namespace

nlohmann::json toJson(const StatsSnapshot& s) {
  nlohmann::json totals = trafficJson(s.totals.traffic);
  totals["connections_active"] = s.totals.connections_active;
  nlohmann::json counters = nlohmann::json::object();
  nlohmann::json counters_per_s = nlohmann::json::object();
  for (size_t i = 0; i < stats::kNodeCounterCount; ++i) {
    const auto& info = stats::kNodeCounters[i];
    if (info.gauge) {
      continue;
    }
    const std::string key(info.name);
    counters[key] = s.totals.counters[i];
    counters_per_s[key] = s.totals.counters_per_s[i];
  }
  totals["counters"] = std::move(counters);
  totals["counters_per_s"] = std::move(counters_per_s);

  nlohmann::json routes = nlohmann::json::array();
  for (const auto& r : s.routes) {
    nlohmann::json j = trafficJson(r.traffic);
    j["name"] = r.name;
    routes.push_back(std::move(j));
  }
  nlohmann::json upstreams = nlohmann::json::array();
  for (const auto& u : s.upstreams) {
    upstreams.push_back({{"name", u.name},
                         {"requests_per_s", u.requests_per_s},
                         {"requests_total", u.requests_total},
                         {"failures_per_s", u.failures_per_s},
                         {"failures_total", u.failures_total},
                         {"down", u.down},
                         {"down_workers", u.down_workers},
                         {"drained", u.drained},
                         {"health", u.health},
                         {"breaker_open_workers", u.breaker_open_workers},
                         {"in_flight", u.in_flight}});
  }
  nlohmann::json cache = nlohmann::json::object();
  if (s.cache_store.enabled) {
    const CacheStoreStats& st = s.cache_store;
    nlohmann::json policies = nlohmann::json::array();
    for (const auto& p : s.cache_policies) {
      nlohmann::json totals_j = nlohmann::json::object();
      nlohmann::json per_s_j = nlohmann::json::object();
      for (size_t i = 0; i < stats::kCacheCounterCount; ++i) {
        const std::string key(stats::kCacheCounters[i].name);
        totals_j[key] = p.totals[i];
        per_s_j[key] = p.per_s[i];
      }
      policies.push_back({{"name", p.name}, {"totals", std::move(totals_j)}, {"per_s", std::move(per_s_j)},
                          {"hit_ratio", p.hit_ratio}});
    }
    cache = {{"entries", st.entries},     {"bytes", st.bytes},         {"max_size", st.max_size},
             {"stores", st.stores},       {"evictions", st.evictions}, {"reclaimed", st.reclaimed},
             {"purged", st.purged},       {"dropped", st.dropped},     {"write_errors", st.write_errors},
             {"flights", st.flights},     {"policies", std::move(policies)}};
  }
  nlohmann::json rate_limits = nlohmann::json::array();
  for (const auto& r : s.rate_limits) {
    rate_limits.push_back({{"name", r.totals.name},
                           {"allowed_total", r.totals.allowed},
                           {"limited_total", r.totals.limited},
                           {"dry_run_limited_total", r.totals.dry_run_limited},
                           {"in_flight_limited_total", r.totals.in_flight_limited},
                           {"missing_key_total", r.totals.missing_key},
                           {"allowed_per_s", r.allowed_per_s},
                           {"limited_per_s", r.limited_per_s},
                           {"dry_run_limited_per_s", r.dry_run_limited_per_s}});
  }
  const stats::RateLimitTableStats& t = s.rate_limit_table;
  nlohmann::json table = {{"keys", t.keys},         {"max_keys", t.max_keys},       {"slots", t.slot_count},
                          {"evictions_total", t.evictions}, {"expirations_total", t.expirations},
                          {"full_total", t.full}};
  nlohmann::json tls_ciphers = nlohmann::json::array();
  for (const TlsCipherTotals& t : s.tls_ciphers) {
    tls_ciphers.push_back({{"version", t.version},
                           {"cipher", t.cipher},
                           {"handshakes_total", t.handshakes},
                           {"resumed_total", t.resumed}});
  }
  nlohmann::json listeners = nlohmann::json::array();
  for (const ListenerSnapshot& l : s.listeners) {
    listeners.push_back({{"name", l.totals.name},
                         {"connections_active", l.totals.connections_active},
                         {"refused_total", l.totals.refused},
                         {"refused_per_s", l.refused_per_s}});
  }
  const auto unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(s.time.time_since_epoch()).count();
  return {{"time", rfc3339(s.time)},
          {"time_unix_ms", unix_ms},
          {"interval_s", s.interval_s},
          {"totals", std::move(totals)},
          {"routes", std::move(routes)},
          {"upstreams", std::move(upstreams)},
          {"rate_limits", std::move(rate_limits)},
          {"rate_limit_table", std::move(table)},
          {"cache", std::move(cache)},
          {"tls_ciphers", std::move(tls_ciphers)},
          {"listeners", std::move(listeners)},
          {"process",
           {{"cpu_percent", s.process.cpu_percent},
            {"rss_bytes", s.process.rss_bytes},
            {"cpu_seconds_total", s.process.cpu_seconds_total}}}};
}

}  // namespace sluice::control
