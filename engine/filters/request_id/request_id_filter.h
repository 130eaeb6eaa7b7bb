#pragma once
// X-Request-ID: the client's value is kept when it is 1-128 characters of [A-Za-z0-9._:-];
// otherwise (absent or invalid) a random 32-hex-digit id is generated. The id goes upstream, back
// to the client, and into the access log.

#include <cstdint>
#include <memory>
#include <string_view>

#include "engine/filters/filter.h"

namespace sluice::filters {

class RequestIdFilter final : public RequestFilter {
 public:
  static std::unique_ptr<RequestFilter> create(const FilterEnv& env);
  static bool isValid(std::string_view id);

  RequestIdFilter();
  FilterStatus onRequest(const http::RequestHead& head, server::RequestContext& context,
                         server::ResponseSink& sink) override;

 private:
  uint64_t next();
  uint64_t state_[2];
};

}  // namespace sluice::filters
