#pragma once
// The filters of one config snapshot on one worker, in their fixed order.

#include <memory>
#include <vector>

#include "engine/config/config.h"
#include "engine/filters/filter.h"

namespace sluice::filters {

class FilterChain {
 public:
  explicit FilterChain(const FilterEnv& env);

  // Stop when a filter answered the request.
  FilterStatus run(const http::RequestHead& head, server::RequestContext& context, server::ResponseSink& sink);

 private:
  std::vector<std::unique_ptr<RequestFilter>> filters_;
};

}  // namespace sluice::filters
