#pragma once
// Cache-Control directives (RFC 9111, 5.2; RFC 5861) of one message, from all its Cache-Control
// header lines taken as one list. Parsing never fails: unknown directives and junk are skipped, and a
// broken freshness directive is recorded so that freshness can treat the response as stale. Pure.

#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/http/header_field.h"

namespace sluice::filters::cache {

// Delta-seconds too large to represent saturate here (RFC 9111, 1.2.2: 2^31).
inline constexpr int64_t kDeltaSecondsMax = 2147483648;

struct CacheControl {
  // Requests and responses.
  bool no_store = false;
  bool no_cache = false;
  bool no_transform = false;
  std::optional<int64_t> max_age;
  std::optional<int64_t> stale_if_error;  // RFC 5861, 4: in a request, the client accepts stale on error

  // Responses. The qualified forms (no-cache="Set-Cookie", private="X") are honoured as if
  // unqualified: the stricter reading, since storing part of a response is not supported.
  bool no_cache_fields = false;
  bool is_private = false;
  bool private_fields = false;
  bool is_public = false;
  bool must_revalidate = false;
  bool proxy_revalidate = false;
  bool must_understand = false;
  bool immutable = false;
  std::optional<int64_t> s_maxage;
  std::optional<int64_t> stale_while_revalidate;

  // Requests.
  bool only_if_cached = false;
  std::optional<int64_t> max_stale;  // "max-stale" without a value: kDeltaSecondsMax, any staleness
  std::optional<int64_t> min_fresh;

  // max-age or s-maxage appeared twice or with a value that is not delta-seconds (RFC 9111, 4.2.1):
  // such a response is stale on arrival; such a request is answered as if it said max-age=0. The
  // first valid value is kept. Other directives keep their first occurrence; an invalid value for
  // one of them (stale-*, max-stale, min-fresh) disables it, which is the stricter reading.
  bool invalid_freshness = false;
};

// delta-seconds (1*DIGIT), saturating at kDeltaSecondsMax; nullopt for anything else (signs, spaces, "").
std::optional<int64_t> parseDeltaSeconds(std::string_view text);

// One field value (or several joined with ",").
CacheControl parseCacheControl(std::string_view value);

// Every Cache-Control line of a response.
CacheControl responseCacheControl(const http::HeaderList& headers);

// Every Cache-Control line of a request; without any, "Pragma: no-cache" reads as no-cache (RFC 9111, 5.4).
CacheControl requestCacheControl(const http::HeaderList& headers);

}  // namespace sluice::filters::cache
