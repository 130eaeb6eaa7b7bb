#pragma once
// The servers of one upstream as one worker sees them: balancing, keep-alive connections, and
// passive health (`max_fails` consecutive failures take a server out for `fail_timeout`).
// Idle connections kept per server: at least `keepalive`, and as many as the recent peak of
// requests in flight (halved every 10 s), so steady load never opens a connection per request the
// way a fixed cap below the concurrency does; at most kMaxIdlePerServer. `keepalive: 0` keeps none. Lives on
// one worker's loop thread. Shared by the requests using it, so that a config reload can replace it while old
// requests finish. Drained servers (the node's DrainBoard) get no new requests and keep no idle connections:
// every pick compares the board's generation with the one this pool last read (one atomic load) and re-reads
// the flags only when it moved; the worker also calls syncDrained() when the control thread tells it the
// board changed, so idle connections close even while no request comes.

#include <uv.h>

#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/core/reaper.h"
#include "engine/core/timer.h"
#include "engine/proxy/balancer.h"
#include "engine/proxy/drain_board.h"
#include "engine/proxy/health_board.h"
#include "engine/proxy/upstream_connection.h"
#include "engine/proxy/upstream_server.h"

namespace sluice::stats {
class WorkerStats;
}

namespace sluice::proxy {

// A request waiting in an upstream's queue (over max_in_flight); hears one of the two, on the loop.
class PoolWaiter {
 public:
  virtual ~PoolWaiter() = default;
  virtual void onAdmitted() = 0;
  virtual void onQueueTimeout() = 0;
};

// Why pick() found no server, and what the route answers.
struct Unavailable {
  int status = 502;          // 503 when servers are out on purpose or by health/breaker, else 502
  int retry_after_s = 0;     // > 0: every usable server's breaker is open for at least this long
  std::string_view reason;   // "drained", "unhealthy", "breaker_open", "down"
};

class UpstreamPool {
 public:
  static constexpr uint64_t kIdleTimeoutMs = 60000;
  static constexpr uint32_t kMaxIdlePerServer = 10000;
  static constexpr auto kPeakDecay = std::chrono::seconds(10);

  // `drains` and `health` may be null (no server is ever drained / actively checked); `tls` is null
  // for plain HTTP upstreams.
  // `worker_count` splits max_in_flight evenly across the node's workers.
  UpstreamPool(uv_loop_t* loop, const config::UpstreamConfig& config,
               const std::vector<sockaddr_storage>& addresses, stats::WorkerStats& stats,
               core::Reaper& reaper, DrainBoardPtr drains = nullptr, HealthBoardPtr health = nullptr,
               uint32_t worker_count = 1, tls::ClientContextPtr tls = nullptr);
  ~UpstreamPool();
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  const config::UpstreamConfig& config() const { return config_; }
  size_t serverCount() const { return servers_.size(); }
  uv_loop_t* loop() const { return loop_; }

  UpstreamServer* pick(const UpstreamServer* exclude, std::string_view hash_key);
  // After pick() found no server: why, and the status to answer. Servers out on purpose (drained)
  // or by their health checks or breakers make it a 503 (with Retry-After when breakers are open);
  // servers only down by passive health, or a retry with no other server left, a 502.
  Unavailable unavailable() const;
  // Re-reads the drain flags and health states when a board moved; closes the idle connections of
  // servers that became drained.
  void syncDrained() {
    if (drains_ && drains_->generation() != drain_generation_) {
      readDrained();
    }
    if (health_ && health_->generation() != health_generation_) {
      readHealth();
    }
  }

  // The in-flight bound (max_in_flight, this worker's share) and its queue. Admitted: go on now;
  // Queued: `waiter` hears onAdmitted or onQueueTimeout later (never from inside this call); Full:
  // answer 503. Every Admitted or admitted request calls leave() once when done; a queued one that
  // gives up calls cancel().
  enum class Admission { Admitted, Queued, Full };
  Admission admit(PoolWaiter* waiter);
  void leave();
  void cancel(PoolWaiter* waiter);
  // An idle keep-alive connection to `server`, or null.
  UpstreamConnection* takeIdle(UpstreamServer* server);
  // Bookkeeping for a request starting / ending on `server` (least_conn and pool sizing).
  void requestStarted(UpstreamServer* server);
  void requestEnded(UpstreamServer* server);
  // A new connection to `server`; the listener hears onUpstreamConnected or a failure. `timeout`
  // overrides the upstream's connect_timeout (a route's timeouts.connect).
  UpstreamConnection* connect(UpstreamServer* server, UpstreamListener* listener,
                              std::optional<config::Duration> timeout = std::nullopt);
  // The request is done with the connection: kept idle when reusable and there is room, else closed.
  void release(UpstreamConnection* connection, bool reusable);

  void reportSuccess(UpstreamServer* server);
  void reportFailure(UpstreamServer* server, std::string_view reason);
  // Circuit breaker bookkeeping, per attempt: sent (sets `probe`), then one of the verdicts (a 5xx
  // answer is a failure), or abandoned without one. State changes are logged and counted.
  void breakerSend(UpstreamServer* server, bool& probe);
  void breakerResult(UpstreamServer* server, bool success, bool probe);
  void breakerAbandon(UpstreamServer* server, bool probe) { server->breaker.onAbandon(probe); }

  // Closes every idle connection (node shutdown, or this pool replaced by a reload).
  void closeIdle();

 private:
  struct Waiting {
    PoolWaiter* waiter;
    std::chrono::steady_clock::time_point deadline;
  };

  static void onIdleEnd(void* context, UpstreamConnection* connection);
  void destroy(UpstreamConnection* connection);
  void readDrained();
  void readHealth();
  void noteBreakerChange(UpstreamServer* server, CircuitBreaker::Change change);
  void onQueueTimer();
  void armQueueTimer();

  uv_loop_t* loop_;
  config::UpstreamConfig config_;
  stats::WorkerStats& stats_;
  core::Reaper& reaper_;
  std::vector<UpstreamServer> servers_;
  Balancer balancer_;
  DrainBoardPtr drains_;
  tls::ClientContextPtr tls_;
  uint64_t drain_generation_ = 0;
  HealthBoardPtr health_;
  uint64_t health_generation_ = 0;
  uint32_t max_in_flight_ = 0;  // this worker's share; 0 = unbounded
  uint32_t in_flight_ = 0;      // admitted requests (including those in ready_)
  std::deque<Waiting> queue_;   // at most config_.queue_size; beyond it admit() says Full
  std::vector<PoolWaiter*> ready_;  // admitted from the queue, told on the next timer tick
  core::Timer* queue_timer_ = nullptr;  // only with a queue
  std::chrono::steady_clock::time_point last_decay_ = std::chrono::steady_clock::now();
};

using UpstreamPoolPtr = std::shared_ptr<UpstreamPool>;

}  // namespace sluice::proxy
