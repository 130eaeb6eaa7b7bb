#include "engine/filters/filter_chain.h"

#include "engine/filters/request_id/request_id_filter.h"

namespace sluice::filters {
namespace {

using Factory = std::unique_ptr<RequestFilter> (*)(const config::Config&);

// The one table of request-path stages, in the order they run.
constexpr Factory kFilterTable[] = {
    &RequestIdFilter::create,
};

}  // namespace

FilterChain::FilterChain(const config::Config& config) {
  for (Factory make : kFilterTable) {
    if (std::unique_ptr<RequestFilter> f = make(config)) {
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
