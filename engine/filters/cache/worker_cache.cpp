#include "engine/filters/cache/worker_cache.h"

#include <ctime>

#include "engine/filters/cache/cache_control.h"
#include "engine/filters/cache/cache_fill_handler.h"
#include "engine/filters/cache/cache_key.h"
#include "engine/filters/cache/cache_wait_handler.h"
#include "engine/filters/cache/cached_response.h"
#include "engine/filters/cache/conditional.h"
#include "engine/filters/cache/invalidation.h"
#include "engine/filters/cache/revalidation.h"
#include "engine/filters/cache/stored_response_writer.h"
#include "engine/filters/cache/vary_record.h"
#include "engine/filters/cache/verdict.h"
#include "engine/log/logger.h"

namespace sluice::filters::cache {

// A background refresh owns what its handler refers to: the request head and context.
struct WorkerCache::Background {
  Background(const http::RequestHead& head, const server::RequestContext& client_context)
      : head(head, {}, {}) {
    context.request_id = client_context.request_id;
    context.client_ip = client_context.client_ip;
    context.route = client_context.route;
    context.config = client_context.config;
    context.start = client_context.start;
  }
  http::OwnedRequestHead head;
  server::RequestContext context;
  std::unique_ptr<CacheFillHandler> handler;
};

WorkerCache::WorkerCache(uv_loop_t* loop, CacheServicePtr service, core::TaskQueuePtr tasks, core::Reaper& reaper)
    : loop_(loop), service_(std::move(service)), tasks_(std::move(tasks)), reaper_(reaper) {
  reader_ = service_->store().reader();
  if (!reader_) {
    log::error("cache: no LMDB reader slot for this worker: its lookups will all miss");
  }
  key_.reserve(1024);
  scratch_.reserve(4096);
}

WorkerCache::~WorkerCache() { shutdown(); }

void WorkerCache::shutdown() {
  auto all = std::move(background_);
  background_.clear();
  for (auto& [handler, background] : all) {
    background->handler->onClientGone();
    reaper_.retire(std::move(background));
  }
}

int64_t WorkerCache::nowSeconds() { return static_cast<int64_t>(std::time(nullptr)); }

bool WorkerCache::put(const FlightResultPtr& entry, uint64_t reclaim_at_ms, std::vector<std::string> tags) {
  storage::PutRequest request;
  request.key = entry->key;
  request.value = entry->record;
  request.reclaim_at_ms = reclaim_at_ms;
  request.tags = std::move(tags);
  // Visible to lookups until the writer has committed it (runs on the writer thread).
  PendingWrites& pending = service_->pending();
  pending.add(entry);
  request.settled = [&pending, entry] { pending.settled(entry.get()); };
  if (!service_->store().put(std::move(request))) {
    pending.settled(entry.get());
    return false;
  }
  return true;
}

void WorkerCache::invalidate(std::string key_prefix) {
  PendingWrites& pending = service_->pending();
  pending.clear();
  // Gone for lookups now; gone from the store once the writer has run the purge.
  pending.beginInvalidation(key_prefix);
  std::string prefix = key_prefix;
  service_->store().purgePrefix(std::move(key_prefix),
                                [&pending, prefix = std::move(prefix)](uint64_t) { pending.endInvalidation(prefix); });
}

void WorkerCache::answerFromRecord(const http::RequestHead& head, server::ResponseSink& sink, std::string_view record,
                                   CacheStatus status) {
  std::optional<RecordView> view = decodeRecord(record);
  if (!view) {
    sink.sendError(502);
    return;
  }
  const int64_t now = nowSeconds();
  const int64_t age = currentAge(view->meta, now);
  if (status.fwd == Forward::None) {
    status.has_ttl = true;
    status.ttl = view->meta.freshness_lifetime_s - age;
  }
  char cache_status[256];
  const size_t n = formatCacheStatus(status, cache_status, sizeof(cache_status));
  const std::string_view status_text(cache_status, n);
  switch (evaluateConditionals(head, *view, now)) {
    case ConditionalResult::NotModified:
      writeNotModified(sink, scratch_, notModifiedHeaderBlock(view->header_block), age, status_text);
      return;
    case ConditionalResult::PreconditionFailed:
      sink.sendError(412);
      return;
    case ConditionalResult::Serve:
      break;
  }
  writeStoredResponse(sink, scratch_, {view->meta.status, view->header_block, view->body, age}, status_text);
}

std::unique_ptr<CacheFillHandler> WorkerCache::makeFill(const CacheRoutePtr& route, FillPlan plan,
                                                        const http::RequestHead& head, server::RequestContext& context,
                                                        server::ResponseSink& sink) {
  return std::make_unique<CacheFillHandler>(*this, route, std::move(plan), head, context, &sink);
}

void WorkerCache::backgroundDone(CacheFillHandler* handler) {
  auto it = background_.find(handler);
  if (it == background_.end()) {
    return;
  }
  reaper_.retire(std::move(it->second));
  background_.erase(it);
}

std::string_view WorkerCache::lookup(const std::string& key, storage::ReadView& view, FlightResultPtr& pending) {
  view = storage::ReadView();  // one live view per reader
  pending.reset();
  if (reader_) {
    view = reader_->get(key);
    if (view.found() && !service_->pending().invalidated(key)) {
      return view.value();
    }
    view = storage::ReadView();
  }
  pending = service_->pending().find(key);
  return pending ? std::string_view(pending->record) : std::string_view();
}

server::Dispatch WorkerCache::dispatch(const http::RequestHead& head, server::RequestContext& context,
                                       server::ResponseSink& sink, const CacheRoutePtr& route) {
  server::Dispatch d;
  const bool is_get = head.method == "GET";
  if (!is_get && !head.isHead()) {
    // Other methods pass through; an unsafe one invalidates what it changed once it succeeds.
    FillPlan plan;
    plan.mode = FillMode::Pass;
    plan.fwd = isSafeMethod(head.method) ? Forward::Bypass : Forward::Method;
    d.handler = makeFill(route, std::move(plan), head, context, sink);
    return d;
  }
  const CacheControl request_cc = requestCacheControl(head.headers);
  FillPlan plan;
  plan.primary = primaryKey(head);
  plan.request_no_store = request_cc.no_store;
  key_.assign(plan.primary).push_back(kVariantSeparator);
  storage::ReadView view;
  FlightResultPtr pending;
  std::string_view found = lookup(key_, view, pending);
  if (!found.empty() && isVaryRecord(found)) {
    std::optional<VaryRecordView> vary = decodeVaryRecord(found);
    const std::string names = vary ? std::string(vary->names) : std::string();
    key_ = variantKey(plan.primary, head, names);
    found = lookup(key_, view, pending);
    plan.fwd = Forward::VaryMiss;
  }
  if (!found.empty()) {
    bool answered = false;
    const bool served = serveFound(head, sink, *route, found, request_cc, plan, answered);
    view = storage::ReadView();  // the read txn ends here, before anything asynchronous
    if (served) {
      d.answered = answered;
      service_->store().touch(key_);  // only queues
      if (plan.mode == FillMode::Revalidate) {
        plan.key = key_;
        startBackgroundRefresh(head, context, route, std::move(plan));
      }
      return d;
    }
    if (plan.mode == FillMode::Revalidate) {
      plan.key = key_;
      route->stats->count(stats::CacheCounter::Revalidations);
      return fetch(head, context, sink, route, std::move(plan), !head.hasBody());
    }
  }
  view = storage::ReadView();
  plan.key = key_;
  if (request_cc.only_if_cached) {
    CacheStatus status;
    status.fwd = plan.fwd;
    status.detail = "only-if-cached";
    char text[128];
    const size_t n = formatCacheStatus(status, text, sizeof(text));
    scratch_.assign("Cache-Status: ").append(text, n).append("\r\n");
    sink.sendError(504, scratch_);
    d.answered = true;
    return d;
  }
  route->stats->count(stats::CacheCounter::Misses);
  // A client's own validators go upstream with its miss: the origin may answer 304, which is passed
  // on and not stored. Such a request does not wait for (or lead) a shared fetch, nor does a HEAD
  // (its answer is never stored) or a request with a body.
  bool conditional = false;
  for (const http::HeaderField& h : head.headers) {
    conditional = conditional || isCacheValidatorField(h.name);
  }
  return fetch(head, context, sink, route, std::move(plan), is_get && !conditional && !head.hasBody());
}

bool WorkerCache::serveFound(const http::RequestHead& head, server::ResponseSink& sink, const CacheRoute& route,
                             std::string_view record, const CacheControl& request_cc, FillPlan& plan,
                             bool& answered) {
  std::optional<RecordView> view = decodeRecord(record);
  if (!view) {
    log::warn("cache: dropping an unreadable entry for {}", plan.primary);
    service_->store().erase(key_);
    return false;
  }
  const int64_t now = nowSeconds();
  const Verdict verdict = evaluate(view->meta, request_cc, now);
  CacheStatus status;
  switch (verdict.action) {
    case Action::Fresh:
    case Action::StaleWhileRevalidate: {
      status.has_ttl = true;
      status.ttl = verdict.ttl_s;
      status.detail = verdictDetail(verdict.reason);
      route.stats->count(verdict.action == Action::Fresh ? stats::CacheCounter::Hits : stats::CacheCounter::Stale);
      char text[256];
      const size_t n = formatCacheStatus(status, text, sizeof(text));
      const std::string_view status_text(text, n);
      switch (evaluateConditionals(head, *view, now)) {
        case ConditionalResult::NotModified:
          writeNotModified(sink, scratch_, notModifiedHeaderBlock(view->header_block), verdict.age_s, status_text);
          break;
        case ConditionalResult::PreconditionFailed:
          sink.sendError(412);
          break;
        case ConditionalResult::Serve:
          writeStoredResponse(sink, scratch_, {view->meta.status, view->header_block, view->body, verdict.age_s},
                              status_text);
          break;
      }
      answered = true;
      if (verdict.action == Action::StaleWhileRevalidate) {
        // The caller starts a background refresh with this plan once the read txn is over.
        plan.mode = FillMode::Revalidate;
        plan.stored.assign(record);
        plan.on_error = verdict.on_error;
        plan.fwd = Forward::Stale;
      }
      return true;
    }
    case Action::Unsatisfiable: {
      status.fwd = Forward::Request;
      status.detail = "only-if-cached";
      char text[128];
      const size_t n = formatCacheStatus(status, text, sizeof(text));
      scratch_.assign("Cache-Status: ").append(text, n).append("\r\n");
      sink.sendError(504, scratch_);
      answered = true;
      return true;
    }
    case Action::Revalidate:
      plan.mode = FillMode::Revalidate;
      plan.stored.assign(record);
      plan.on_error = verdict.on_error;
      plan.fwd = verdict.reason == VerdictReason::Stale || verdict.reason == VerdictReason::ResponseNoCache
                     ? Forward::Stale
                     : Forward::Request;
      return false;
  }
  return false;
}

server::Dispatch WorkerCache::fetch(const http::RequestHead& head, server::RequestContext& context,
                                    server::ResponseSink& sink, const CacheRoutePtr& route, FillPlan plan,
                                    bool coalesce) {
  server::Dispatch d;
  if (coalesce) {
    auto slot = std::make_shared<CacheWaitHandler*>(nullptr);
    uint64_t waiter = 0;
    const bool lead = flights().join(
        plan.key, tasks_,
        [slot](FlightOutcome outcome, const FlightResultPtr& result) {
          if (*slot != nullptr) {
            (*slot)->onFlight(outcome, result);
          }
        },
        waiter);
    if (!lead) {
      d.handler = std::make_unique<CacheWaitHandler>(*this, route, std::move(plan), head, context, sink, slot, waiter);
      return d;
    }
    plan.leads_flight = true;
  }
  d.handler = makeFill(route, std::move(plan), head, context, sink);
  return d;
}

void WorkerCache::startBackgroundRefresh(const http::RequestHead& head, const server::RequestContext& context,
                                         const CacheRoutePtr& route, FillPlan plan) {
  if (head.hasBody() || background_.size() >= kMaxBackground) {
    return;  // the entry stays stale; a later request in the window tries again
  }
  // One refresh per key across all workers: a key already being fetched needs no second one.
  uint64_t waiter = 0;
  if (!flights().join(plan.key, tasks_, [](FlightOutcome, const FlightResultPtr&) {}, waiter)) {
    flights().leave(plan.key, waiter);
    return;
  }
  plan.leads_flight = true;
  route->stats->count(stats::CacheCounter::Revalidations);
  auto background = std::make_unique<Background>(head, context);
  background->handler = std::make_unique<CacheFillHandler>(*this, route, std::move(plan), background->head.head(),
                                                           background->context, nullptr);
  CacheFillHandler* handler = background->handler.get();
  background_.emplace(handler, std::move(background));
  handler->start();
  handler->onRequestComplete();
}

}  // namespace sluice::filters::cache
