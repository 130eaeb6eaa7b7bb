#pragma once
// A request-path stage. Filters run in the order of the table in filter_chain.cpp after routing and
// before the route's handler. A filter that answers the request itself (e.g. a 429 from a rate
// limit) returns Stop after writing to the sink; otherwise Continue. Filter objects are built once
// per config snapshot per worker and are used only on that worker's thread.

#include "engine/config/config.h"
#include "engine/http/message_head.h"
#include "engine/server/request_context.h"
#include "engine/server/response_sink.h"

namespace sluice::stats {
class WorkerStats;
}
namespace sluice::rate_limit {
class LimiterTable;
}

namespace sluice::filters {

// What a filter is built from: the config snapshot, and the worker's and node's shared parts.
struct FilterEnv {
  const config::Config& config;
  stats::WorkerStats& stats;                // this worker's metrics
  rate_limit::LimiterTable* rate_limits;    // node-wide; null only in tests that need none
};

enum class FilterStatus { Continue, Stop };

class RequestFilter {
 public:
  virtual ~RequestFilter() = default;
  virtual FilterStatus onRequest(const http::RequestHead& head, server::RequestContext& context,
                                 server::ResponseSink& sink) = 0;
};

}  // namespace sluice::filters
