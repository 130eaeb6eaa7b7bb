#pragma once
// The Cache-Status response field (RFC 9211): one entry for this cache, e.g.
//   "sluice; hit; ttl=42"
//   "sluice; fwd=stale; fwd-status=304; stored"
//   "sluice; fwd=miss; detail=no-store"
// Cheap: fixed parts and integers only, no allocation when written into a caller's buffer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::filters::cache {

enum class Forward : uint8_t {
  None,      // a hit: "hit"
  Bypass,    // the route or the request is not cacheable at all
  Method,    // the method is not cacheable
  UriMiss,   // nothing stored for the URI
  VaryMiss,  // stored, but not for this request's Vary values
  Miss,      // a miss for another reason (e.g. an unusable entry)
  Request,   // a usable entry exists, but the request's directives forbid its use (no-cache, max-age, ...)
  Stale,     // the entry was stale (or no-cache) and was revalidated
};

struct CacheStatus {
  Forward fwd = Forward::None;
  int fwd_status = 0;  // the origin's status, 0 = not sent
  bool has_ttl = false;
  int64_t ttl = 0;      // negative when stale
  bool stored = false;  // the response (or the 304-refreshed entry) was stored
  bool collapsed = false;
  std::string_view detail;  // an sf-token ("" = none), e.g. storeReasonText() or verdictDetail()
};

inline constexpr std::string_view kCacheName = "sluice";

// Upper bound of the output, for a stack buffer, given the detail's and cache name's lengths.
size_t cacheStatusMaxSize(const CacheStatus& status, std::string_view cache_name = kCacheName);

// Writes the field value into out[0..capacity); returns its length, or 0 when it does not fit.
size_t formatCacheStatus(const CacheStatus& status, char* out, size_t capacity,
                         std::string_view cache_name = kCacheName);

std::string formatCacheStatus(const CacheStatus& status, std::string_view cache_name = kCacheName);

std::string_view forwardText(Forward fwd);

}  // namespace sluice::filters::cache
