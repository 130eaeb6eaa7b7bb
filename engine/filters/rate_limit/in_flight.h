#pragma once
// Concurrency counts kept in the limiter table: requests in flight per rate-limit key
// (max_in_flight) and open connections per client address (max_connections_per_ip). Taking one is
// one CAS that also pins the key (a pinned key is never evicted, so the count cannot get lost);
// the returned lease gives it back, once, from whichever path ends the request or connection.

#include <cstdint>

#include "engine/core/lease.h"
#include "engine/filters/rate_limit/limiter_table.h"

namespace sluice::rate_limit {

enum class Acquired {
  Held,      // counted; `lease` holds it
  Refused,   // `max` already held
  Untracked  // the table is full of pinned keys: not counted, let through
};

Acquired acquireCount(LimiterTable& table, uint64_t hash, uint64_t max, uint32_t now_s, core::Lease& lease);

}  // namespace sluice::rate_limit
