#pragma once
// The running node: binds the listeners, starts the workers, and runs the control thread (the
// process's main thread) with signals (SIGHUP reload, SIGTERM/SIGINT drain), the once-a-second
// stats roll-up, the control socket (node_control.cpp) and the admin HTTP endpoint.

#include <uv.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/control/control_method.h"
#include "engine/control/control_server.h"
#include "engine/control/stats_aggregator.h"
#include "engine/core/task_queue.h"
#include "engine/filters/rate_limit/limiter_table.h"
#include "engine/log/access_log_writer.h"
#include "engine/node/admin_server.h"
#include "engine/server/status_board.h"
#include "engine/server/worker.h"

namespace sluice::node {

class Node {
 public:
  // `config_path` is empty when running the embedded default (SIGHUP then has nothing to reload).
  Node(config::ConfigPtr config, std::string config_path);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Runs until drained; the process exit code (0 after a clean drain, 1 when startup failed).
  int run();

 private:
  bool startUp();
  void reload();
  void beginShutdown();
  void checkDrained();
  void finishShutdown();
  void onStatsTick();
  std::string metricsText() const;
  std::string statusJson() const;
  bool openCache(const config::Config& config);
  // node_control.cpp: the control socket.
  bool bindControlSocket(const config::Config& config);
  void registerControlMethods();
  bool listenControlSocket();
  void reloadControl(const config::Config& next);
  void closeControl();

  config::ConfigPtr config_;
  std::string config_path_;
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
  // Every method of the control socket, filled in at start-up before the socket accepts.
  control::MethodTable control_methods_;
  std::unique_ptr<control::ControlServer> control_;
  core::TaskQueuePtr control_tasks_;  // answers coming back to this loop from other threads
  // Stand-in for the drain board until it is merged: "upstream/server" of drained servers.
  std::set<std::string, std::less<>> drained_servers_;
  server::StatusBoard status_;
  std::vector<uv_signal_t*> signals_;
  core::Timer* stats_timer_ = nullptr;
  core::Timer* drain_timer_ = nullptr;
  bool shutting_down_ = false;
};

}  // namespace sluice::node
