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
                           core::Reaper& reaper, DrainBoardPtr drains, tls::ClientContextPtr tls)
    : loop_(loop),
      config_(config),
      stats_(stats),
      reaper_(reaper),
      servers_(makeServers(config, addresses, stats)),
      balancer_(config.balance, servers_),
      drains_(std::move(drains)),
      tls_(std::move(tls)) {
  if (drains_) {
    readDrained();
  }
}

UpstreamPool::~UpstreamPool() {
  closeIdle();
}

UpstreamServer* UpstreamPool::pick(const UpstreamServer* exclude, std::string_view hash_key) {
  syncDrained();
  return balancer_.pick(exclude, hash_key, std::chrono::steady_clock::now());
}

bool UpstreamPool::unavailableByDrain() const {
  const auto now = std::chrono::steady_clock::now();
  bool any_drained = false;
  for (const UpstreamServer& s : servers_) {
    if (s.drained) {
      any_drained = true;
    } else if (!s.down || now >= s.down_until) {
      return false;
    }
  }
  return any_drained;
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

UpstreamConnection* UpstreamPool::connect(UpstreamServer* server, UpstreamListener* listener) {
  auto* c = new UpstreamConnection(loop_, server);
  if (tls_) {
    c->useTls(tls_, server->host);
  }
  stats::bump(stats_.node().upstream_connections_opened);
  c->connect(server->sockaddrPtr(), static_cast<uint64_t>(config_.connect_timeout.count()), listener);
  return c;
}

void UpstreamPool::requestStarted(UpstreamServer* server) {
  ++server->active;
  server->peak_active = std::max(server->peak_active, server->active);
}

void UpstreamPool::requestEnded(UpstreamServer* server) {
  if (server->active > 0) {
    --server->active;
  }
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

void UpstreamPool::closeIdle() {
  for (UpstreamServer& s : servers_) {
    for (UpstreamConnection* c : s.idle) {
      destroy(c);
    }
    s.idle.clear();
  }
}

}  // namespace sluice::proxy
