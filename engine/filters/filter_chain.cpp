#include "engine/filters/filter_chain.h"

#include "engine/filters/rate_limit/rate_limit_filter.h"
#include "engine/filters/request_id/request_id_filter.h"

namespace sluice::filters {
namespace {

using Factory = std::unique_ptr<RequestFilter> (*)(const FilterEnv&);

// The one table of request-path stages, in the order they run. Rate limits run after the request
// id, so a 429 carries it too.
constexpr Factory kFilterTable[] = {
    &RequestIdFilter::create,
    &RateLimitFilter::create,
};

}  // namespace

FilterChain::FilterChain(const FilterEnv& env) {
  for (Factory make : kFilterTable) {
    if (std::unique_ptr<RequestFilter> f = make(env)) {
      filters_.push_back(std::move(f));
    }
  }
}

FilterStatus FilterChain::run(const http::RequestHead& head, server::RequestContext& context,
                              server::ResponseSink& sink) {
  for (const auto& f : filters_) {
    if (f->onRequest(head, context, sink) == FilterStatus::Stop) {
      return FilterStatus::Stop;
    }
  }
  return FilterStatus::Continue;
}

}  // namespace sluice::filters
