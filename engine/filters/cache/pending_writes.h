#pragma once
// Entries handed to the store but not yet committed by its writer thread. A lookup that misses in
// LMDB looks here too, so a response stored a moment ago is a hit for the very next request instead
// of a second origin fetch. An entry leaves when the writer reports its put committed (or dropped).
// Bounded: at most kMaxBytes of records (the oldest go first; the store holds no more than that
// uncommitted anyway). Purges and invalidations clear it whole. Any thread; one short mutex.

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

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

 private:
  void trimSettled();  // with mutex_ held

  mutable std::mutex mutex_;
  std::unordered_map<std::string_view, FlightResultPtr> entries_;  // views into the entries' keys
  std::deque<FlightResultPtr> order_;                              // oldest first, for the bound
  size_t bytes_ = 0;
};

}  // namespace sluice::filters::cache
