#include "engine/filters/cache/cache_fill_handler.h"

#include "engine/filters/cache/cache_control.h"
#include "engine/filters/cache/cache_key.h"
#include "engine/filters/cache/cached_response.h"
#include "engine/filters/cache/conditional.h"
#include "engine/filters/cache/header_block.h"
#include "engine/filters/cache/invalidation.h"
#include "engine/filters/cache/record_builder.h"
#include "engine/filters/cache/revalidation.h"
#include "engine/filters/cache/storability.h"
#include "engine/filters/cache/stored_response_writer.h"
#include "engine/filters/cache/vary_record.h"
#include "engine/filters/cache/worker_cache.h"

namespace sluice::filters::cache {
namespace {

http::ResponseHead responseHeadOf(const server::ResponseStart& start) {
  http::ResponseHead head;
  head.status = start.status;
  if (start.headers != nullptr) {
    head.headers = *start.headers;
  }
  head.has_content_length = start.has_content_length;
  head.content_length = start.content_length;
  return head;
}

}  // namespace

CacheFillHandler::CacheFillHandler(WorkerCache& cache, CacheRoutePtr route, FillPlan plan,
                                   const http::RequestHead& head, server::RequestContext& context,
                                   server::ResponseSink* client)
    : cache_(cache),
      route_(std::move(route)),
      plan_(std::move(plan)),
      client_head_(head),
      request_cc_(requestCacheControl(head.headers)),
      context_(context),
      client_(client) {
  const http::RequestHead* upstream = &head;
  if (plan_.mode == FillMode::Revalidate) {
    // Our validators replace the client's: the origin's 304 must answer the cache, which then
    // answers the client's own conditional from the refreshed entry.
    std::optional<RecordView> stored = decodeRecord(plan_.stored);
    const std::string lines = stored ? conditionalHeaders(stored->meta) : std::string();
    upstream_head_.emplace(head, std::initializer_list<std::string_view>{"if-none-match", "if-modified-since"},
                           parseHeaderBlock(lines));
    upstream = &upstream_head_->head();
  }
  proxy_ = std::make_unique<proxy::ProxyHandler>(route_->pool, *upstream, context_, *this, *route_->counters,
                                                 route_->proxy_policy);
}

CacheFillHandler::~CacheFillHandler() { completeFlight(); }

void CacheFillHandler::start() {
  request_time_s_ = cache_.nowSeconds();
  proxy_->start();
}

void CacheFillHandler::onClientGone() {
  client_ = nullptr;
  gone_ = true;
  proxy_->onClientGone();
  completeFlight();
}

void CacheFillHandler::startResponse(const server::ResponseStart& start) {
  response_time_s_ = cache_.nowSeconds();
  status_ = start.status;
  if (plan_.mode == FillMode::Revalidate) {
    std::optional<RecordView> stored = decodeRecord(plan_.stored);
    if (start.status == 304 && stored) {
      // Kept whole (Age included) for refreshRecord(); an ETag that does not match means the origin
      // answered a question we did not ask: serve what we have rather than a body-less 304.
      intercept_ = start.headers != nullptr && notModifiedApplies(stored->meta, *start.headers)
                       ? Intercept::NotModified
                       : Intercept::ServeStored;
      if (start.headers != nullptr) {
        for (const http::HeaderField& h : *start.headers) {
          appendHeaderLine(header_block_, h.name, h.value);
        }
      }
      return;
    }
    if (stored && isStaleIfErrorStatus(start.status) &&
        servesStoredOnError(stored->meta, request_cc_, response_time_s_)) {
      intercept_ = Intercept::ServeStored;
      return;
    }
  }
  if (plan_.mode == FillMode::Pass) {
    if (start.status < 400) {
      invalidate(start);
    }
    CacheStatus status;
    status.fwd = isSafeMethod(client_head_.method) ? Forward::Bypass : Forward::Method;
    status.fwd_status = start.status;
    appendStatusLine(start, status);
  } else {
    planCapture(start);
  }
  if (client_ != nullptr) {
    server::ResponseStart forwarded = start;
    forwarded.extra_lines = extra_lines_;
    client_->startResponse(forwarded);
  }
}

void CacheFillHandler::appendStatusLine(const server::ResponseStart& start, const CacheStatus& status) {
  extra_lines_.assign(start.extra_lines);
  extra_lines_.append("Cache-Status: ").append(formatCacheStatus(status)).append("\r\n");
}

void CacheFillHandler::planCapture(const server::ResponseStart& start) {
  const http::ResponseHead head = responseHeadOf(start);
  const CacheControl response_cc = responseCacheControl(head.headers);
  const StoreDecision decision = decideStore(client_head_, head, request_cc_, response_cc);
  CacheStatus status;
  status.fwd = plan_.fwd;
  status.fwd_status = start.status;
  status.collapsed = plan_.collapsed;
  const uint64_t max_object = route_->max_object_size;
  if (!decision.store) {
    status.detail = storeReasonText(decision.reason);
    uncacheable_ = true;
    route_->stats->count(stats::CacheCounter::Uncacheable);
  } else if (start.has_content_length && start.content_length > max_object) {
    status.detail = "too-big";
    uncacheable_ = true;
  } else {
    const Freshness freshness =
        computeFreshness(head, response_cc, route_->limits, request_time_s_, response_time_s_);
    const std::string vary = canonicalVary(head.headers);
    const StoredMeta meta =
        storedMetaFor(start.status, head.headers, freshness, request_time_s_, response_time_s_, vary);
    if (worthStoring(meta)) {
      capturing_ = true;
      status.stored = true;
      header_block_ = buildHeaderBlock(head.headers);
      // The block leaves Age out, but the entry's age on arrival counts it (RFC 9111, 4.2.3).
      if (const http::HeaderField* age = http::findHeader(head.headers, "age")) {
        appendHeaderLine(header_block_, age->name, age->value);
      }
      if (start.has_content_length) {
        body_.reserve(static_cast<size_t>(start.content_length));
      }
    } else {
      status.detail = "stale";
      uncacheable_ = true;
    }
  }
  appendStatusLine(start, status);
}

bool CacheFillHandler::sendBody(const char* data, size_t length) {
  if (intercept_ != Intercept::None) {
    return !gone_;  // the body of a 304 or of an error that the stored entry replaces
  }
  if (capturing_) {
    if (body_.size() + length > route_->max_object_size) {
      capturing_ = false;  // a chunked body that turned out too big: it streams through uncached
      uncacheable_ = true;
      std::string().swap(body_);
    } else {
      body_.append(data, length);
    }
  }
  if (client_ != nullptr) {
    return client_->sendBody(data, length);
  }
  return !gone_;
}

void CacheFillHandler::storeCaptured() {
  capturing_ = false;
  http::ResponseHead head;
  head.status = status_;
  head.headers = parseHeaderBlock(header_block_);
  std::string record =
      buildRecord(head, responseCacheControl(head.headers), route_->limits, request_time_s_, response_time_s_, body_);
  std::string().swap(body_);
  std::optional<RecordView> view = decodeRecord(record);
  if (!view) {
    return;
  }
  const uint64_t reclaim = reclaimAt(view->meta);
  const std::vector<std::string> tags = tagsOf(head.headers);
  auto result = std::make_shared<FlightResult>();
  result->key = plan_.key;
  if (!view->meta.vary.empty()) {
    result->key = variantKey(plan_.primary, client_head_, view->meta.vary);
    auto vary = std::make_shared<FlightResult>();
    vary->key = plan_.primary;
    vary->key.push_back(kVariantSeparator);
    vary->record = encodeVaryRecord(view->meta.vary, reclaim);
    cache_.put(vary, reclaim, {});
  }
  const size_t bytes = record.size();
  result->record = std::move(record);
  if (cache_.put(result, reclaim, tags)) {
    route_->stats->count(stats::CacheCounter::Stores);
    route_->stats->count(stats::CacheCounter::StoredBytes, bytes);
  }
  result_ = std::move(result);
}

void CacheFillHandler::refreshFromNotModified() {
  std::optional<RecordView> stored = decodeRecord(plan_.stored);
  if (!stored) {
    return;
  }
  http::ResponseHead not_modified;
  not_modified.status = 304;
  not_modified.headers = parseHeaderBlock(header_block_);
  std::optional<std::string> refreshed =
      refreshRecord(*stored, not_modified, route_->limits, request_time_s_, response_time_s_);
  if (!refreshed) {
    return;
  }
  route_->stats->count(stats::CacheCounter::NotModified);
  std::optional<RecordView> view = decodeRecord(*refreshed);
  if (!view) {
    return;
  }
  const uint64_t reclaim = reclaimAt(view->meta);
  std::vector<std::string> tags = tagsOf(parseHeaderBlock(view->header_block));
  auto result = std::make_shared<FlightResult>();
  result->key = plan_.key;
  result->record = std::move(*refreshed);
  if (cache_.put(result, reclaim, std::move(tags))) {
    route_->stats->count(stats::CacheCounter::Stores);
    route_->stats->count(stats::CacheCounter::StoredBytes, result->record.size());
  }
  result_ = std::move(result);
}

void CacheFillHandler::finishResponse() {
  finished_ = true;
  if (intercept_ == Intercept::NotModified) {
    refreshFromNotModified();
  } else if (intercept_ == Intercept::None && capturing_) {
    storeCaptured();
  }
  completeFlight();
  if (client_ == nullptr) {
    cache_.backgroundDone(this);
    return;
  }
  server::ResponseSink* client = client_;
  if (intercept_ == Intercept::NotModified && result_) {
    CacheStatus status;
    status.fwd = plan_.fwd;
    status.fwd_status = 304;
    status.stored = true;
    status.collapsed = plan_.collapsed;
    cache_.answerFromRecord(client_head_, *client, result_->record, status);
    return;
  }
  if (intercept_ != Intercept::None) {
    serveStored(*client);
    return;
  }
  client->finishResponse();  // last: the connection may move on to its next request
}

void CacheFillHandler::serveStored(server::ResponseSink& client) {
  CacheStatus status;
  status.detail = "stale-if-error";
  route_->stats->count(stats::CacheCounter::Stale);
  cache_.answerFromRecord(client_head_, client, plan_.stored, status);
}

void CacheFillHandler::sendError(int status, std::string_view extra_lines) {
  const bool response_started = status_ != 0 && intercept_ == Intercept::None;
  capturing_ = false;
  completeFlight();
  if (client_ == nullptr) {
    cache_.backgroundDone(this);
    return;
  }
  server::ResponseSink* client = client_;
  if (!response_started && plan_.mode == FillMode::Revalidate) {
    std::optional<RecordView> stored = decodeRecord(plan_.stored);
    if (stored && (intercept_ == Intercept::ServeStored ||
                   servesStoredOnError(stored->meta, request_cc_, cache_.nowSeconds()))) {
      serveStored(*client);
      return;
    }
    if (plan_.on_error == OnError::Gateway504) {
      client->sendError(504, extra_lines);
      return;
    }
  }
  client->sendError(status, extra_lines);
}

void CacheFillHandler::resumeRequestBody() {
  if (client_ != nullptr) {
    client_->resumeRequestBody();
  }
}

void CacheFillHandler::flush() {
  if (client_ != nullptr && intercept_ == Intercept::None) {
    client_->flush();
  }
}

void CacheFillHandler::sendContinue() {
  if (client_ != nullptr) {
    client_->sendContinue();
  }
}

void CacheFillHandler::invalidate(const server::ResponseStart& start) {
  for (std::string& key : invalidatedKeys(client_head_, responseHeadOf(start))) {
    key.push_back(kVariantSeparator);
    cache_.invalidate(std::move(key));
  }
}

void CacheFillHandler::completeFlight() {
  if (!plan_.leads_flight) {
    return;
  }
  plan_.leads_flight = false;
  FlightOutcome outcome = FlightOutcome::Aborted;
  if (result_) {
    outcome = FlightOutcome::Stored;
  } else if (uncacheable_ && finished_) {
    outcome = FlightOutcome::Uncacheable;
  }
  cache_.flights().complete(plan_.key, outcome, result_);
}

std::vector<std::string> CacheFillHandler::tagsOf(const http::HeaderList& headers) {
  // Cache-Tag lists are comma-separated, Surrogate-Key lists space-separated: accept both in both.
  std::vector<std::string> tags;
  for (const http::HeaderField& h : headers) {
    if (!http::equalsIgnoreCase(h.name, "cache-tag") && !http::equalsIgnoreCase(h.name, "surrogate-key")) {
      continue;
    }
    std::string_view rest = h.value;
    while (!rest.empty()) {
      const size_t end = rest.find_first_of(", \t");
      const std::string_view tag = rest.substr(0, end);
      if (!tag.empty() && tags.size() < kMaxTags) {
        tags.emplace_back(tag);
      }
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }
  return tags;
}

}  // namespace sluice::filters::cache
