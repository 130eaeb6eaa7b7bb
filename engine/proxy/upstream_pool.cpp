#include "engine/proxy/upstream_pool.h"

#include <algorithm>

#include "engine/log/logger.h"
#include "engine/stats/worker_stats.h"

namespace sluice::proxy {
namespace {

std::vector<UpstreamServer> makeServers(const config::UpstreamConfig& config,
                                        const std::vector<sockaddr_storage>& addresses,
                                        stats::WorkerStats& stats) {
  std::vector<UpstreamServer> servers(config.servers.size());
  for (size_t i = 0; i < servers.size(); ++i) {
    servers[i].name = config.servers[i].text;
    servers[i].host = config.servers[i].host;
    if (i < addresses.size()) {
      servers[i].address = addresses[i];
    }
    servers[i].stats = stats.upstreamServer(config.name + "/" + servers[i].name);
  }
  return servers;
}

}  // namespace

UpstreamPool::UpstreamPool(uv_loop_t* loop, const config::UpstreamConfig& config,
                           const std::vector<sockaddr_storage>& addresses, stats::WorkerStats& stats,
                           core::Reaper& reaper, DrainBoardPtr drains, HealthBoardPtr health,
                           uint32_t worker_count, tls::ClientContextPtr tls)
    : loop_(loop),
      config_(config),
      stats_(stats),
      reaper_(reaper),
      servers_(makeServers(config, addresses, stats)),
      balancer_(config.balance, servers_),
      drains_(std::move(drains)),
      tls_(std::move(tls)),
      health_(std::move(health)) {
  const config::CircuitBreakerConfig* breaker = config_.circuit_breaker ? &*config_.circuit_breaker : nullptr;
  for (UpstreamServer& s : servers_) {
    s.breaker = CircuitBreaker(breaker);
    stats::setGauge(s.stats->breaker_open, 0);
  }
  if (config_.max_in_flight > 0) {
    const uint32_t workers = std::max<uint32_t>(worker_count, 1);
    max_in_flight_ = (config_.max_in_flight + workers - 1) / workers;
    if (config_.queue_size > 0) {
      queue_timer_ = core::Timer::create(loop_, [this] { onQueueTimer(); });
    }
  }
  if (drains_) {
    readDrained();
  }
  if (health_) {
    readHealth();
  }
}

UpstreamPool::~UpstreamPool() {
  closeIdle();
  if (queue_timer_ != nullptr) {
    queue_timer_->close();
  }
}

UpstreamServer* UpstreamPool::pick(const UpstreamServer* exclude, std::string_view hash_key) {
  syncDrained();
  return balancer_.pick(exclude, hash_key, std::chrono::steady_clock::now());
}

Unavailable UpstreamPool::unavailable() const {
  const auto now = std::chrono::steady_clock::now();
  bool drained = false;
  bool unhealthy = false;
  bool passive = false;
  std::chrono::steady_clock::duration breaker_left = std::chrono::steady_clock::duration::max();
  for (const UpstreamServer& s : servers_) {
    if (s.drained) {
      drained = true;
    } else if (s.health_down) {
      unhealthy = true;
    } else if (s.down && now < s.down_until) {
      passive = true;
    } else if (!s.breaker.admits(now)) {
      breaker_left = std::min(breaker_left, s.breaker.remaining(now));
    } else {
      return Unavailable{502, 0, "down"};  // usable: only excluded by a retry
    }
  }
  if (breaker_left != std::chrono::steady_clock::duration::max()) {
    // Whole seconds, rounded up, at least 1 (half-open with every probe slot taken: try again soon).
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(breaker_left).count();
    return Unavailable{503, static_cast<int>(std::max<int64_t>(1, (ms + 999) / 1000)), "breaker_open"};
  }
  if (unhealthy) {
    return Unavailable{503, 0, "unhealthy"};
  }
  if (drained) {
    return Unavailable{503, 0, "drained"};
  }
  (void)passive;
  return Unavailable{502, 0, "down"};
}

void UpstreamPool::readHealth() {
  health_generation_ = health_->generation();
  for (UpstreamServer& s : servers_) {
    s.health_down = health_->get(config_.name, s.name) == HealthState::Down;
  }
}

UpstreamPool::Admission UpstreamPool::admit(PoolWaiter* waiter) {
  if (max_in_flight_ == 0 || in_flight_ < max_in_flight_) {
    ++in_flight_;
    return Admission::Admitted;
  }
  if (queue_timer_ == nullptr || queue_.size() >= config_.queue_size) {
    stats::bump(stats_.node().upstream_queue_full);
    return Admission::Full;
  }
  stats::bump(stats_.node().upstream_queued);
  queue_.push_back(Waiting{waiter, std::chrono::steady_clock::now() + config_.queue_timeout});
  if (queue_.size() == 1) {
    armQueueTimer();
  }
  return Admission::Queued;
}

void UpstreamPool::leave() {
  if (max_in_flight_ == 0) {
    return;
  }
  if (in_flight_ > 0) {
    --in_flight_;
  }
  if (!queue_.empty() && in_flight_ < max_in_flight_) {
    // The slot goes to the oldest waiter, told on the next loop tick (not from inside the caller).
    ++in_flight_;
    ready_.push_back(queue_.front().waiter);
    queue_.pop_front();
    queue_timer_->start(0);
  }
}

void UpstreamPool::cancel(PoolWaiter* waiter) {
  auto it = std::find_if(queue_.begin(), queue_.end(), [waiter](const Waiting& w) { return w.waiter == waiter; });
  if (it != queue_.end()) {
    queue_.erase(it);
    return;
  }
  auto r = std::find(ready_.begin(), ready_.end(), waiter);
  if (r != ready_.end()) {
    ready_.erase(r);
    leave();  // its reserved slot goes to the next waiter
  }
}

void UpstreamPool::armQueueTimer() {
  if (queue_.empty()) {
    return;
  }
  const auto left = queue_.front().deadline - std::chrono::steady_clock::now();
  const auto ms = std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1);
  queue_timer_->start(static_cast<uint64_t>(ms));
}

void UpstreamPool::onQueueTimer() {
  std::vector<PoolWaiter*> ready = std::move(ready_);
  ready_.clear();
  const auto now = std::chrono::steady_clock::now();
  std::vector<PoolWaiter*> expired;
  while (!queue_.empty() && queue_.front().deadline <= now) {
    expired.push_back(queue_.front().waiter);
    queue_.pop_front();
  }
  armQueueTimer();
  // Each callback may end its request (leave() or cancel() re-enter this pool): lists are local.
  for (PoolWaiter* w : ready) {
    w->onAdmitted();
  }
  for (PoolWaiter* w : expired) {
    stats::bump(stats_.node().upstream_queue_timeout);
    w->onQueueTimeout();
  }
}

void UpstreamPool::readDrained() {
  // Read the generation first: a change landing while we read moves it again, and the next pick
  // reads once more.
  drain_generation_ = drains_->generation();
  for (UpstreamServer& s : servers_) {
    const bool drained = drains_->drained(config_.name, s.name);
    if (drained == s.drained) {
      continue;
    }
    s.drained = drained;
    if (drained) {
      for (UpstreamConnection* c : s.idle) {
        destroy(c);
      }
      s.idle.clear();
    }
  }
}

UpstreamConnection* UpstreamPool::takeIdle(UpstreamServer* server) {
  while (!server->idle.empty()) {
    UpstreamConnection* c = server->idle.back();
    server->idle.pop_back();
    if (!c->closed()) {
      stats::bump(stats_.node().upstream_connections_reused);
      return c;
    }
    destroy(c);
  }
  return nullptr;
}

UpstreamConnection* UpstreamPool::connect(UpstreamServer* server, UpstreamListener* listener,
                                          std::optional<config::Duration> timeout) {
  auto* c = new UpstreamConnection(loop_, server);
  if (tls_) {
    c->useTls(tls_, server->host);
  }
  stats::bump(stats_.node().upstream_connections_opened);
  c->connect(server->sockaddrPtr(), static_cast<uint64_t>(timeout.value_or(config_.connect_timeout).count()),
             listener);
  return c;
}

void UpstreamPool::requestStarted(UpstreamServer* server) {
  ++server->active;
  server->peak_active = std::max(server->peak_active, server->active);
  stats::setGauge(server->stats->in_flight, server->active);
}

void UpstreamPool::requestEnded(UpstreamServer* server) {
  if (server->active > 0) {
    --server->active;
  }
  stats::setGauge(server->stats->in_flight, server->active);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_decay_ >= kPeakDecay) {
    last_decay_ = now;
    for (UpstreamServer& s : servers_) {
      s.peak_active = std::max(s.active, s.peak_active / 2);
    }
  }
}

void UpstreamPool::release(UpstreamConnection* connection, bool reusable) {
  UpstreamServer* server = connection->server();
  // keepalive: 0 turns reuse off; otherwise it is the floor, raised to the recent peak in flight.
  const size_t cap = config_.keepalive == 0
                         ? 0
                         : std::min(std::max(config_.keepalive, server->peak_active), kMaxIdlePerServer);
  if (!reusable || connection->closed() || server->drained || server->idle.size() >= cap) {
    destroy(connection);
    return;
  }
  connection->park(kIdleTimeoutMs, &UpstreamPool::onIdleEnd, this);
  server->idle.push_back(connection);
}

void UpstreamPool::onIdleEnd(void* context, UpstreamConnection* connection) {
  auto* self = static_cast<UpstreamPool*>(context);
  std::vector<UpstreamConnection*>& idle = connection->server()->idle;
  auto it = std::find(idle.begin(), idle.end(), connection);
  if (it != idle.end()) {
    idle.erase(it);
  }
  self->destroy(connection);
}

void UpstreamPool::destroy(UpstreamConnection* connection) {
  connection->close();
  reaper_.retire(std::unique_ptr<UpstreamConnection>(connection));
}

void UpstreamPool::reportSuccess(UpstreamServer* server) {
  server->consecutive_failures = 0;
  if (server->down) {
    server->down = false;
    stats::setGauge(server->stats->marked_down, 0);
    log::info("upstream {}: server {} is back", config_.name, server->name);
  }
}

void UpstreamPool::reportFailure(UpstreamServer* server, std::string_view reason) {
  stats::bump(server->stats->failures);
  ++server->consecutive_failures;
  if (server->consecutive_failures >= config_.max_fails) {
    const bool was_down = server->down;
    server->down = true;
    server->down_until = std::chrono::steady_clock::now() + config_.fail_timeout;
    stats::setGauge(server->stats->marked_down, 1);
    if (!was_down) {
      log::warn("upstream {}: server {} marked down for {} ms after {} failures (last: {})", config_.name,
                server->name, config_.fail_timeout.count(), server->consecutive_failures, reason);
    }
  }
}

void UpstreamPool::breakerSend(UpstreamServer* server, bool& probe) {
  noteBreakerChange(server, server->breaker.onSend(std::chrono::steady_clock::now(), probe));
}

void UpstreamPool::breakerResult(UpstreamServer* server, bool success, bool probe) {
  const auto now = std::chrono::steady_clock::now();
  noteBreakerChange(server, success ? server->breaker.onSuccess(now, probe) : server->breaker.onFailure(now, probe));
}

void UpstreamPool::noteBreakerChange(UpstreamServer* server, CircuitBreaker::Change change) {
  switch (change) {
    case CircuitBreaker::Change::None:
      return;
    case CircuitBreaker::Change::Opened:
      stats::bump(stats_.node().breaker_opened);
      stats::setGauge(server->stats->breaker_open, 1);
      log::warn("upstream {}: server {} circuit breaker opened for {} ms", config_.name, server->name,
                config_.circuit_breaker->cool_down.count());
      return;
    case CircuitBreaker::Change::HalfOpened:
      stats::bump(stats_.node().breaker_half_opened);
      log::info("upstream {}: server {} circuit breaker half-open ({} probes)", config_.name, server->name,
                config_.circuit_breaker->half_open_requests);
      return;
    case CircuitBreaker::Change::Closed:
      stats::bump(stats_.node().breaker_closed);
      stats::setGauge(server->stats->breaker_open, 0);
      log::info("upstream {}: server {} circuit breaker closed", config_.name, server->name);
      return;
  }
}

void UpstreamPool::closeIdle() {
  for (UpstreamServer& s : servers_) {
    for (UpstreamConnection* c : s.idle) {
      destroy(c);
    }
    s.idle.clear();
  }
}

}  // namespace sluice::proxy
