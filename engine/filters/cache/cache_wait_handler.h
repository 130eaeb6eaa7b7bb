#pragma once
// A miss that found another request already fetching the same key (request coalescing): it waits
// for that fetch, up to the policy's lock_timeout, and then serves the stored result, or fetches on
// its own when the result may not be shared (or is another Vary variant), the leader gave up (it
// joins again: one of the waiters leads), or the wait timed out. Worker thread only.

#include <memory>

#include "engine/core/timer.h"
#include "engine/filters/cache/cache_fill_handler.h"
#include "engine/filters/cache/flight_table.h"

namespace sluice::filters::cache {

// Filled with the waiting handler while it waits; the flight's notification finds it through this
// (or finds null: the handler is gone).
using WaitSlot = std::shared_ptr<class CacheWaitHandler*>;

class CacheWaitHandler final : public server::RequestHandler {
 public:
  CacheWaitHandler(WorkerCache& cache, CacheRoutePtr route, FillPlan plan, const http::RequestHead& head,
                   server::RequestContext& context, server::ResponseSink& sink, WaitSlot slot, uint64_t waiter_id);
  ~CacheWaitHandler() override;

  void start() override;
  void onRequestBody(const char* data, size_t length) override;
  void onRequestComplete() override;
  size_t pendingInput() const override { return fill_ ? fill_->pendingInput() : 0; }
  void onOutputDrained() override;
  void onClientGone() override;

  void onFlight(FlightOutcome outcome, const FlightResultPtr& result);

 private:
  void stopWaiting();
  void fetch(bool coalesce);

  WorkerCache& cache_;
  CacheRoutePtr route_;
  FillPlan plan_;
  const http::RequestHead& head_;
  server::RequestContext& context_;
  server::ResponseSink& sink_;
  WaitSlot slot_;
  uint64_t waiter_id_;
  core::Timer* timer_ = nullptr;
  std::unique_ptr<CacheFillHandler> fill_;  // once it fetches on its own
  bool request_complete_ = false;
  bool gone_ = false;
};

}  // namespace sluice::filters::cache
