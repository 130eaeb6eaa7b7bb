#pragma once
// Freshness of a response as it arrives (RFC 9111, 4.2): its lifetime, its age on arrival and the
// stale windows (RFC 5861) the cache may use later. Computed once when storing or refreshing an
// entry; the result goes into StoredMeta. Pure.

#include <cstdint>

#include "engine/filters/cache/cache_control.h"
#include "engine/filters/cache/policy_limits.h"
#include "engine/http/message_head.h"

namespace sluice::filters::cache {

enum class FreshnessSource : uint8_t {
  SMaxAge,  // s-maxage
  MaxAge,   // max-age
  Expires,  // Expires - Date
  Policy,   // no explicit freshness: the policy's default_ttl (replaces the Last-Modified heuristic)
  Invalid,  // a duplicate or invalid max-age/s-maxage, or an invalid/duplicate Expires: stale
  None,     // no explicit freshness and not heuristically cacheable: 0
};

struct Freshness {
  int64_t lifetime_s = 0;  // after the policy's max_ttl cap
  int64_t corrected_initial_age_s = 0;
  int64_t stale_while_revalidate_s = 0;  // 0 when serving stale is forbidden
  int64_t stale_if_error_s = 0;
  uint32_t flags = 0;  // StoredFlag bits
  FreshnessSource source = FreshnessSource::None;
};

// request_time_s / response_time_s: when the request was sent upstream and its response received.
//
// Stale windows: the response's own stale-while-revalidate / stale-if-error, else the policy's.
// must-revalidate, proxy-revalidate and no-cache forbid both. s-maxage implies proxy-revalidate for a
// shared cache (RFC 9111, 5.2.2.10), so it forbids the policy's windows; an explicit stale-* directive
// next to it is the origin's own permission and is honoured ("s-maxage=60, stale-while-revalidate=30"
// is the common CDN idiom).
Freshness computeFreshness(const http::ResponseHead& response, const CacheControl& response_cc,
                           const PolicyLimits& policy, int64_t request_time_s, int64_t response_time_s);

// RFC 9111, 4.2.3: max(apparent_age, Age + response_delay). A missing or invalid Date counts as the
// response time; an invalid Age is ignored; a Date in the future (clock skew) gives apparent age 0.
int64_t correctedInitialAge(const http::HeaderList& headers, int64_t request_time_s, int64_t response_time_s);

}  // namespace sluice::filters::cache
