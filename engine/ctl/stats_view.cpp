#include "engine/ctl/stats_view.h"

#include <fmt/format.h>

#include "engine/ctl/human_units.h"
#include "engine/ctl/json_access.h"
#include "engine/ctl/table.h"

namespace sluice::ctl {
namespace {

using Align = Table::Align;

// "2026-11-30T18:45:57.144Z" -> "18:45:57"
std::string clockTime(const nlohmann::json& snapshot) {
  const std::string t = text(snapshot, {"time"});
  const size_t tpos = t.find('T');
  return tpos == std::string::npos || t.size() < tpos + 9 ? t : t.substr(tpos + 1, 8);
}

double share(double part, double whole) {
  return whole > 0 ? part / whole : 0;
}

std::string trafficHeadline(const nlohmann::json& s) {
  const nlohmann::json& t = at(s, {"totals"});
  const double rps = number(t, {"requests_per_s"});
  std::string out = fmt::format("{} req/s ({}/min)  p50 {}  p95 {}  p99 {} ms  errors {}", formatCount(rps),
                                formatCount(rps * 60), formatMs(number(t, {"latency_ms", "p50"})),
                                formatMs(number(t, {"latency_ms", "p95"})),
                                formatMs(number(t, {"latency_ms", "p99"})), formatPercent(errorShare(s)));
  if (!at(s, {"cache", "policies"}).is_null()) {
    out += fmt::format("  cache hits {}", formatPercent(cacheHitShare(s)));
  }
  return out;
}

void routesTable(const nlohmann::json& s, std::string& out) {
  const nlohmann::json& routes = at(s, {"routes"});
  if (!routes.is_array() || routes.empty()) {
    return;
  }
  Table table({{"ROUTE"},
               {"REQ/S", Align::Right},
               {"REQUESTS", Align::Right},
               {"4XX", Align::Right},
               {"5XX", Align::Right},
               {"P50 MS", Align::Right},
               {"P95 MS", Align::Right},
               {"P99 MS", Align::Right},
               {"IN/S", Align::Right},
               {"OUT/S", Align::Right}});
  for (const auto& r : routes) {
    const double rps = number(r, {"requests_per_s"});
    table.addRow({text(r, {"name"}), formatCount(rps), formatCount(number(r, {"requests_total"})),
                  formatPercent(share(number(r, {"by_status", "4xx"}), rps)),
                  formatPercent(share(number(r, {"by_status", "5xx"}), rps)),
                  formatMs(number(r, {"latency_ms", "p50"})), formatMs(number(r, {"latency_ms", "p95"})),
                  formatMs(number(r, {"latency_ms", "p99"})),
                  formatBytes(number(r, {"bytes_in_per_s"})) + "/s",
                  formatBytes(number(r, {"bytes_out_per_s"})) + "/s"});
  }
  out += "\n" + table.render();
}

std::string serverState(const nlohmann::json& u) {
  const bool drained = boolean(u, {"drained"});
  const bool down = boolean(u, {"down"});
  if (drained && down) {
    return "drained,down";
  }
  return drained ? "drained" : down ? "down" : "up";
}

void upstreamsTable(const nlohmann::json& s, std::string& out) {
  const nlohmann::json& upstreams = at(s, {"upstreams"});
  if (!upstreams.is_array() || upstreams.empty()) {
    return;
  }
  Table table({{"UPSTREAM/SERVER"},
               {"REQ/S", Align::Right},
               {"REQUESTS", Align::Right},
               {"FAIL/S", Align::Right},
               {"FAILURES", Align::Right},
               {"STATE"}});
  for (const auto& u : upstreams) {
    table.addRow({text(u, {"name"}), formatCount(number(u, {"requests_per_s"})),
                  formatCount(number(u, {"requests_total"})), formatCount(number(u, {"failures_per_s"})),
                  formatCount(number(u, {"failures_total"})), serverState(u)});
  }
  out += "\n" + table.render();
}

void rateLimitsTable(const nlohmann::json& s, std::string& out) {
  const nlohmann::json& limits = at(s, {"rate_limits"});
  if (!limits.is_array() || limits.empty()) {
    return;
  }
  Table table({{"RATE LIMIT"},
               {"ALLOWED/S", Align::Right},
               {"LIMITED/S", Align::Right},
               {"DRY-RUN/S", Align::Right},
               {"ALLOWED", Align::Right},
               {"LIMITED", Align::Right}});
  for (const auto& r : limits) {
    table.addRow({text(r, {"name"}), formatCount(number(r, {"allowed_per_s"})),
                  formatCount(number(r, {"limited_per_s"})),
                  formatCount(number(r, {"dry_run_limited_per_s"})),
                  formatCount(number(r, {"allowed_total"})), formatCount(number(r, {"limited_total"}))});
  }
  out += "\n" + table.render();
}

void cacheTable(const nlohmann::json& s, std::string& out) {
  const nlohmann::json& cache = at(s, {"cache"});
  const nlohmann::json& policies = at(cache, {"policies"});
  if (!policies.is_array()) {
    return;
  }
  out += fmt::format("\ncache: {} entries, {} of {}\n", formatCount(number(cache, {"entries"})),
                     formatBytes(number(cache, {"bytes"})), formatBytes(number(cache, {"max_size"})));
  if (policies.empty()) {
    return;
  }
  Table table({{"CACHE POLICY"},
               {"HIT", Align::Right},
               {"HITS/S", Align::Right},
               {"STALE/S", Align::Right},
               {"MISSES/S", Align::Right}});
  for (const auto& p : policies) {
    table.addRow({text(p, {"name"}), formatPercent(number(p, {"hit_ratio"})),
                  formatCount(number(p, {"per_s", "hits"})), formatCount(number(p, {"per_s", "stale"})),
                  formatCount(number(p, {"per_s", "misses"}))});
  }
  out += table.render();
}

}  // namespace

double errorShare(const nlohmann::json& s) {
  return share(number(s, {"totals", "by_status", "5xx"}), number(s, {"totals", "requests_per_s"}));
}

double cacheHitShare(const nlohmann::json& s) {
  double hits = 0, misses = 0;
  const nlohmann::json& policies = at(s, {"cache", "policies"});
  if (policies.is_array()) {
    for (const auto& p : policies) {
      hits += number(p, {"per_s", "hits"}) + number(p, {"per_s", "stale"});
      misses += number(p, {"per_s", "misses"});
    }
  }
  return share(hits, hits + misses);
}

std::string renderSnapshot(const nlohmann::json& s) {
  std::string out = fmt::format("{}  {}\n", clockTime(s), trafficHeadline(s));
  const nlohmann::json& t = at(s, {"totals"});
  out += fmt::format("          {} connections  in {}/s  out {}/s  cpu {:.1f}%  rss {}\n",
                     formatCount(number(t, {"connections_active"})),
                     formatBytes(number(t, {"bytes_in_per_s"})), formatBytes(number(t, {"bytes_out_per_s"})),
                     number(s, {"process", "cpu_percent"}), formatBytes(number(s, {"process", "rss_bytes"})));
  routesTable(s, out);
  upstreamsTable(s, out);
  rateLimitsTable(s, out);
  cacheTable(s, out);
  return out;
}

std::string renderSnapshotLine(const nlohmann::json& s) {
  const nlohmann::json& t = at(s, {"totals"});
  std::string line =
      fmt::format("{}  {} req/s  p50 {}  p95 {}  p99 {} ms  5xx {}", clockTime(s),
                  formatCount(number(t, {"requests_per_s"})), formatMs(number(t, {"latency_ms", "p50"})),
                  formatMs(number(t, {"latency_ms", "p95"})), formatMs(number(t, {"latency_ms", "p99"})),
                  formatPercent(errorShare(s)));
  if (!at(s, {"cache", "policies"}).is_null()) {
    line += "  hit " + formatPercent(cacheHitShare(s));
  }
  line += fmt::format("  {} conns\n", formatCount(number(t, {"connections_active"})));
  return line;
}

std::string renderHistory(const nlohmann::json& snapshots) {
  Table table({{"TIME"},
               {"REQ/S", Align::Right},
               {"P50 MS", Align::Right},
               {"P95 MS", Align::Right},
               {"P99 MS", Align::Right},
               {"5XX", Align::Right},
               {"HIT", Align::Right},
               {"CONNS", Align::Right}});
  if (snapshots.is_array()) {
    for (const auto& s : snapshots) {
      const nlohmann::json& t = at(s, {"totals"});
      table.addRow({clockTime(s), formatCount(number(t, {"requests_per_s"})),
                    formatMs(number(t, {"latency_ms", "p50"})), formatMs(number(t, {"latency_ms", "p95"})),
                    formatMs(number(t, {"latency_ms", "p99"})), formatPercent(errorShare(s)),
                    at(s, {"cache", "policies"}).is_null() ? "-" : formatPercent(cacheHitShare(s)),
                    formatCount(number(t, {"connections_active"}))});
    }
  }
  return table.render();
}

}  // namespace sluice::ctl
