#pragma once
// Entries handed to the store but not yet committed by its writer thread. A lookup that misses in
// LMDB looks here too, so a response stored a moment ago is a hit for the very next request instead
// of a second origin fetch. An entry leaves when the writer reports its put committed (or dropped).
// Bounded: at most kMaxBytes of records (the oldest go first; the store holds no more than that
// uncommitted anyway). Purges and invalidations clear it whole. Any thread; one short mutex.

#include <cstddef>
#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/filters/cache/flight_table.h"

namespace sluice::filters::cache {

class PendingWrites {
 public:
  static constexpr size_t kMaxBytes = 64u << 20;

  void add(const FlightResultPtr& entry);
  // The put of `entry` is done: forget it unless a newer put for its key replaced it.
  void settled(const FlightResult* entry);
  FlightResultPtr find(std::string_view key) const;
  void clear();

  // A successful unsafe request invalidates a URL, but the store removes its entries a moment later
  // on its writer thread. Meanwhile lookups ask invalidated(): true for keys under a prefix whose
  // purge is queued. Cheap when none is (one relaxed load). At most kMaxInvalidations at once.
  void beginInvalidation(const std::string& prefix);
  void endInvalidation(const std::string& prefix);
  bool invalidated(std::string_view key) const;

  static constexpr size_t kMaxInvalidations = 4096;

 private:
  void trimSettled();  // with mutex_ held

  mutable std::mutex mutex_;
  std::unordered_map<std::string_view, FlightResultPtr> entries_;  // views into the entries' keys
  std::deque<FlightResultPtr> order_;                              // oldest first, for the bound
  size_t bytes_ = 0;
  std::vector<std::string> invalidations_;  // guarded by mutex_
  std::atomic<size_t> invalidation_count_{0};
};

}  // namespace sluice::filters::cache
