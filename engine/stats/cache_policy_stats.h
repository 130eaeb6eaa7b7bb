#pragma once
// Response-cache metrics of one cache policy on one worker. Written by that worker only (see
// counter.h), read by the control thread. Lives in WorkerStats' cache-policy table for the
// worker's life; the store-wide numbers (entries, bytes, evictions) come from the store itself.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "engine/stats/counter.h"

namespace sluice::stats {

enum class CacheCounter : size_t {
  Hits,           // answered from a fresh entry (304s to conditional requests included)
  Misses,         // no usable entry: fetched from the origin
  Stale,          // answered from a stale entry (stale-while-revalidate or stale-if-error)
  Revalidations,  // conditional requests sent to the origin for a stored entry
  NotModified,    // ... answered 304 by the origin (the entry was refreshed)
  Stores,         // entries written
  StoredBytes,    // bytes of the entries written
  Uncacheable,    // responses the rules forbid storing, and requests that bypass the cache
  Collapsed,      // misses that waited for another request's fetch instead of fetching
  Count,
};

inline constexpr size_t kCacheCounterCount = static_cast<size_t>(CacheCounter::Count);

struct CacheCounterInfo {
  std::string_view name;  // JSON key, and the Prometheus `result` label where it is a request outcome
};

inline constexpr std::array<CacheCounterInfo, kCacheCounterCount> kCacheCounters = {{
    {"hits"},
    {"misses"},
    {"stale"},
    {"revalidations"},
    {"not_modified"},
    {"stores"},
    {"stored_bytes"},
    {"uncacheable"},
    {"collapsed"},
}};

struct CachePolicyStats {
  explicit CachePolicyStats(std::string policy_name) : name(std::move(policy_name)) {}

  void count(CacheCounter c, uint64_t n = 1) { bump(counters[static_cast<size_t>(c)], n); }

  const std::string name;
  std::array<Counter, kCacheCounterCount> counters{};
};

}  // namespace sluice::stats
