#include "engine/filters/cache/storability.h"

#include "engine/filters/cache/cacheable_status.h"

namespace sluice::filters::cache {

namespace {

using http::equalsIgnoreCase;
using http::HeaderField;

bool hasField(const http::HeaderList& headers, std::string_view name) {
  return http::findHeader(headers, name) != nullptr;
}

bool varyHasStar(const http::HeaderList& headers) {
  for (const HeaderField& h : headers) {
    if (equalsIgnoreCase(h.name, "vary") && http::listContainsToken(h.value, "*")) {
      return true;
    }
  }
  return false;
}

StoreDecision refuse(StoreReason reason) {
  return StoreDecision{false, reason};
}

}  // namespace

StoreDecision decideStore(const http::RequestHead& request, const http::ResponseHead& response,
                          const CacheControl& request_cc, const CacheControl& response_cc) {
  if (request.method != "GET") {
    return refuse(StoreReason::Method);
  }
  const bool understood = isUnderstoodStatus(response.status);
  if (!understood) {
    return refuse(StoreReason::Status);
  }
  if (request_cc.no_store) {
    return refuse(StoreReason::RequestNoStore);
  }
  // must-understand lets a cache that implements the status ignore no-store (RFC 9111, 5.2.2.3);
  // an unknown status was refused above.
  if (response_cc.no_store && !response_cc.must_understand) {
    return refuse(StoreReason::NoStore);
  }
  if (response_cc.is_private) {
    return refuse(StoreReason::Private);
  }
  if (hasField(request.headers, "authorization") &&
      !(response_cc.is_public || response_cc.s_maxage || response_cc.must_revalidate)) {
    return refuse(StoreReason::Authorization);  // RFC 9111, 3.5
  }
  if (hasField(response.headers, "set-cookie")) {
    return refuse(StoreReason::SetCookie);
  }
  if (varyHasStar(response.headers)) {
    return refuse(StoreReason::VaryStar);
  }
  // RFC 9111, 3: explicit freshness, public, or a heuristically cacheable status. A broken max-age
  // still counts as explicit: the entry is then stored stale, to be revalidated.
  const bool explicit_freshness = response_cc.max_age || response_cc.s_maxage ||
                                  response_cc.invalid_freshness || hasField(response.headers, "expires");
  if (!explicit_freshness && !response_cc.is_public && !isHeuristicallyCacheable(response.status)) {
    return refuse(StoreReason::NoFreshness);
  }
  return StoreDecision{true, StoreReason::Stored};
}

std::string_view storeReasonText(StoreReason reason) {
  switch (reason) {
    case StoreReason::Stored:
      return "";
    case StoreReason::Method:
      return "method";
    case StoreReason::Status:
      return "status";
    case StoreReason::NoFreshness:
      return "no-freshness";
    case StoreReason::RequestNoStore:
      return "request-no-store";
    case StoreReason::NoStore:
      return "no-store";
    case StoreReason::Private:
      return "private";
    case StoreReason::Authorization:
      return "authorization";
    case StoreReason::SetCookie:
      return "set-cookie";
    case StoreReason::VaryStar:
      return "vary-star";
  }
  return "";
}

}  // namespace sluice::filters::cache
