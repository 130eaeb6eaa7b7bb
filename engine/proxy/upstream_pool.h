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

#include <memory>
#include <string_view>
#include <vector>

#include "engine/config/config.h"
#include "engine/core/reaper.h"
#include "engine/proxy/balancer.h"
#include "engine/proxy/drain_board.h"
#include "engine/proxy/upstream_connection.h"
#include "engine/proxy/upstream_server.h"

namespace sluice::stats {
class WorkerStats;
}

namespace sluice::proxy {

class UpstreamPool {
 public:
  static constexpr uint64_t kIdleTimeoutMs = 60000;
  static constexpr uint32_t kMaxIdlePerServer = 10000;
  static constexpr auto kPeakDecay = std::chrono::seconds(10);

  // `drains` may be null (no server is ever drained); `tls` is null for plain HTTP upstreams.
  UpstreamPool(uv_loop_t* loop, const config::UpstreamConfig& config,
               const std::vector<sockaddr_storage>& addresses, stats::WorkerStats& stats,
               core::Reaper& reaper, DrainBoardPtr drains = nullptr, tls::ClientContextPtr tls = nullptr);
  ~UpstreamPool();
  UpstreamPool(const UpstreamPool&) = delete;
  UpstreamPool& operator=(const UpstreamPool&) = delete;

  const config::UpstreamConfig& config() const { return config_; }
  size_t serverCount() const { return servers_.size(); }

  UpstreamServer* pick(const UpstreamServer* exclude, std::string_view hash_key);
  // After pick() found no server: true when that is because of draining (every server is drained,
  // or drained or down), so the route answers 503 rather than 502.
  bool unavailableByDrain() const;
  // Re-reads the drain flags when the board moved; closes the idle connections of servers that
  // became drained.
  void syncDrained() {
    if (drains_ && drains_->generation() != drain_generation_) {
      readDrained();
    }
  }
  // An idle keep-alive connection to `server`, or null.
  UpstreamConnection* takeIdle(UpstreamServer* server);
  // Bookkeeping for a request starting / ending on `server` (least_conn and pool sizing).
  void requestStarted(UpstreamServer* server);
  void requestEnded(UpstreamServer* server);
  // A new connection to `server`; the listener hears onUpstreamConnected or a failure.
  UpstreamConnection* connect(UpstreamServer* server, UpstreamListener* listener);
  // The request is done with the connection: kept idle when reusable and there is room, else closed.
  void release(UpstreamConnection* connection, bool reusable);

  void reportSuccess(UpstreamServer* server);
  void reportFailure(UpstreamServer* server, std::string_view reason);

  // Closes every idle connection (node shutdown, or this pool replaced by a reload).
  void closeIdle();

 private:
  static void onIdleEnd(void* context, UpstreamConnection* connection);
  void destroy(UpstreamConnection* connection);
  void readDrained();

  uv_loop_t* loop_;
  config::UpstreamConfig config_;
  stats::WorkerStats& stats_;
  core::Reaper& reaper_;
  std::vector<UpstreamServer> servers_;
  Balancer balancer_;
  DrainBoardPtr drains_;
  tls::ClientContextPtr tls_;
  uint64_t drain_generation_ = 0;
  std::chrono::steady_clock::time_point last_decay_ = std::chrono::steady_clock::now();
};

using UpstreamPoolPtr = std::shared_ptr<UpstreamPool>;

}  // namespace sluice::proxy
