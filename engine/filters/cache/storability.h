#pragma once
// Whether a response may be stored (RFC 9111, 3, for a shared cache), plus Sluice's stricter
// policies. Pure; called once per upstream response on a cacheable route.

#include <cstdint>
#include <string_view>

#include "engine/filters/cache/cache_control.h"
#include "engine/http/message_head.h"

namespace sluice::filters::cache {

enum class StoreReason : uint8_t {
  Stored,
  Method,          // only GET responses are stored; HEAD is answered from the GET entry
  Status,          // status not understood / not cacheable (see cacheable_status.h)
  RequestNoStore,  // the request said no-store
  NoStore,         // the response said no-store (must-understand with an understood status overrides)
  Private,         // private, qualified or not
  Authorization,   // request had Authorization; response lacks public, s-maxage and must-revalidate
  SetCookie,       // Sluice policy: a response setting a cookie is never shared
  VaryStar,        // Vary: * can never match a later request
  NoFreshness,     // e.g. a 302 without max-age, s-maxage, Expires or public
};

struct StoreDecision {
  bool store = false;
  StoreReason reason = StoreReason::Stored;
};

// The checks run in the order of StoreReason; the first that fails is the reason.
StoreDecision decideStore(const http::RequestHead& request, const http::ResponseHead& response,
                          const CacheControl& request_cc, const CacheControl& response_cc);

// A short sf-token for Cache-Status "detail=" ("" for Stored): "method", "status", "request-no-store",
// "no-store", "private", "authorization", "set-cookie", "vary-star", "no-freshness".
std::string_view storeReasonText(StoreReason reason);

}  // namespace sluice::filters::cache
