#pragma once
// One worker thread: its own uv loop, its own SO_REUSEPORT listening sockets, the client connections
// it accepted, its upstream keep-alive pools, its metrics shard and its access-log buffer.
// Nothing here is shared with other workers. The control thread talks to it only through
// publish() / drain() / stop(), which queue a message and wake the loop with uv_async_send.

#include <uv.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/core/async_signal.h"
#include "engine/core/reaper.h"
#include "engine/core/task_queue.h"
#include "engine/core/timer.h"
#include "engine/filters/cache/cache_route.h"
#include "engine/filters/cache/worker_cache.h"
#include "engine/filters/filter_chain.h"
#include "engine/log/access_log.h"
#include "engine/log/log_budget.h"
#include "engine/proxy/route_policy.h"
#include "engine/proxy/upstream_pool.h"
#include "engine/server/client_connection.h"
#include "engine/server/dispatcher.h"
#include "engine/server/listener.h"
#include "engine/server/node_snapshot.h"
#include "engine/server/route_table.h"
#include "engine/server/status_board.h"
#include "engine/stats/worker_stats.h"
#include "engine/tls/handshake_recorder.h"

namespace sluice::server {

// Listening descriptors for one worker: one per configured listener, in config order.
struct WorkerSockets {
  std::vector<int> fds;
  std::vector<std::string> names;
};

class Worker final : public ConnectionOwner, public Dispatcher {
 public:
  Worker(int index, NodeSnapshot snapshot, WorkerSockets sockets, log::AccessLogWriter* access_log,
         const StatusBoard& status);
  ~Worker() override;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  // Any thread.
  void publish(NodeSnapshot snapshot);
  void drain();  // stop accepting, close idle connections, let in-flight requests finish
  void stop();   // close everything and end the thread
  // Any thread: the drain board changed; the worker re-reads it into its pools soon (closing the idle
  // connections of newly drained servers) even when no request comes to pick a server.
  void drainsChanged();
  void join();
  const stats::WorkerStats& stats() const { return stats_; }
  // Any thread, after start(): runs tasks on this worker's loop (dropped once it stopped).
  const core::TaskQueuePtr& tasks() const { return tasks_; }
  uint64_t activeConnections() const { return stats::read(stats_.node().connections_active); }

  // ConnectionOwner (worker thread)
  const ConnectionSettings& connectionSettings() const override { return active_->settings; }
  stats::NodeCounters& counters() override { return stats_.node(); }
  core::Reaper& reaper() override { return *reaper_; }
  bool draining() const override { return draining_; }
  void connectionClosed(ClientConnection* connection) override;
  log::LogBudget* clientLogBudget() override { return &client_log_; }

  // Dispatcher (worker thread)
  Dispatch dispatch(const http::RequestHead& head, RequestContext& context, ResponseSink& sink) override;
  void finished(const http::RequestHead& head, const RequestContext& context) override;

 private:
  // Everything derived from one config snapshot.
  struct Active {
    NodeSnapshot snapshot;
    std::unique_ptr<RouteTable> routes;
    std::unique_ptr<filters::FilterChain> filters;
    std::vector<stats::RouteStats*> route_stats;  // parallel to config.routes
    std::vector<proxy::UpstreamPoolPtr> route_pools;  // parallel to config.routes (null if not proxied)
    std::vector<proxy::RoutePolicyPtr> route_policies;  // parallel to config.routes (null if not proxied)
    std::vector<filters::cache::CacheRoutePtr> cache_routes;  // parallel to config.routes (null: no cache)
    std::map<std::string, proxy::UpstreamPoolPtr> pools;
    ConnectionSettings settings;
    uint32_t max_connections = 0;  // this worker's share of limits.max_connections
    std::vector<uint32_t> listener_max_connections;  // parallel to sockets_: this worker's share (0 = off)
    std::vector<uint32_t> max_connections_per_ip;  // parallel to sockets_ (0 = off)
    std::vector<uint64_t> per_ip_salts;            // parallel to sockets_
    std::vector<tls::ServerContextPtr> tls_contexts;  // parallel to sockets_ (null: plain TCP)
  };

  void run();
  void onMessages();
  void apply(NodeSnapshot snapshot);
  void syncDrains();
  void onAccept(uv_stream_t* server, size_t listener);
  // Counts the connection against its listener's max_connections_per_ip; false when over it.
  bool admitPerIp(ClientConnection& connection, core::Transport& stream, size_t listener);
  // Counts a refusal by the listener's max_connections (node-wide and for the listener's name).
  void countListenerRefusal(size_t listener);
  std::vector<ClientConnection*> openConnections() const;  // a copy, for loops that close some
  void beginDrain();
  void shutdown();

  const int index_;
  std::optional<NodeSnapshot> initial_;
  WorkerSockets sockets_;
  log::AccessLogWriter* access_log_writer_;
  const StatusBoard& status_;
  stats::WorkerStats stats_;
  tls::HandshakeRecorder tls_recorder_{stats_};  // worker thread only
  std::thread thread_;

  // Worker thread only.
  uv_loop_t loop_{};
  std::unique_ptr<core::Reaper> reaper_;
  std::unique_ptr<Active> active_;
  filters::cache::WorkerCachePtr cache_;  // once the node has a cache; lives until the worker stops
  std::unique_ptr<log::AccessLogBuffer> access_log_;
  core::AsyncSignal* wakeup_ = nullptr;
  core::TaskQueuePtr tasks_;
  core::Timer* flush_timer_ = nullptr;
  std::vector<Listener*> listeners_;
  std::unordered_map<ClientConnection*, size_t> connections_;  // -> the listener's slot
  // Parallel to sockets_: the index of the first socket of the same listener (its slot). Counts are
  // kept per slot, so two sockets of one listener (after a binary upgrade) share a limit.
  std::vector<size_t> listener_slot_;
  std::vector<uint32_t> listener_open_;                        // per slot: open connections
  std::vector<stats::ListenerStats*> listener_stats_;          // parallel to sockets_
  // Lines about slow clients (MinRateWatch): at most 10 per 10 s per worker.
  log::LogBudget client_log_{10, std::chrono::seconds(10),
                             "slow-client lines (see sluice_http_errors_total{reason=~\"slow_.*\"})"};
  bool draining_ = false;

  // Guarded by inbox_mutex_: messages from the control thread.
  std::mutex inbox_mutex_;
  std::optional<NodeSnapshot> inbox_snapshot_;
  bool inbox_drain_ = false;
  bool inbox_stop_ = false;
};

}  // namespace sluice::server
