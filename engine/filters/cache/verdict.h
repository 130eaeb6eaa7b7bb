#pragma once
// What to do with a stored entry for one request (RFC 9111, 4.2 and 4.2.4; RFC 5861), given the
// request's Cache-Control. Pure and cheap: called on every lookup that found an entry.
//
// Time is in whole seconds. The entry is fresh while current_age < lifetime ("fresh at lifetime-1,
// stale at lifetime"). Staleness = current_age - lifetime; every stale window W (stale-while-revalidate,
// stale-if-error, a request's max-stale) admits staleness < W, so a window of 0 admits nothing.

#include <cstdint>
#include <string_view>

#include "engine/filters/cache/cache_control.h"
#include "engine/filters/cache/cache_status.h"
#include "engine/filters/cache/stored_meta.h"

namespace sluice::filters::cache {

enum class Action : uint8_t {
  Fresh,                 // serve the entry
  StaleWhileRevalidate,  // serve the stale entry now and refresh it in the background
  Revalidate,            // go to the origin, conditionally when the entry has a validator
  Unsatisfiable,         // only-if-cached and the entry cannot be used as is: answer 504
};

enum class VerdictReason : uint8_t {
  Fresh,
  Stale,                 // Revalidate: stale beyond what may be served
  ResponseNoCache,       // Revalidate: the response said no-cache
  RequestNoCache,        // Revalidate: the request said no-cache (or Pragma: no-cache), or a broken max-age
  RequestMaxAge,         // Revalidate: older than the request's max-age
  RequestMinFresh,       // Revalidate: not fresh for the request's min-fresh
  StaleWhileRevalidate,  // StaleWhileRevalidate: within the stale-while-revalidate window
  MaxStale,              // StaleWhileRevalidate: the request's max-stale accepts it
  OnlyIfCached,          // Unsatisfiable
};

// What to do when a Revalidate goes wrong: the origin answers 500, 502, 503 or 504, or cannot be reached.
enum class OnError : uint8_t {
  PassError,    // forward the error (or the proxy's own 502/504)
  ServeStored,  // serve the entry instead (within stale-if-error, or still fresh)
  Gateway504,   // must-revalidate: an unreachable origin is answered 504; an origin's 5xx is forwarded
};

struct Verdict {
  Action action = Action::Revalidate;
  VerdictReason reason = VerdictReason::Stale;
  OnError on_error = OnError::PassError;
  int64_t age_s = 0;  // the Age to send with the entry
  int64_t ttl_s = 0;  // lifetime - age; negative once stale (Cache-Status ttl=)
};

Verdict evaluate(const StoredMeta& meta, const CacheControl& request_cc, int64_t now_s);

// At the time the origin failed: may the entry be served instead (OnError::ServeStored)?
bool servesStoredOnError(const StoredMeta& meta, const CacheControl& request_cc, int64_t now_s);

// The origin statuses that count as an error for stale-if-error (RFC 5861, 4).
bool isStaleIfErrorStatus(int status);

// sf-token for Cache-Status detail=: "stale-while-revalidate", "max-stale", "only-if-cached",
// "no-cache", "max-age", "min-fresh", "response-no-cache"; "" for Fresh and Stale.
std::string_view verdictDetail(VerdictReason reason);

// The Cache-Status a verdict starts with: Fresh and StaleWhileRevalidate are hits with ttl (and the
// stale reason as detail); Revalidate is fwd=request when the request's directives caused it, else
// fwd=stale; Unsatisfiable is fwd=miss with detail=only-if-cached. The caller adds fwd_status and
// stored once the origin has answered.
CacheStatus cacheStatusFor(const Verdict& verdict);

}  // namespace sluice::filters::cache
