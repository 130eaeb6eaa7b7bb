#pragma once
// The running node: binds the listeners, starts the workers, and runs the control thread (the
// process's main thread) with signals (SIGHUP reload, SIGTERM/SIGINT drain, SIGUSR1 reopens the
// access log, SIGUSR2 binary upgrade: binary_upgrade.h), systemd notifications (service_notifier.h), the once-a-second
// stats roll-up, the control socket (node_control.cpp), the admin HTTP endpoint, and the config
// editor (versions, history, edits).

#include <uv.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/control/config_editor.h"
#include "engine/control/control_method.h"
#include "engine/control/control_server.h"
#include "engine/control/snapshot_lines.h"
#include "engine/control/stats_aggregator.h"
#include "engine/core/task_queue.h"
#include "engine/filters/rate_limit/limiter_table.h"
#include "engine/log/access_log_writer.h"
#include "engine/node/tls_contexts.h"
#include "engine/node/admin_server.h"
#include "engine/node/binary_upgrade.h"
#include "engine/node/inherited_sockets.h"
#include "engine/node/service_notifier.h"
#include "engine/proxy/drain_board.h"
#include "engine/proxy/health_board.h"
#include "engine/proxy/health_checker.h"
#include "engine/server/status_board.h"
#include "engine/server/worker.h"

namespace sluice::node {

class Node {
 public:
  // `config_path` is empty when running the embedded default (SIGHUP then has nothing to reload, and
  // edits are not written back). `config_text` is the YAML `config` was loaded from.
  Node(config::ConfigPtr config, std::string config_path, std::string config_text);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Runs until drained; the process exit code (0 after a clean drain, 1 when startup failed).
  int run();

  // The command line a binary upgrade runs (argv[0]: the executable's path at start-up). Empty: no
  // binary upgrade (SIGUSR2 is refused with a log line).
  void setUpgradeCommand(std::vector<std::string> command) { upgrade_command_ = std::move(command); }

 private:
  bool startUp();
  void startEditor();
  void reload();
  // The one way a new config takes effect (SIGHUP and control edits): takes what prepareConfig made
  // (TLS contexts, resolved upstreams), opens the cache when first needed, then swaps the snapshot
  // on every worker. Errors mean nothing changed.
  std::vector<std::string> applyConfig(config::ConfigPtr next, const std::string& text,
                                       const std::string& what, const control::PreparedConfigPtr& prepared);
  // The part of applying `next` that may block (TLS contexts from certificate files, DNS), run on
  // the libuv thread pool; `running` is the config it replaces.
  control::PreparedConfigPtr prepareConfig(const config::Config& next, const config::Config& running,
                                           const std::string& what);
  // What the workers get: the current config and the node-wide state that goes with it.
  server::NodeSnapshot snapshot() const;
  void beginShutdown();
  void checkDrained();
  void finishShutdown();
  void onStatsTick();
  void onSignal(int signum);
  void startUpgrade();
  void upgradeReady(pid_t pid);
  std::string metricsText() const;
  std::string statusJson() const;
  bool openCache(const config::Config& config, std::string& error);
  // node_control.cpp: the control socket.
  bool bindControlSocket(const config::Config& config);
  void registerControlMethods();
  bool listenControlSocket();
  void reloadControl(const config::Config& next);
  void closeControl();

  config::ConfigPtr config_;
  std::string config_path_;
  std::string config_text_;  // the YAML config_ was loaded from (config.get, edits)
  std::shared_ptr<const server::ResolvedUpstreams> addresses_;  // config_'s upstream servers
  TlsContexts tls_;                      // ticket keys per TLS listener, for the node's life
  server::TlsContextMap tls_contexts_;  // config_'s TLS listeners
  server::UpstreamTlsMap upstream_tls_;  // config_'s TLS upstreams
  uv_loop_t loop_{};
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point drain_deadline_;
  std::unique_ptr<log::AccessLogWriter> access_log_;
  // Rate-limit state for all workers; outlives them (requests in flight hold counts in it).
  std::shared_ptr<rate_limit::LimiterTable> rate_limits_;
  std::vector<std::unique_ptr<server::Worker>> workers_;
  std::unique_ptr<control::StatsAggregator> aggregator_;
  std::unique_ptr<AdminServer> admin_;
  filters::cache::CacheServicePtr cache_;  // shared with the workers' snapshots
  // Drained upstream servers, shared with the workers' snapshots; kept across reloads, not restarts.
  // The control socket writes it; the stats tick tells the workers when it moved.
  proxy::DrainBoardPtr drain_board_ = std::make_shared<proxy::DrainBoard>();
  uint64_t drain_generation_seen_ = 0;
  // Active health checks: results shared with the workers' snapshots; the checker runs on this loop.
  proxy::HealthBoardPtr health_board_ = std::make_shared<proxy::HealthBoard>();
  std::unique_ptr<proxy::HealthChecker> health_checker_;
  // Every method of the control socket, filled in at start-up before the socket accepts (the
  // config edit methods come from editor_).
  control::MethodTable control_methods_;
  std::unique_ptr<control::ControlServer> control_;
  // The snapshots as JSON text, once per tick, for the control socket and /stats.
  control::SnapshotLines snapshot_lines_{control::StatsAggregator::kDefaultHistory};
  core::TaskQueuePtr control_tasks_;  // answers coming back to this loop from other threads
  server::StatusBoard status_;
  // Serves the config edit methods (registered into control_methods_).
  std::unique_ptr<control::ConfigEditor> editor_;
  // sd_notify: readiness, reloads, stopping, watchdog pings (no-ops outside systemd).
  std::unique_ptr<ServiceNotifier> notifier_;
  std::vector<uv_signal_t*> signals_;
  // Binary upgrade: the sockets this node took from the one it replaces, the command that starts
  // its successor, every listening socket to pass on, and the upgrade in progress (or the last one).
  InheritedSockets inherited_;
  std::vector<std::string> upgrade_command_;
  BinaryUpgrade::Sockets passable_;
  std::unique_ptr<BinaryUpgrade> upgrade_;
  bool upgrading_ = false;
  core::Timer* stats_timer_ = nullptr;
  core::Timer* drain_timer_ = nullptr;
  bool shutting_down_ = false;
};

}  // namespace sluice::node
