#include "engine/node/node.h"

#include <unistd.h>

#include <csignal>
#include <nlohmann/json.hpp>

#include "engine/config/config_loader.h"
#include "engine/control/process_stats.h"
#include "engine/control/prometheus.h"
#include "engine/filters/rate_limit/limiter_clock.h"
#include "engine/log/logger.h"
#include "engine/node/data_paths.h"
#include "engine/node/listen_sockets.h"
#include "engine/node/upstream_resolver.h"
#include "version.h"

namespace sluice::node {
namespace {

constexpr uint64_t kDrainPollMs = 100;
constexpr uint32_t kSweepParts = 8;

void applyLogLevel(const config::Config& config) {
  log::Level level = log::Level::Info;
  if (log::parseLevel(config.log.level, level)) {
    log::setLevel(level);
  }
}

bool usesCache(const config::Config& config) {
  for (const config::RouteConfig& r : config.routes) {
    if (!r.cache.empty()) {
      return true;
    }
  }
  return false;
}

uint32_t idleSeconds(const config::RateLimitTableConfig& table) {
  return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(table.idle_timeout).count());
}

bool sameUpstreams(const config::Config& a, const config::Config& b) {
  if (a.upstreams.size() != b.upstreams.size()) {
    return false;
  }
  for (size_t i = 0; i < a.upstreams.size(); ++i) {
    const config::UpstreamConfig& x = a.upstreams[i];
    const config::UpstreamConfig& y = b.upstreams[i];
    if (x.name != y.name || x.servers.size() != y.servers.size()) {
      return false;
    }
    for (size_t j = 0; j < x.servers.size(); ++j) {
      if (x.servers[j].text != y.servers[j].text) {
        return false;
      }
    }
  }
  return true;
}

bool sameListeners(const config::Config& a, const config::Config& b) {
  if (a.listeners.size() != b.listeners.size()) {
    return false;
  }
  for (size_t i = 0; i < a.listeners.size(); ++i) {
    if (a.listeners[i].name != b.listeners[i].name ||
        a.listeners[i].address.text != b.listeners[i].address.text) {
      return false;
    }
  }
  return true;
}

}  // namespace

Node::Node(config::ConfigPtr config, std::string config_path, std::string config_text)
    : config_(std::move(config)), config_path_(std::move(config_path)), config_text_(std::move(config_text)) {
  uv_loop_init(&loop_);
  notifier_ = std::make_unique<ServiceNotifier>(&loop_);
}

Node::~Node() {
  admin_.reset();
  workers_.clear();
  uv_run(&loop_, UV_RUN_NOWAIT);
  control_.reset();  // after the loop ran its sessions' close callbacks
  uv_loop_close(&loop_);
}

int Node::run() {
  started_ = std::chrono::steady_clock::now();
  applyLogLevel(*config_);
  if (!startUp()) {
    finishShutdown();
    uv_run(&loop_, UV_RUN_DEFAULT);
    return 1;
  }
  // Every listener is bound and listening (the kernel queues connections until a worker accepts).
  const std::string status = fmt::format("serving: {} listeners, {} workers, config version {}",
                                         config_->listeners.size(), workers_.size(), config_->version);
  if (inherited_.fromUpgrade()) {
    inherited_.signalReady();  // the old node drains now and tells systemd this process is the main one
    notifier_->startedByUpgrade();
  } else {
    notifier_->ready(status);
  }
  log::info("ready: {} workers, config version {}", workers_.size(), config_->version);
  uv_run(&loop_, UV_RUN_DEFAULT);
  log::info("stopped");
  return 0;
}

bool Node::startUp() {
  const config::Config& cfg = *config_;
  inherited_.takeFromEnvironment();
  std::vector<std::string> tls_errors;
  if (!tls_.build(cfg, tls_contexts_, upstream_tls_, tls_errors)) {
    for (const std::string& e : tls_errors) {
      log::error("{}", e);
    }
    return false;
  }
  auto addresses = std::make_shared<server::ResolvedUpstreams>();
  std::vector<std::string> errors;
  if (!resolveUpstreams(cfg, *addresses, errors)) {
    for (const std::string& e : errors) {
      log::error("{}", e);
    }
    return false;
  }
  // First, while the process has one thread: the cache and the access log start threads, and the
  // socket is bound under a temporary (process-wide) umask.
  if (!bindControlSocket(cfg)) {
    return false;
  }
  addresses_ = addresses;
  std::string error;
  if (!openCache(cfg, error)) {
    log::error("{}", error);
    return false;
  }
  const uint32_t worker_count = cfg.workers == 0 ? 1 : cfg.workers;
  std::vector<server::WorkerSockets> sockets;
  std::vector<BoundListener> bound;
  if (!openListenSockets(cfg, worker_count, inherited_, sockets, bound, error)) {
    log::error("{}", error);
    return false;
  }
  for (const server::WorkerSockets& w : sockets) {
    for (size_t i = 0; i < w.fds.size(); ++i) {
      passable_.listeners.emplace_back(w.names[i], w.fds[i]);
    }
  }
  if (cfg.log.access_log != "off") {
    access_log_ = log::AccessLogWriter::open(cfg.log.access_log, error);
    if (!access_log_) {
      log::error("{}: access log {}: {}", cfg.source, cfg.log.access_log, error);
      for (auto& w : sockets) {
        for (int fd : w.fds) {
          ::close(fd);
        }
      }
      return false;
    }
  }
  if (cfg.control.admin_http) {
    std::string bound_admin;
    int fd = inherited_.takeAdmin();
    if (fd >= 0 && socketHasAddress(fd, *cfg.control.admin_http)) {
      bound_admin = cfg.control.admin_http->text + " (from the upgraded node)";
    } else {
      if (fd >= 0) {
        ::close(fd);
      }
      fd = openSingleSocket(*cfg.control.admin_http, bound_admin, error);
    }
    if (fd < 0) {
      log::error("{}: control.admin_http: {}", cfg.source, error);
      for (auto& w : sockets) {
        for (int s : w.fds) {
          ::close(s);
        }
      }
      return false;
    }
    AdminServer::Content content;
    content.metrics = [this] { return metricsText(); };
    content.stats_json = [this] { return *snapshot_lines_.latest(); };
    content.draining = [this] { return shutting_down_; };
    content.cache = [this] { return cache_; };
    admin_ = std::make_unique<AdminServer>(&loop_, std::move(content));
    passable_.admin = fd;
    if (!admin_->start(fd, error)) {
      log::error("{}: control.admin_http: {}", cfg.source, error);
      return false;
    }
    log::info("admin_http listening on {}", bound_admin);
  }
  for (const BoundListener& b : bound) {
    log::info("listener {} listening on {}", b.name, b.address);
  }

  startEditor();  // replaces config_ with its versioned copy: `cfg` is not used below
  rate_limits_ = std::make_shared<rate_limit::LimiterTable>(config_->rate_limit_table.max_keys,
                                                            idleSeconds(config_->rate_limit_table));
  std::vector<const stats::WorkerStats*> shards;
  for (uint32_t i = 0; i < worker_count; ++i) {
    workers_.push_back(std::make_unique<server::Worker>(static_cast<int>(i), snapshot(),
                                                        std::move(sockets[i]), access_log_.get(), status_));
    shards.push_back(&workers_.back()->stats());
  }
  aggregator_ = std::make_unique<control::StatsAggregator>(std::move(shards));
  aggregator_->setRateLimitTable([table = rate_limits_.get()] { return table->stats(); });
  aggregator_->setHealthSource([board = health_board_.get()](std::string_view upstream, std::string_view server) {
    return proxy::healthStateName(board->get(upstream, server));
  });
  aggregator_->setDrainedSource(
      [board = drain_board_.get()](std::string_view upstream, std::string_view server) {
        return board->drained(upstream, server);
      });
  registerControlMethods();
  if (!listenControlSocket()) {
    return false;
  }
  passable_.control = control_->fd();
  inherited_.closeUnused();
  status_.publish(statusJson());
  for (auto& w : workers_) {
    w->start();
  }
  health_checker_ = std::make_unique<proxy::HealthChecker>(&loop_, health_board_);
  health_checker_->configure(*config_, *addresses_);

  stats_timer_ = core::Timer::create(&loop_, [this] { onStatsTick(); });
  stats_timer_->startRepeating(1000);
  for (int signum : {SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2}) {
    auto* handle = new uv_signal_t;
    uv_signal_init(&loop_, handle);
    handle->data = this;
    uv_signal_start(
        handle, [](uv_signal_t* h, int sig) { static_cast<Node*>(h->data)->onSignal(sig); }, signum);
    signals_.push_back(handle);
  }
  return true;
}

void Node::onSignal(int sig) {
  if (sig == SIGHUP) {
    reload();
  } else if (sig == SIGUSR1) {
    // Log rotation (installer/sluice.logrotate): the file was renamed; the writer thread opens the
    // path again before its next write.
    if (access_log_) {
      log::info("SIGUSR1: reopening the access log");
      access_log_->reopen();
    }
  } else if (sig == SIGUSR2) {
    startUpgrade();
  } else if (!shutting_down_) {
    log::info("received {}: draining", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    beginShutdown();
  } else {
    log::warn("second {}: stopping now", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    finishShutdown();
  }
}

void Node::startUpgrade() {
  if (shutting_down_ || upgrading_) {
    log::warn("SIGUSR2: {}; no binary upgrade", shutting_down_ ? "the node is draining" : "an upgrade is in progress");
    return;
  }
  if (upgrade_command_.empty()) {
    log::warn("SIGUSR2: this node cannot start its successor (its executable path is unknown)");
    return;
  }
  log::info("SIGUSR2: binary upgrade: starting {} with this node's sockets", upgrade_command_.front());
  upgrade_ = std::make_unique<BinaryUpgrade>(
      &loop_, [this](pid_t pid) { upgradeReady(pid); },
      [this](const std::string& reason) {
        upgrading_ = false;
        log::error("binary upgrade failed: {}; this node keeps serving", reason);
        notifier_->status(fmt::format("serving: config version {} (binary upgrade failed)", config_->version));
      });
  std::string error;
  if (!upgrade_->start(upgrade_command_, passable_, error)) {
    log::error("binary upgrade failed: {}; this node keeps serving", error);
    return;
  }
  upgrading_ = true;
}

void Node::upgradeReady(pid_t pid) {
  upgrading_ = false;
  log::info("binary upgrade: node {} serves on the same sockets; draining this one", pid);
  notifier_->handOver(pid, fmt::format("serving: node {} took over from node {}", pid, ::getpid()));
  if (control_) {
    control_->keepSocketFile();
  }
  if (!shutting_down_) {
    beginShutdown();
  }
}

// The version the node starts with comes from the history: the same text as the newest stored
// version keeps its number (a restart is no change), other text is a new version.
void Node::startEditor() {
  const std::string history_dir = config_path_.empty() ? std::string() : dataPath("", "config-history");
  control::ConfigEditHooks hooks;
  hooks.current = [this] {
    return control::RunningConfig{config_, config_text_, config_->version, config_path_};
  };
  hooks.prepare = [this](const config::Config& next, const control::RunningConfig& running,
                         const std::string& what) { return prepareConfig(next, *running.config, what); };
  hooks.apply = [this](config::ConfigPtr next, const std::string& text, const std::string& what,
                       const control::PreparedConfigPtr& prepared) {
    return applyConfig(std::move(next), text, what, prepared);
  };
  editor_ = std::make_unique<control::ConfigEditor>(&loop_, history_dir, std::move(hooks));
  std::string error;
  auto versioned = std::make_shared<config::Config>(*config_);
  versioned->version = editor_->adopt(config_text_, "start-up", error);
  config_ = versioned;
  if (!error.empty()) {
    log::warn("config history: {} (config version {} is kept in memory only)", error, config_->version);
  }
  editor_->addMethods(control_methods_);
}

void Node::reload() {
  if (shutting_down_) {
    return;
  }
  if (config_path_.empty()) {
    log::warn("SIGHUP: running the embedded default config; there is no file to reload");
    return;
  }
  notifier_->reloading();
  log::info("SIGHUP: reloading {}", config_path_);
  // READY=1 whatever the outcome (a rejected file leaves the old config serving), but not after a
  // drain began: STOPPING=1 must stay the last word.
  editor_->reload([this] {
    if (!shutting_down_) {
      notifier_->ready(fmt::format("serving: config version {}", config_->version));
    }
  });
}

server::NodeSnapshot Node::snapshot() const {
  return server::NodeSnapshot{config_,      addresses_,    cache_,        rate_limits_,
                              drain_board_, tls_contexts_, upstream_tls_, health_board_};
}

namespace {

struct NodePreparedConfig final : control::PreparedConfig {
  server::TlsContextMap tls_contexts;
  server::UpstreamTlsMap upstream_tls;
  std::shared_ptr<const server::ResolvedUpstreams> addresses;  // null: the running ones still hold
};

}  // namespace

control::PreparedConfigPtr Node::prepareConfig(const config::Config& next, const config::Config& running,
                                               const std::string& what) {
  auto prepared = std::make_shared<NodePreparedConfig>();
  // Certificates first: a context OpenSSL refuses rejects the config before anything changed.
  if (!tls_.build(next, prepared->tls_contexts, prepared->upstream_tls, prepared->errors)) {
    return prepared;
  }
  // Edits keep the resolved addresses while the upstreams are unchanged (no DNS lookup for a
  // rate-limit edit); a SIGHUP resolves names again, which is how a DNS change is taken.
  if (what == control::kWhatSighup || !sameUpstreams(running, next)) {
    auto resolved = std::make_shared<server::ResolvedUpstreams>();
    if (resolveUpstreams(next, *resolved, prepared->errors)) {
      prepared->addresses = std::move(resolved);
    }
  }
  return prepared;
}

std::vector<std::string> Node::applyConfig(config::ConfigPtr next, const std::string& text,
                                           const std::string& what, const control::PreparedConfigPtr& given) {
  if (shutting_down_) {
    return {"the node is shutting down"};
  }
  // Normally made on the pool by the editor; made here, on the loop, only when it was not.
  control::PreparedConfigPtr made = given ? given : prepareConfig(*next, *config_, what);
  const auto& prepared = static_cast<const NodePreparedConfig&>(*made);
  if (!prepared.errors.empty()) {
    return prepared.errors;
  }
  server::TlsContextMap tls_contexts = prepared.tls_contexts;
  server::UpstreamTlsMap upstream_tls = prepared.upstream_tls;
  std::shared_ptr<const server::ResolvedUpstreams> addresses =
      prepared.addresses ? prepared.addresses : addresses_;
  std::string error;
  if (!openCache(*next, error)) {
    return {error};
  }
  if (!sameListeners(*config_, *next)) {
    log::warn("{}: listener changes take effect at the next restart; keeping the current listeners", what);
  }
  if (next->workers != config_->workers) {
    log::warn("{}: the worker count takes effect at the next restart ({} workers now)", what,
              workers_.size());
  }
  if (next->log.access_log != config_->log.access_log) {
    log::warn("{}: a new access_log target takes effect at the next restart", what);
  }
  if (cache_ &&
      (next->cache.path != config_->cache.path || next->cache.max_size != config_->cache.max_size)) {
    log::warn("{}: cache.path and cache.max_size take effect at the next restart", what);
  }
  if (next->rate_limit_table.max_keys != config_->rate_limit_table.max_keys) {
    log::warn("{}: rate_limit_table.max_keys takes effect at the next restart", what);
  }
  // The rate-limit table belongs to the node: every snapshot shares it, so a policy that keeps its
  // name, algorithm and key kind keeps its keys' state (docs/rate-limiting.md, "Reloads").
  rate_limits_->setIdleTimeout(idleSeconds(next->rate_limit_table));
  reloadControl(*next);
  config_ = std::move(next);
  config_text_ = text;
  addresses_ = addresses;
  tls_contexts_ = std::move(tls_contexts);
  upstream_tls_ = std::move(upstream_tls);
  applyLogLevel(*config_);
  for (auto& w : workers_) {
    w->publish(snapshot());
  }
  if (health_checker_) {
    health_checker_->configure(*config_, *addresses_);
  }
  // Control-socket edits are not reloads systemd asked for (no RELOADING=1); the status line says
  // which version serves.
  notifier_->status(fmt::format("serving: config version {} ({})", config_->version, what));
  return {};
}

// The store opens when a route first uses a cache policy, and then stays open until exit (a reload
// that drops every cache route keeps it, so that entries survive a reload that brings them back).
bool Node::openCache(const config::Config& config, std::string& error) {
  if (cache_ || !usesCache(config)) {
    return true;
  }
  const std::string path = dataPath(config.cache.path, "cache");
  std::string why;
  cache_ = filters::cache::CacheService::open(path, config.cache, why);
  if (!cache_) {
    error = config.source + ": cache.path " + path + ": " + why;
    return false;
  }
  log::info("cache store {} ({} bytes max)", path, config.cache.max_size);
  return true;
}

void Node::beginShutdown() {
  shutting_down_ = true;
  editor_->close();
  notifier_->stopping();
  for (auto& w : workers_) {
    w->drain();
  }
  drain_deadline_ = std::chrono::steady_clock::now() + config_->shutdown_grace;
  drain_timer_ = core::Timer::create(&loop_, [this] { checkDrained(); });
  drain_timer_->startRepeating(kDrainPollMs);
}

void Node::checkDrained() {
  uint64_t open = 0;
  for (const auto& w : workers_) {
    open += w->activeConnections();
  }
  if (open == 0) {
    log::info("drained: all connections closed");
    finishShutdown();
    return;
  }
  if (std::chrono::steady_clock::now() >= drain_deadline_) {
    log::warn("shutdown grace period over: closing {} connections", open);
    finishShutdown();
  }
}

void Node::finishShutdown() {
  shutting_down_ = true;
  if (editor_) {
    editor_->close();
  }
  if (health_checker_) {
    health_checker_->stop();
  }
  if (upgrade_) {
    upgrade_->close();  // a successor keeps running
  }
  for (auto& w : workers_) {
    w->stop();
  }
  for (auto& w : workers_) {
    w->join();
  }
  if (admin_) {
    admin_->close();
  }
  closeControl();
  for (core::Timer** t : {&stats_timer_, &drain_timer_}) {
    if (*t != nullptr) {
      (*t)->close();
      *t = nullptr;
    }
  }
  for (uv_signal_t* s : signals_) {
    uv_close(reinterpret_cast<uv_handle_t*>(s),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_signal_t*>(h); });
  }
  signals_.clear();
  notifier_->stop();
  access_log_.reset();  // flushes
}

void Node::onStatsTick() {
  control::CacheStoreStats store;
  if (cache_) {
    const storage::StoreStats st = cache_->store().stats();
    store.enabled = true;
    store.entries = st.entries;
    store.bytes = st.bytes;
    store.max_size = st.max_size;
    store.stores = st.stores;
    store.evictions = st.evictions;
    store.reclaimed = st.reclaimed;
    store.purged = st.purged;
    store.dropped = st.dropped;
    store.write_errors = st.write_errors;
    store.flights = cache_->flights().flights();
  }
  tls_.rotateTickets(*config_, std::chrono::steady_clock::now());
  // An eighth of the table per second: every key is looked at within 8 s of its expiry.
  rate_limits_->sweep(rate_limit::nodeSeconds(rate_limit::nodeTimeNs()), kSweepParts);
  // Workers see a drain at their next pick; this makes idle connections to a drained server close
  // within a second even on a worker that gets no request for that upstream.
  if (const uint64_t g = drain_board_->generation() + health_board_->generation(); g != drain_generation_seen_) {
    drain_generation_seen_ = g;
    for (auto& w : workers_) {
      w->drainsChanged();
    }
  }
  aggregator_->tick(std::chrono::system_clock::now(), store, control::readProcessStats());
  snapshot_lines_.push(aggregator_->latest());
  status_.publish(statusJson());
  if (control_) {
    control_->publish(*snapshot_lines_.latest());
  }
}

std::string Node::metricsText() const {
  control::PrometheusInfo info;
  info.version = kVersion;
  info.node_name = config_->node_name;
  info.uptime_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  info.config_version = config_->version;
  const control::ProcessStats p = control::readProcessStats();
  info.process_cpu_seconds = p.cpu_seconds;
  info.process_rss_bytes = p.rss_bytes;
  return control::renderPrometheus(*aggregator_, info);
}

std::string Node::statusJson() const {
  nlohmann::json j;
  j["node"] = config_->node_name;
  j["version"] = kVersion;
  j["uptime_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  j["config_version"] = config_->version;
  j["workers"] = workers_.size();
  j["stats"] = control::toJson(aggregator_->latest());
  return j.dump(2) + "\n";
}

}  // namespace sluice::node
