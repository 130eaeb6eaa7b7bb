#pragma once
// POST /cache/purge on admin_http: starts a purge in the cache store and answers when the store's
// writer thread reports how many entries it removed (the answer comes back to the control loop
// through a TaskQueue). `{"purged": N, "kind": ..., "target": ...}`.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "engine/core/task_queue.h"
#include "engine/filters/cache/cache_service.h"
#include "engine/server/response_sink.h"

namespace sluice::node {

class PurgeHandler final : public server::RequestHandler {
 public:
  PurgeHandler(server::ResponseSink& sink, core::TaskQueuePtr loop_tasks, filters::cache::CacheServicePtr cache,
               filters::cache::PurgeKind kind, std::string target);
  ~PurgeHandler() override;

  void onRequestBody(const char*, size_t) override {}
  void onRequestComplete() override;
  void onClientGone() override { *alive_ = false; }

 private:
  void answer(uint64_t removed);

  server::ResponseSink& sink_;
  core::TaskQueuePtr loop_tasks_;
  filters::cache::CacheServicePtr cache_;
  filters::cache::PurgeKind kind_;
  std::string target_;
  std::string body_;
  // Shared with the completion task, which may run after this handler is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sluice::node
