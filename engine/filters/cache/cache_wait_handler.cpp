#include "engine/filters/cache/cache_wait_handler.h"

#include "engine/filters/cache/cache_key.h"
#include "engine/filters/cache/cached_response.h"
#include "engine/filters/cache/worker_cache.h"

namespace sluice::filters::cache {

CacheWaitHandler::CacheWaitHandler(WorkerCache& cache, CacheRoutePtr route, FillPlan plan,
                                   const http::RequestHead& head, server::RequestContext& context,
                                   server::ResponseSink& sink, WaitSlot slot, uint64_t waiter_id)
    : cache_(cache),
      route_(std::move(route)),
      plan_(std::move(plan)),
      head_(head),
      context_(context),
      sink_(sink),
      slot_(std::move(slot)),
      waiter_id_(waiter_id) {
  *slot_ = this;
}

CacheWaitHandler::~CacheWaitHandler() { stopWaiting(); }

void CacheWaitHandler::start() {
  route_->stats->count(stats::CacheCounter::Collapsed);
  timer_ = core::Timer::create(cache_.loop(), [this] {
    // Waited long enough: fetch without waiting for anyone again.
    stopWaiting();
    fetch(false);
  });
  timer_->start(static_cast<uint64_t>(route_->policy->lock_timeout.count()));
}

void CacheWaitHandler::stopWaiting() {
  if (timer_ != nullptr) {
    timer_->close();
    timer_ = nullptr;
  }
  if (*slot_ == this) {
    *slot_ = nullptr;
    cache_.flights().leave(plan_.key, waiter_id_);
  }
}

void CacheWaitHandler::onRequestBody(const char* data, size_t length) {
  if (fill_) {
    fill_->onRequestBody(data, length);
  }
}

void CacheWaitHandler::onRequestComplete() {
  request_complete_ = true;
  if (fill_) {
    fill_->onRequestComplete();
  }
}

void CacheWaitHandler::onOutputDrained() {
  if (fill_) {
    fill_->onOutputDrained();
  }
}

void CacheWaitHandler::onClientGone() {
  gone_ = true;
  stopWaiting();
  if (fill_) {
    fill_->onClientGone();
  }
}

void CacheWaitHandler::onFlight(FlightOutcome outcome, const FlightResultPtr& result) {
  // The flight is over: this waiter is no longer in it.
  *slot_ = nullptr;
  if (timer_ != nullptr) {
    timer_->close();
    timer_ = nullptr;
  }
  if (gone_) {
    return;
  }
  if (outcome == FlightOutcome::Stored && result) {
    std::optional<RecordView> record = decodeRecord(result->record);
    const bool same_variant =
        record && (record->meta.vary.empty() || variantKey(plan_.primary, head_, record->meta.vary) == result->key);
    if (same_variant) {
      CacheStatus status;
      status.fwd = plan_.fwd;
      status.fwd_status = record->meta.status;
      status.collapsed = true;
      cache_.answerFromRecord(head_, sink_, result->record, status);
      return;
    }
  }
  fetch(outcome == FlightOutcome::Aborted);
}

void CacheWaitHandler::fetch(bool coalesce) {
  if (coalesce) {
    // Join again: lead the next fetch, or wait for the waiter that leads it.
    uint64_t id = 0;
    WaitSlot slot = slot_;
    const bool lead = cache_.flights().join(
        plan_.key, cache_.tasks(),
        [slot](FlightOutcome o, const FlightResultPtr& r) {
          if (*slot != nullptr) {
            (*slot)->onFlight(o, r);
          }
        },
        id);
    if (!lead) {
      waiter_id_ = id;
      *slot_ = this;
      start();
      return;
    }
    plan_.leads_flight = true;
  }
  plan_.collapsed = true;
  fill_ = cache_.makeFill(route_, plan_, head_, context_, sink_);
  fill_->start();
  if (request_complete_ && fill_) {
    fill_->onRequestComplete();
  }
}

}  // namespace sluice::filters::cache
