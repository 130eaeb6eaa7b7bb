#pragma once
// What the cache keeps about a stored response besides its headers and body: the times and windows
// that decide freshness (RFC 9111, 4.2) and the validators that revalidation and client conditionals
// need. The string views point into the record the meta was decoded from, or into the response it is
// being built from; copy them before that storage goes away. Pure data.

#include <cstdint>
#include <string_view>

namespace sluice::filters::cache {

enum StoredFlag : uint32_t {
  // must-revalidate, proxy-revalidate, or s-maxage without an explicit stale-* directive: never served
  // stale, and an unreachable origin is answered with 504 (RFC 9111, 5.2.2.2).
  kFlagMustRevalidate = 1u << 0,
  // Response no-cache: every use is validated first (RFC 9111, 5.2.2.4).
  kFlagNoCache = 1u << 1,
  // The lifetime is the policy's default_ttl: the origin gave no explicit freshness.
  kFlagHeuristic = 1u << 2,
};
inline constexpr uint32_t kKnownFlags = kFlagMustRevalidate | kFlagNoCache | kFlagHeuristic;

struct StoredMeta {
  int64_t request_time_s = 0;           // when the request that fetched it was sent (unix seconds)
  int64_t response_time_s = 0;          // when its response was received
  int64_t corrected_initial_age_s = 0;  // its age on arrival (RFC 9111, 4.2.3)
  int64_t freshness_lifetime_s = 0;
  int64_t stale_while_revalidate_s = 0;  // 0 when serving stale is forbidden
  int64_t stale_if_error_s = 0;
  uint32_t flags = 0;  // StoredFlag bits
  int status = 0;
  std::string_view etag;           // the ETag field value as sent, "" when none
  std::string_view last_modified;  // the Last-Modified field value as sent, "" when none
  std::string_view vary;           // canonical Vary names (see cache_key.h), "" when none

  bool hasFlag(StoredFlag f) const { return (flags & f) != 0; }
  bool hasValidator() const { return !etag.empty() || !last_modified.empty(); }
};

// current_age = corrected_initial_age + resident_time (RFC 9111, 4.2.3); never negative.
int64_t currentAge(const StoredMeta& meta, int64_t now_s);

// Unix milliseconds after which the entry is of no use and may be deleted: once stale beyond both
// stale windows, plus, for an entry with a validator, a grace of max(lifetime, 1 h) capped at 1 day so
// that a conditional request can still refresh it with a cheap 304.
uint64_t reclaimAt(const StoredMeta& meta);

// False for an entry that is useless from the moment it arrives (stale, no stale window, no validator,
// e.g. "max-age=0" without an ETag): writing it would cost a write per request for nothing.
bool worthStoring(const StoredMeta& meta);

}  // namespace sluice::filters::cache
