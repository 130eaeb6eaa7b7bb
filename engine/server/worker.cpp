#include "engine/server/worker.h"

#include <unistd.h>

#include "engine/filters/rate_limit/in_flight.h"
#include "engine/filters/rate_limit/limiter_clock.h"
#include "engine/log/logger.h"
#include "engine/proxy/proxy_handler.h"
#include "engine/server/fixed_response_handler.h"
#include "engine/tls/tls_transport.h"

namespace sluice::server {
namespace {

constexpr uint64_t kAccessLogFlushMs = 100;

ConnectionSettings settingsFrom(const config::LimitsConfig& l) {
  ConnectionSettings s;
  s.parser.max_header_size = l.max_header_size;
  s.parser.max_uri_size = l.max_uri_size;
  s.parser.max_headers = l.max_headers;
  s.header_timeout_ms = static_cast<uint64_t>(l.header_timeout.count());
  s.body_timeout_ms = static_cast<uint64_t>(l.body_timeout.count());
  s.idle_timeout_ms = static_cast<uint64_t>(l.idle_timeout.count());
  s.send_timeout_ms = static_cast<uint64_t>(l.send_timeout.count());
  s.min_request_rate = l.min_request_rate;
  s.min_rate_grace_ms = static_cast<uint64_t>(l.min_rate_grace.count());
  s.max_requests = l.max_requests_per_connection;
  return s;
}

// A node-wide connection limit split evenly across the workers, rounded up (0 stays 0: no limit).
uint32_t workerShare(uint32_t limit, uint32_t workers) {
  return static_cast<uint32_t>((uint64_t{limit} + workers - 1) / workers);
}

bool sameAddresses(const std::vector<sockaddr_storage>& a, const std::vector<sockaddr_storage>& b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(sockaddr_storage)) != 0) {
      return false;
    }
  }
  return true;
}

// A pool survives a reload (keeping its connections and health state) when nothing about its
// upstream changed.
bool sameUpstream(const config::UpstreamConfig& a, const config::UpstreamConfig& b) {
  if (a.servers.size() != b.servers.size()) {
    return false;
  }
  for (size_t i = 0; i < a.servers.size(); ++i) {
    if (a.servers[i].text != b.servers[i].text) {
      return false;
    }
  }
  const bool same_tls =
      a.tls.has_value() == b.tls.has_value() &&
      (!a.tls || (a.tls->verify == b.tls->verify && a.tls->ca == b.tls->ca && a.tls->sni == b.tls->sni));
  return a.balance == b.balance && a.keepalive == b.keepalive && a.connect_timeout == b.connect_timeout &&
         a.response_timeout == b.response_timeout && a.max_fails == b.max_fails && a.fail_timeout == b.fail_timeout &&
         a.health_check == b.health_check && a.circuit_breaker == b.circuit_breaker &&
         a.max_in_flight == b.max_in_flight && a.queue_size == b.queue_size && a.queue_timeout == b.queue_timeout &&
         same_tls;
}

}  // namespace

Worker::Worker(int index, NodeSnapshot snapshot, WorkerSockets sockets, log::AccessLogWriter* access_log,
               const StatusBoard& status)
    : index_(index),
      initial_(std::move(snapshot)),
      sockets_(std::move(sockets)),
      access_log_writer_(access_log),
      status_(status),
      listener_open_(sockets_.fds.size(), 0) {
  // After a binary upgrade a worker may hold two sockets of one listener: they share one count.
  for (size_t i = 0; i < sockets_.names.size(); ++i) {
    size_t first = 0;
    while (sockets_.names[first] != sockets_.names[i]) {
      ++first;
    }
    listener_slot_.push_back(first);
  }
}

Worker::~Worker() {
  join();
  for (int fd : sockets_.fds) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void Worker::start() {
  // The loop and its wake-up handle exist before the thread does, so the control thread can
  // publish() or stop() at any time after start().
  uv_loop_init(&loop_);
  reaper_ = std::make_unique<core::Reaper>(&loop_);
  wakeup_ = core::AsyncSignal::create(&loop_, [this] { onMessages(); });
  tasks_ = core::TaskQueue::create(&loop_);
  thread_ = std::thread([this] { run(); });
}

void Worker::join() {
  if (thread_.joinable()) {
    thread_.join();
  }
}

void Worker::publish(NodeSnapshot snapshot) {
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    inbox_snapshot_ = std::move(snapshot);
  }
  wakeup_->notify();
}

void Worker::drain() {
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    inbox_drain_ = true;
  }
  wakeup_->notify();
}

void Worker::stop() {
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    inbox_stop_ = true;
  }
  wakeup_->notify();
}

void Worker::drainsChanged() {
  // Posted rather than applied here: the pools belong to the worker's loop. Dropped once the worker
  // stopped (it has no pools then).
  tasks_->post([this] { syncDrains(); });
}

void Worker::syncDrains() {
  if (!active_) {
    return;
  }
  for (auto& [name, pool] : active_->pools) {
    pool->syncDrained();
  }
}

void Worker::run() {
  if (access_log_writer_ != nullptr) {
    access_log_ = std::make_unique<log::AccessLogBuffer>(*access_log_writer_);
    flush_timer_ = core::Timer::create(&loop_, [this] { access_log_->flush(); });
    flush_timer_->startRepeating(kAccessLogFlushMs);
    flush_timer_->unref();
  }
  apply(std::move(*initial_));
  initial_.reset();
  for (const std::string& name : sockets_.names) {
    listener_stats_.push_back(stats_.listener(name));  // slots are claimed on the worker's thread
  }
  for (size_t i = 0; i < sockets_.fds.size(); ++i) {
    std::string error;
    Listener* l = Listener::open(
        &loop_, sockets_.fds[i], sockets_.names[i], [this, i](uv_stream_t* server) { onAccept(server, i); },
        error);
    sockets_.fds[i] = -1;  // the handle owns the descriptor now
    if (l == nullptr) {
      log::error("worker {}: listener {}: {}", index_, sockets_.names[i], error);
      continue;
    }
    listeners_.push_back(l);
  }
  uv_run(&loop_, UV_RUN_DEFAULT);  // until shutdown() calls uv_stop
  wakeup_->close();
  tasks_->close();
  if (cache_) {
    cache_->shutdown();
  }
  // Handles closed by shutdown() finish closing here.
  reaper_->run();
  uv_run(&loop_, UV_RUN_DEFAULT);
  reaper_->run();
  cache_.reset();  // its Reader goes before the store can close
  access_log_.reset();
  reaper_.reset();
  uv_run(&loop_, UV_RUN_DEFAULT);
  if (uv_loop_close(&loop_) != 0) {
    log::warn("worker {}: loop closed with handles still open", index_);
  }
}

void Worker::onMessages() {
  std::optional<NodeSnapshot> snapshot;
  bool drain = false;
  bool stop = false;
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    snapshot.swap(inbox_snapshot_);
    drain = inbox_drain_;
    stop = inbox_stop_;
    inbox_drain_ = false;
  }
  if (snapshot) {
    apply(std::move(*snapshot));
  }
  if (drain) {
    beginDrain();
  }
  if (stop) {
    shutdown();
  }
}

void Worker::apply(NodeSnapshot snapshot) {
  auto next = std::make_unique<Active>();
  const config::Config& cfg = *snapshot.config;
  next->routes = std::make_unique<RouteTable>(cfg);
  next->filters =
      std::make_unique<filters::FilterChain>(filters::FilterEnv{cfg, stats_, snapshot.rate_limits.get()});
  const uint32_t workers = cfg.workers == 0 ? 1 : cfg.workers;
  for (const std::string& name : sockets_.names) {
    // Listeners are matched by name: a reload can change a limit, not which sockets exist.
    uint32_t per_ip = 0;
    uint32_t listener_limit = 0;
    for (const config::ListenerConfig& l : cfg.listeners) {
      if (l.name == name) {
        per_ip = l.max_connections_per_ip;
        listener_limit = l.max_connections;
      }
    }
    next->max_connections_per_ip.push_back(per_ip);
    next->listener_max_connections.push_back(workerShare(listener_limit, workers));
    auto tls = snapshot.tls_contexts.find(name);
    next->tls_contexts.push_back(tls != snapshot.tls_contexts.end() ? tls->second : nullptr);
    next->per_ip_salts.push_back(
        snapshot.rate_limits
            ? rate_limit::KeyHash(snapshot.rate_limits->hashKey()).add("conn").add(name).finish()
            : 0);
  }
  next->settings = settingsFrom(cfg.limits);
  next->max_connections = workerShare(cfg.limits.max_connections, workers);
  for (const config::UpstreamConfig& u : cfg.upstreams) {
    const std::vector<sockaddr_storage>& addresses = snapshot.upstream_addresses->at(u.name);
    proxy::UpstreamPoolPtr pool;
    if (active_) {
      auto old = active_->pools.find(u.name);
      const auto& old_addresses = active_->snapshot.upstream_addresses->find(u.name);
      if (old != active_->pools.end() && sameUpstream(old->second->config(), u) &&
          old_addresses != active_->snapshot.upstream_addresses->end() &&
          sameAddresses(old_addresses->second, addresses)) {
        pool = old->second;
      }
    }
    if (!pool) {
      auto tls = snapshot.upstream_tls.find(u.name);
      pool = std::make_shared<proxy::UpstreamPool>(&loop_, u, addresses, stats_, *reaper_, snapshot.drain_board,
                                                   snapshot.health_board, workers,
                                                   tls != snapshot.upstream_tls.end() ? tls->second : nullptr);
    }
    next->pools[u.name] = pool;
  }
  for (const config::RouteConfig& r : cfg.routes) {
    next->route_stats.push_back(stats_.route(r.name));
    proxy::UpstreamPoolPtr pool;
    proxy::RoutePolicyPtr route_policy;
    if (r.handler == config::RouteHandler::Proxy) {
      pool = next->pools.at(r.upstream);
      route_policy = std::make_shared<proxy::RoutePolicy>(r);
    }
    filters::cache::CacheRoutePtr cache_route;
    if (pool && !r.cache.empty() && snapshot.cache) {
      const config::CachePolicyConfig* policy = cfg.findCachePolicy(r.cache);
      if (policy != nullptr) {
        auto c = std::make_shared<filters::cache::CacheRoute>();
        c->config = snapshot.config;
        c->policy = policy;
        c->limits = filters::cache::policyLimits(*policy);
        // The store refuses records over 1/8 of its size; capture no more than it can keep (with
        // room for the record's meta and headers).
        const uint64_t store_limit = snapshot.cache->maxSize() / 8;
        c->max_object_size = std::min<uint64_t>(policy->max_object_size,
                                                store_limit - std::min<uint64_t>(store_limit / 2, 64 * 1024));
        c->pool = pool;
        c->proxy_policy = route_policy;
        c->stats = stats_.cachePolicy(policy->name);
        c->counters = &stats_.node();
        cache_route = std::move(c);
      }
    }
    next->cache_routes.push_back(std::move(cache_route));
    next->route_pools.push_back(std::move(pool));
    next->route_policies.push_back(std::move(route_policy));
  }
  if (snapshot.cache && !cache_) {
    cache_ = std::make_unique<filters::cache::WorkerCache>(&loop_, snapshot.cache, tasks_, *reaper_);
  }
  if (active_) {
    // Pools no longer used: close their idle connections now; requests in flight keep theirs.
    for (auto& [name, pool] : active_->pools) {
      auto it = next->pools.find(name);
      if (it == next->pools.end() || it->second != pool) {
        pool->closeIdle();
      }
    }
  }
  next->snapshot = std::move(snapshot);
  active_ = std::move(next);
}

bool Worker::admitPerIp(ClientConnection& connection, core::Transport& stream, size_t listener) {
  const uint32_t limit = active_->max_connections_per_ip[listener];
  rate_limit::LimiterTable* table = active_->snapshot.rate_limits.get();
  if (limit == 0 || table == nullptr) {
    return true;
  }
  std::optional<core::IpAddress> peer = stream.peerIp();
  if (!peer) {
    return true;
  }
  // Counted per address across all workers; IPv6 clients per /64, since one host usually holds a
  // whole /64 and could otherwise open the limit once per address.
  const core::IpAddress grouped = peer->masked(peer->family == 4 ? 32 : 64);
  const uint64_t hash = rate_limit::KeyHash(table->hashKey())
                            .add(active_->per_ip_salts[listener])
                            .add(&grouped.family, 1)
                            .add(grouped.bytes.data(), grouped.family == 4 ? 4 : 16)
                            .finish();
  core::Lease lease;
  const uint32_t now_s = rate_limit::nodeSeconds(rate_limit::nodeTimeNs());
  if (rate_limit::acquireCount(*table, hash, limit, now_s, lease) == rate_limit::Acquired::Refused) {
    return false;
  }
  connection.holdLease(std::move(lease));
  return true;
}

void Worker::onAccept(uv_stream_t* server, size_t listener) {
  core::TcpStream* tcp = core::TcpStream::create(&loop_);
  if (tcp->accept(server) != 0) {
    tcp->close();
    return;
  }
  stats::bump(stats_.node().connections_accepted);
  const size_t limit = active_->max_connections;
  if (connections_.size() >= 2 * static_cast<size_t>(limit)) {
    // Far over the limit: not even a 503, just close.
    stats::bump(stats_.node().connections_refused);
    tcp->close();
    return;
  }
  // The listener's own limit works like the node's: a 503 over it, a plain close far over it.
  const size_t slot = listener_slot_[listener];
  const size_t listener_limit = active_->listener_max_connections[listener];
  if (listener_limit != 0 && listener_open_[slot] >= 2 * listener_limit) {
    countListenerRefusal(slot);
    tcp->close();
    return;
  }
  core::Transport* stream = tcp;
  if (const tls::ServerContextPtr& context = active_->tls_contexts[listener]) {
    stream = tls::TlsTransport::create(&loop_, tcp, context, tls_recorder_, context->handshakeTimeout());
    if (stream == nullptr) {
      log::error("worker {}: listener {}: cannot start a TLS session (out of memory?)", index_,
                 sockets_.names[listener]);
      tcp->close();
      return;
    }
  }
  auto* connection = new ClientConnection(&loop_, stream, *this, *this);
  connections_.emplace(connection, slot);
  stats::setGauge(stats_.node().connections_active, connections_.size());
  stats::setGauge(listener_stats_[slot]->connections_active, ++listener_open_[slot]);
  if (connections_.size() > limit || draining_) {
    stats::bump(stats_.node().connections_refused);
    connection->rejectBusy();
    return;
  }
  if (listener_limit != 0 && listener_open_[slot] > listener_limit) {
    countListenerRefusal(slot);
    connection->rejectBusy();
    return;
  }
  if (!admitPerIp(*connection, *stream, listener)) {
    // Like nginx's limit_conn (503) rather than a silent close: the client learns why.
    stats::bump(stats_.node().connections_refused_per_ip);
    connection->rejectBusy();
    return;
  }
  connection->start();
}

std::vector<ClientConnection*> Worker::openConnections() const {
  std::vector<ClientConnection*> all;
  all.reserve(connections_.size());
  for (const auto& [connection, listener] : connections_) {
    all.push_back(connection);
  }
  return all;
}

void Worker::countListenerRefusal(size_t listener) {
  stats::bump(stats_.node().connections_refused_listener);
  stats::bump(listener_stats_[listener]->refused);
}

void Worker::connectionClosed(ClientConnection* connection) {
  auto it = connections_.find(connection);
  if (it != connections_.end()) {
    const size_t slot = it->second;
    connections_.erase(it);
    listener_open_[slot] -= listener_open_[slot] > 0 ? 1 : 0;
    stats::setGauge(listener_stats_[slot]->connections_active, listener_open_[slot]);
  }
  stats::setGauge(stats_.node().connections_active, connections_.size());
  reaper_->retire(std::unique_ptr<ClientConnection>(connection));
}

Dispatch Worker::dispatch(const http::RequestHead& head, RequestContext& context, ResponseSink& sink) {
  Active& a = *active_;
  const config::Config& cfg = *a.snapshot.config;
  Dispatch d;
  const int index = a.routes->match(head.host, head.path);
  if (index >= 0) {
    context.route = &cfg.routes[static_cast<size_t>(index)];
    context.route_stats = a.route_stats[static_cast<size_t>(index)];
  } else {
    context.route_stats = stats_.noRoute();
  }
  context.config = a.snapshot.config;
  if (a.filters->run(head, context, sink) == filters::FilterStatus::Stop) {
    d.answered = true;
    return d;
  }
  if (index < 0) {
    d.error_status = 404;
    return d;
  }
  const config::RouteConfig& route = *context.route;
  d.body_limit = route.max_body_size.value_or(cfg.limits.max_body_size);
  switch (route.handler) {
    case config::RouteHandler::Respond:
      d.handler = std::make_unique<FixedResponseHandler>(sink, route.respond.status,
                                                         route.respond.content_type, route.respond.body);
      break;
    case config::RouteHandler::Status: {
      std::shared_ptr<const std::string> text = status_.current();
      std::string_view body = *text;
      d.handler =
          std::make_unique<FixedResponseHandler>(sink, 200, "application/json", body, std::move(text));
      break;
    }
    case config::RouteHandler::Proxy:
      if (const filters::cache::CacheRoutePtr& cached = a.cache_routes[static_cast<size_t>(index)]) {
        const uint64_t body_limit = d.body_limit;
        d = cache_->dispatch(head, context, sink, cached);
        d.body_limit = body_limit;
        break;
      }
      d.handler = std::make_unique<proxy::ProxyHandler>(a.route_pools[static_cast<size_t>(index)], head, context,
                                                        sink, stats_.node(),
                                                        a.route_policies[static_cast<size_t>(index)]);
      break;
  }
  return d;
}

void Worker::finished(const http::RequestHead& head, const RequestContext& context) {
  const auto now = std::chrono::steady_clock::now();
  const auto duration_us = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(now - context.start).count());
  if (context.route_stats != nullptr) {
    context.route_stats->record(context.status, context.bytes_in, context.bytes_out, duration_us);
  }
  if (access_log_) {
    log::AccessRecord record;
    record.time = std::chrono::system_clock::now();
    record.request_id = context.request_id;
    record.client = context.client_ip;
    record.method = head.method;
    record.path = head.path;
    record.route = context.route != nullptr ? std::string_view(context.route->name) : std::string_view("-");
    record.upstream = context.upstream_server;
    record.status = context.status;
    record.bytes_in = context.bytes_in;
    record.bytes_out = context.bytes_out;
    record.duration_us = duration_us;
    access_log_->append(record);
  }
}

void Worker::beginDrain() {
  if (draining_) {
    return;
  }
  draining_ = true;
  for (Listener* l : listeners_) {
    l->close();
  }
  listeners_.clear();
  // A copy: drain() may close (and unregister) idle connections.
  for (ClientConnection* c : openConnections()) {
    c->drain();
  }
  for (auto& [name, pool] : active_->pools) {
    pool->closeIdle();
  }
}

void Worker::shutdown() {
  beginDrain();
  for (ClientConnection* c : openConnections()) {
    c->abort();
  }
  if (access_log_) {
    access_log_->flush();
  }
  if (flush_timer_ != nullptr) {
    flush_timer_->close();
    flush_timer_ = nullptr;
  }
  active_.reset();  // pools close their idle connections
  uv_stop(&loop_);
}

}  // namespace sluice::server
