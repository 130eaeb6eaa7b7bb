#include "engine/control/stats_aggregator.h"

#include <algorithm>
#include <array>
#include <utility>

namespace sluice::control {
namespace {

uint64_t since(uint64_t now, uint64_t before) {
  return now >= before ? now - before : 0;
}

double rate(uint64_t now, uint64_t before, double interval_s) {
  return static_cast<double>(since(now, before)) / interval_s;
}

void summarize(const stats::HistogramSnapshot& h, LatencySummary& out) {
  static constexpr std::array<double, 5> kQuantiles = {0.5, 0.9, 0.95, 0.99, 0.999};
  std::array<double, 5> us{};
  h.quantiles(kQuantiles, us);
  out.p50_ms = us[0] / 1000.0;
  out.p90_ms = us[1] / 1000.0;
  out.p95_ms = us[2] / 1000.0;
  out.p99_ms = us[3] / 1000.0;
  out.p999_ms = us[4] / 1000.0;
  out.mean_ms = h.mean() / 1000.0;
  out.samples = h.count;
}

}  // namespace

StatsAggregator::StatsAggregator(std::vector<const stats::WorkerStats*> workers, size_t history_capacity)
    : workers_(std::move(workers)),
      indexes_(workers_.size()),
      history_capacity_(std::max<size_t>(history_capacity, 1)) {}

void StatsAggregator::tick(std::chrono::system_clock::time_point now, const CacheStoreStats& cache_store,
                           const ProcessStats& process) {
  double interval_s = 1.0;
  if (last_tick_ && now > *last_tick_) {
    interval_s = std::chrono::duration<double>(now - *last_tick_).count();
  }
  last_tick_ = now;

  std::swap(current_, previous_);
  collect();

  StatsSnapshot next;
  if (history_.size() >= history_capacity_) {
    next = std::move(history_.front());  // recycles its vectors and strings
    history_.pop_front();
  }
  next.time = now;
  next.interval_s = interval_s;
  next.routes.resize(current_.routes.size());
  node_delta_.clear();
  for (size_t i = 0; i < current_.routes.size(); ++i) {
    fillRoute(i, interval_s, next.routes[i]);
    node_delta_.merge(delta_);
  }
  fillNode(interval_s, next.totals);
  fillUpstreams(interval_s, next.upstreams);
  fillCachePolicies(interval_s, next.cache_policies);
  next.cache_store = cache_store;
  fillRateLimits(interval_s, next.rate_limits);
  next.rate_limit_table = current_.rate_limit_table;
  next.tls_ciphers = current_.tls_ciphers;
  fillListeners(interval_s, next.listeners);
  fillProcess(process, interval_s, next.process);
  history_.push_back(std::move(next));
}

void StatsAggregator::fillProcess(const ProcessStats& process, double interval_s, ProcessSnapshot& out) {
  out.rss_bytes = process.rss_bytes;
  out.cpu_seconds_total = process.cpu_seconds;
  out.cpu_percent = 0;
  if (last_cpu_seconds_ && process.cpu_seconds >= *last_cpu_seconds_) {
    out.cpu_percent = (process.cpu_seconds - *last_cpu_seconds_) / interval_s * 100.0;
  }
  last_cpu_seconds_ = process.cpu_seconds;
}

void StatsAggregator::collect() {
  for (auto& r : current_.routes) {
    r.requests.fill(0);
    r.bytes_in = 0;
    r.bytes_out = 0;
    r.latency.clear();
  }
  current_.node.fill(0);
  for (auto& u : current_.upstreams) {
    u.requests = 0;
    u.failures = 0;
    u.down_workers = 0;
    u.breaker_open_workers = 0;
    u.in_flight = 0;
  }
  for (auto& c : current_.cache_policies) {
    c.counters.fill(0);
  }
  for (auto& t : current_.tls_ciphers) {
    t.handshakes = 0;
    t.resumed = 0;
  }
  for (auto& l : current_.listeners) {
    l.connections_active = 0;
    l.refused = 0;
  }
  for (auto& r : current_.rate_limits) {
    const std::string name = std::move(r.name);
    r = RateLimitTotals{};
    r.name = name;
  }
  for (size_t w = 0; w < workers_.size(); ++w) {
    collectWorker(*workers_[w], indexes_[w]);
    collectRateLimits(*workers_[w], indexes_[w]);
    collectTlsCiphers(*workers_[w], indexes_[w]);
    collectListeners(*workers_[w], indexes_[w]);
  }
  if (table_source_) {
    current_.rate_limit_table = table_source_();
  }
  for (auto& u : current_.upstreams) {
    // "upstream/host:port"; views into the name, so the tick still allocates nothing.
    const std::string_view name = u.name;
    const size_t slash = name.find('/');
    u.drained = drained_source_ && slash != std::string_view::npos &&
                drained_source_(name.substr(0, slash), name.substr(slash + 1));
    u.health = health_source_ && slash != std::string_view::npos
                   ? health_source_(name.substr(0, slash), name.substr(slash + 1))
                   : std::string_view("unchecked");
  }
}

void StatsAggregator::collectRateLimits(const stats::WorkerStats& worker, WorkerIndex& index) {
  const size_t policies = worker.rateLimitCount();
  while (index.rate_limits.size() < policies) {
    index.rate_limits.push_back(rateLimitSlot(worker.rateLimitAt(index.rate_limits.size()).name));
  }
  for (size_t i = 0; i < policies; ++i) {
    const stats::RateLimitStats& from = worker.rateLimitAt(i);
    RateLimitTotals& to = current_.rate_limits[index.rate_limits[i]];
    to.allowed += stats::read(from.allowed);
    to.limited += stats::read(from.limited);
    to.dry_run_limited += stats::read(from.dry_run_limited);
    to.in_flight_limited += stats::read(from.in_flight_limited);
    to.missing_key += stats::read(from.missing_key);
  }
}

size_t StatsAggregator::rateLimitSlot(const std::string& name) {
  auto [it, inserted] = rate_limit_slots_.try_emplace(name, current_.rate_limits.size());
  if (inserted) {
    current_.rate_limits.emplace_back().name = name;
    previous_.rate_limits.emplace_back().name = name;
  }
  return it->second;
}

void StatsAggregator::collectTlsCiphers(const stats::WorkerStats& worker, WorkerIndex& index) {
  const size_t pairs = worker.tlsCipherCount();
  while (index.tls_ciphers.size() < pairs) {
    index.tls_ciphers.push_back(tlsCipherSlot(worker.tlsCipherAt(index.tls_ciphers.size())));
  }
  for (size_t i = 0; i < pairs; ++i) {
    const stats::TlsCipherStats& from = worker.tlsCipherAt(i);
    TlsCipherTotals& to = current_.tls_ciphers[index.tls_ciphers[i]];
    to.handshakes += stats::read(from.handshakes);
    to.resumed += stats::read(from.resumed);
  }
}

size_t StatsAggregator::tlsCipherSlot(const stats::TlsCipherStats& stats) {
  auto [it, inserted] = tls_cipher_slots_.try_emplace(stats.name, current_.tls_ciphers.size());
  if (inserted) {
    // Both sides of the current/previous swap get the slot, as for every other table here.
    for (CumulativeStats* side : {&current_, &previous_}) {
      TlsCipherTotals& t = side->tls_ciphers.emplace_back();
      t.version = stats.version();
      t.cipher = stats.cipher();
    }
  }
  return it->second;
}

void StatsAggregator::collectListeners(const stats::WorkerStats& worker, WorkerIndex& index) {
  const size_t listeners = worker.listenerCount();
  while (index.listeners.size() < listeners) {
    index.listeners.push_back(listenerSlot(worker.listenerAt(index.listeners.size()).name));
  }
  for (size_t i = 0; i < listeners; ++i) {
    const stats::ListenerStats& from = worker.listenerAt(i);
    ListenerTotals& to = current_.listeners[index.listeners[i]];
    to.connections_active += stats::read(from.connections_active);
    to.refused += stats::read(from.refused);
  }
}

size_t StatsAggregator::listenerSlot(const std::string& name) {
  auto [it, inserted] = listener_slots_.try_emplace(name, current_.listeners.size());
  if (inserted) {
    current_.listeners.emplace_back().name = name;
    previous_.listeners.emplace_back().name = name;
  }
  return it->second;
}

void StatsAggregator::fillListeners(double interval_s, std::vector<ListenerSnapshot>& out) const {
  out.resize(current_.listeners.size());
  for (size_t i = 0; i < current_.listeners.size(); ++i) {
    out[i].totals = current_.listeners[i];
    out[i].refused_per_s = rate(current_.listeners[i].refused, previous_.listeners[i].refused, interval_s);
  }
}

void StatsAggregator::fillRateLimits(double interval_s, std::vector<RateLimitSnapshot>& out) const {
  out.resize(current_.rate_limits.size());
  for (size_t i = 0; i < current_.rate_limits.size(); ++i) {
    const RateLimitTotals& now = current_.rate_limits[i];
    const RateLimitTotals& before = previous_.rate_limits[i];
    RateLimitSnapshot& r = out[i];
    r.totals = now;
    r.allowed_per_s = rate(now.allowed, before.allowed, interval_s);
    r.limited_per_s = rate(now.limited + now.in_flight_limited + now.missing_key,
                           before.limited + before.in_flight_limited + before.missing_key, interval_s);
    r.dry_run_limited_per_s = rate(now.dry_run_limited, before.dry_run_limited, interval_s);
  }
}

void StatsAggregator::collectWorker(const stats::WorkerStats& worker, WorkerIndex& index) {
  const size_t routes = worker.routeCount();
  while (index.routes.size() < routes) {
    index.routes.push_back(routeSlot(worker.routeAt(index.routes.size()).name));
  }
  for (size_t i = 0; i < routes; ++i) {
    const stats::RouteStats& from = worker.routeAt(i);
    RouteTotals& to = current_.routes[index.routes[i]];
    for (size_t c = 0; c < stats::kStatusClassCount; ++c) {
      to.requests[c] += stats::read(from.requests[c]);
    }
    to.bytes_in += stats::read(from.bytes_in);
    to.bytes_out += stats::read(from.bytes_out);
    from.latency.addTo(to.latency);
  }

  const size_t servers = worker.upstreamServerCount();
  while (index.upstreams.size() < servers) {
    index.upstreams.push_back(upstreamSlot(worker.upstreamServerAt(index.upstreams.size()).name));
  }
  for (size_t i = 0; i < servers; ++i) {
    const stats::UpstreamServerStats& from = worker.upstreamServerAt(i);
    UpstreamServerTotals& to = current_.upstreams[index.upstreams[i]];
    to.requests += stats::read(from.requests);
    to.failures += stats::read(from.failures);
    to.down_workers += stats::read(from.marked_down) != 0 ? 1 : 0;
    to.breaker_open_workers += stats::read(from.breaker_open) != 0 ? 1 : 0;
    to.in_flight += stats::read(from.in_flight);
  }

  const size_t policies = worker.cachePolicyCount();
  while (index.cache_policies.size() < policies) {
    index.cache_policies.push_back(cachePolicySlot(worker.cachePolicyAt(index.cache_policies.size()).name));
  }
  for (size_t i = 0; i < policies; ++i) {
    const stats::CachePolicyStats& from = worker.cachePolicyAt(i);
    CachePolicyTotals& to = current_.cache_policies[index.cache_policies[i]];
    for (size_t c = 0; c < stats::kCacheCounterCount; ++c) {
      to.counters[c] += stats::read(from.counters[c]);
    }
  }

  for (size_t k = 0; k < stats::kNodeCounterCount; ++k) {
    current_.node[k] += stats::read(worker.node().*stats::kNodeCounters[k].member);
  }
}

size_t StatsAggregator::routeSlot(const std::string& name) {
  auto [it, inserted] = route_slots_.try_emplace(name, current_.routes.size());
  if (inserted) {
    // Both sides get the slot, so a new route's first interval counts everything it has so far.
    current_.routes.emplace_back().name = name;
    previous_.routes.emplace_back().name = name;
  }
  return it->second;
}

size_t StatsAggregator::upstreamSlot(const std::string& name) {
  auto [it, inserted] = upstream_slots_.try_emplace(name, current_.upstreams.size());
  if (inserted) {
    current_.upstreams.emplace_back().name = name;
    previous_.upstreams.emplace_back().name = name;
  }
  return it->second;
}

size_t StatsAggregator::cachePolicySlot(const std::string& name) {
  auto [it, inserted] = cache_policy_slots_.try_emplace(name, current_.cache_policies.size());
  if (inserted) {
    current_.cache_policies.emplace_back().name = name;
    previous_.cache_policies.emplace_back().name = name;
  }
  return it->second;
}

void StatsAggregator::fillRoute(size_t i, double interval_s, RouteSnapshot& out) {
  const RouteTotals& now = current_.routes[i];
  const RouteTotals& before = previous_.routes[i];
  out.name = now.name;
  TrafficSnapshot& t = out.traffic;
  t.requests_total = 0;
  t.requests_per_s = 0;
  for (size_t c = 0; c < stats::kStatusClassCount; ++c) {
    t.total_by_status[c] = now.requests[c];
    t.per_s_by_status[c] = rate(now.requests[c], before.requests[c], interval_s);
    t.requests_total += now.requests[c];
    t.requests_per_s += t.per_s_by_status[c];
  }
  t.bytes_in_total = now.bytes_in;
  t.bytes_out_total = now.bytes_out;
  t.bytes_in_per_s = rate(now.bytes_in, before.bytes_in, interval_s);
  t.bytes_out_per_s = rate(now.bytes_out, before.bytes_out, interval_s);
  delta_ = now.latency;  // same size: no reallocation
  delta_.subtract(before.latency);
  summarize(delta_, t.latency);
}

void StatsAggregator::fillNode(double interval_s, NodeSnapshot& out) {
  TrafficSnapshot& t = out.traffic;
  t = TrafficSnapshot{};
  for (size_t i = 0; i < current_.routes.size(); ++i) {
    const RouteTotals& now = current_.routes[i];
    const RouteTotals& before = previous_.routes[i];
    for (size_t c = 0; c < stats::kStatusClassCount; ++c) {
      t.total_by_status[c] += now.requests[c];
      t.per_s_by_status[c] += rate(now.requests[c], before.requests[c], interval_s);
    }
    t.bytes_in_total += now.bytes_in;
    t.bytes_out_total += now.bytes_out;
    t.bytes_in_per_s += rate(now.bytes_in, before.bytes_in, interval_s);
    t.bytes_out_per_s += rate(now.bytes_out, before.bytes_out, interval_s);
  }
  for (size_t c = 0; c < stats::kStatusClassCount; ++c) {
    t.requests_total += t.total_by_status[c];
    t.requests_per_s += t.per_s_by_status[c];
  }
  summarize(node_delta_, t.latency);

  for (size_t k = 0; k < stats::kNodeCounterCount; ++k) {
    out.counters[k] = current_.node[k];
    out.counters_per_s[k] =
        stats::kNodeCounters[k].gauge ? 0.0 : rate(current_.node[k], previous_.node[k], interval_s);
  }
  static constexpr size_t kActive = stats::nodeCounterIndex(&stats::NodeCounters::connections_active);
  out.connections_active = current_.node[kActive];
}

void StatsAggregator::fillUpstreams(double interval_s, std::vector<UpstreamServerSnapshot>& out) const {
  out.resize(current_.upstreams.size());
  for (size_t i = 0; i < current_.upstreams.size(); ++i) {
    const UpstreamServerTotals& now = current_.upstreams[i];
    const UpstreamServerTotals& before = previous_.upstreams[i];
    UpstreamServerSnapshot& u = out[i];
    u.name = now.name;
    u.requests_total = now.requests;
    u.requests_per_s = rate(now.requests, before.requests, interval_s);
    u.failures_total = now.failures;
    u.failures_per_s = rate(now.failures, before.failures, interval_s);
    u.down_workers = now.down_workers;
    u.down = now.down_workers > 0;
    u.drained = now.drained;
    u.breaker_open_workers = now.breaker_open_workers;
    u.in_flight = now.in_flight;
    u.health = now.health;
  }
}

void StatsAggregator::fillCachePolicies(double interval_s, std::vector<CachePolicySnapshot>& out) const {
  out.resize(current_.cache_policies.size());
  constexpr size_t kHits = static_cast<size_t>(stats::CacheCounter::Hits);
  constexpr size_t kStale = static_cast<size_t>(stats::CacheCounter::Stale);
  constexpr size_t kMisses = static_cast<size_t>(stats::CacheCounter::Misses);
  for (size_t i = 0; i < current_.cache_policies.size(); ++i) {
    const CachePolicyTotals& now = current_.cache_policies[i];
    const CachePolicyTotals& before = previous_.cache_policies[i];
    CachePolicySnapshot& p = out[i];
    p.name = now.name;
    for (size_t c = 0; c < stats::kCacheCounterCount; ++c) {
      p.totals[c] = now.counters[c];
      p.per_s[c] = rate(now.counters[c], before.counters[c], interval_s);
    }
    const double served = p.per_s[kHits] + p.per_s[kStale];
    const double all = served + p.per_s[kMisses];
    p.hit_ratio = all > 0 ? served / all : 0.0;
  }
}

}  // namespace sluice::control
