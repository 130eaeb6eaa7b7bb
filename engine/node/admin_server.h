#pragma once
// control.admin_http: a small HTTP endpoint on the control thread's loop, for monitoring.
//   GET /healthz        200 "ok" (503 "draining" during shutdown)
//   GET /metrics        Prometheus text format 0.0.4
//   GET /stats          the latest one-second stats snapshot (JSON)
//   POST /cache/purge?url=URL | prefix=URL | tag=TAG | all  (loopback clients only)
// Reuses the node's HTTP/1.1 connection code with its own small limits; anything else is 404.

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <unordered_set>

#include "engine/core/reaper.h"
#include "engine/core/task_queue.h"
#include "engine/filters/cache/cache_service.h"
#include "engine/server/client_connection.h"
#include "engine/server/dispatcher.h"
#include "engine/server/listener.h"
#include "engine/stats/node_counters.h"

namespace sluice::node {

class AdminServer final : public server::ConnectionOwner, public server::Dispatcher {
 public:
  struct Content {
    std::function<std::string()> metrics;
    std::function<std::string()> stats_json;
    std::function<bool()> draining;
    std::function<filters::cache::CacheServicePtr()> cache;  // null result: no cache in use
  };

  AdminServer(uv_loop_t* loop, Content content);
  ~AdminServer() override;

  // Takes ownership of the listening descriptor.
  bool start(int fd, std::string& error);
  void close();

  // server::ConnectionOwner
  const server::ConnectionSettings& connectionSettings() const override { return settings_; }
  stats::NodeCounters& counters() override { return counters_; }
  core::Reaper& reaper() override { return reaper_; }
  bool draining() const override { return false; }
  void connectionClosed(server::ClientConnection* connection) override;

  // server::Dispatcher
  server::Dispatch dispatch(const http::RequestHead& head, server::RequestContext& context,
                            server::ResponseSink& sink) override;
  void finished(const http::RequestHead&, const server::RequestContext&) override {}

 private:
  void onAccept(uv_stream_t* server);
  server::Dispatch dispatchPurge(const http::RequestHead& head, const server::RequestContext& context,
                                 server::ResponseSink& sink);

  uv_loop_t* loop_;
  Content content_;
  server::ConnectionSettings settings_;
  stats::NodeCounters counters_;
  core::Reaper reaper_;
  core::TaskQueuePtr tasks_;  // answers from the cache writer thread
  server::Listener* listener_ = nullptr;
  std::unordered_set<server::ClientConnection*> connections_;
};

}  // namespace sluice::node
