#pragma once
// A request on a cached route that goes to the origin: a miss being filled, a stored entry being
// revalidated, or a request the cache only passes through (other methods; an unsafe one invalidates
// the URI when it succeeds). It drives a ProxyHandler whose sink it is: responses stream on to the
// client while a storable one is also captured (up to the policy's max_object_size) and stored when
// complete. During a revalidation an origin 304 (or an error that stale-if-error covers) is kept
// from the client, which gets the refreshed (or stale) entry instead.
// Without a client it is a background refresh (stale-while-revalidate), owned by its WorkerCache.
// Worker thread only.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/filters/cache/cache_control.h"
#include "engine/filters/cache/cache_route.h"
#include "engine/filters/cache/cache_status.h"
#include "engine/filters/cache/flight_table.h"
#include "engine/filters/cache/verdict.h"
#include "engine/http/owned_request_head.h"
#include "engine/proxy/proxy_handler.h"
#include "engine/server/response_sink.h"

namespace sluice::filters::cache {

class WorkerCache;

enum class FillMode {
  Fetch,       // a miss: store what comes back if the rules allow
  Revalidate,  // a stored entry needs the origin's word; `stored` holds its record
  Pass,        // not cacheable: forward, and invalidate on a successful unsafe method
};

struct FillPlan {
  FillMode mode = FillMode::Fetch;
  std::string primary;        // primary key (cache_key.h)
  std::string key;            // the full key looked up (primary + '\0' + variant)
  bool leads_flight = false;  // complete the coalescing flight for `key` when done
  bool request_no_store = false;
  bool collapsed = false;     // this request waited for another's fetch first
  Forward fwd = Forward::UriMiss;
  std::string stored;         // Revalidate: the entry's record
  OnError on_error = OnError::PassError;
};

class CacheFillHandler final : public server::RequestHandler, public server::ResponseSink {
 public:
  // `client` is null for a background refresh; `head` must then be owned by the caller for the
  // handler's life (see WorkerCache::startBackgroundRefresh).
  CacheFillHandler(WorkerCache& cache, CacheRoutePtr route, FillPlan plan, const http::RequestHead& head,
                   server::RequestContext& context, server::ResponseSink* client);
  ~CacheFillHandler() override;

  // server::RequestHandler (from the client connection)
  void start() override;
  void onRequestBody(const char* data, size_t length) override { proxy_->onRequestBody(data, length); }
  void onRequestComplete() override { proxy_->onRequestComplete(); }
  size_t pendingInput() const override { return proxy_->pendingInput(); }
  void onOutputDrained() override { proxy_->onOutputDrained(); }
  void onClientGone() override;

  // server::ResponseSink (from the ProxyHandler)
  void startResponse(const server::ResponseStart& start) override;
  bool sendBody(const char* data, size_t length) override;
  void finishResponse() override;
  size_t pendingOutput() const override { return client_ != nullptr ? client_->pendingOutput() : 0; }
  void resumeRequestBody() override;
  void flush() override;
  void sendContinue() override;
  void sendError(int status, std::string_view extra_lines) override;

 private:
  enum class Intercept { None, NotModified, ServeStored };

  void planCapture(const server::ResponseStart& start);
  void appendStatusLine(const server::ResponseStart& start, const CacheStatus& status);
  void storeCaptured();
  void refreshFromNotModified();
  void serveStored(server::ResponseSink& client);
  void invalidate(const server::ResponseStart& start);
  void completeFlight();
  static std::vector<std::string> tagsOf(const http::HeaderList& headers);

  static constexpr size_t kMaxTags = 64;  // per response; further tags are ignored

  WorkerCache& cache_;
  CacheRoutePtr route_;
  FillPlan plan_;
  const http::RequestHead& client_head_;
  const CacheControl request_cc_;
  std::optional<http::OwnedRequestHead> upstream_head_;  // Revalidate: the head with our validators
  server::RequestContext& context_;
  server::ResponseSink* client_;
  std::unique_ptr<proxy::ProxyHandler> proxy_;

  int64_t request_time_s_ = 0;
  int64_t response_time_s_ = 0;
  int status_ = 0;
  Intercept intercept_ = Intercept::None;
  bool capturing_ = false;
  bool finished_ = false;
  bool uncacheable_ = false;  // the origin's answer may not be stored: waiters fetch on their own
  bool gone_ = false;         // the client went away
  std::string header_block_;  // the response's storable fields (captured, or the 304's)
  std::string body_;          // captured body
  std::string extra_lines_;   // the proxy's extra lines plus Cache-Status
  std::vector<std::string> tags_;
  FlightResultPtr result_;
};

}  // namespace sluice::filters::cache
