#pragma once
// The stats snapshots as JSON text, serialized once per tick and kept as long as the aggregator
// keeps them (900 = 15 min at 1 Hz, a few MiB): the stats event to every subscriber, stats.get,
// stats.history and the admin /stats all share these strings instead of serializing again (a
// history of 900 snapshots would otherwise cost the control loop a second or more). Control thread.

#include <cstddef>
#include <deque>
#include <memory>
#include <string>

#include "engine/control/stats_snapshot.h"

namespace sluice::control {

class SnapshotLines {
 public:
  using Text = std::shared_ptr<const std::string>;

  explicit SnapshotLines(size_t capacity);

  // Serializes the tick's snapshot (toJson, one line without newline) and keeps it.
  void push(const StatsSnapshot& snapshot);

  // The newest snapshot's text; "{}"-like text of an empty snapshot before the first tick.
  const Text& latest() const { return history_.empty() ? empty_ : history_.back(); }
  // Oldest first.
  const std::deque<Text>& history() const { return history_; }

  // `{"snapshots":[...]}` with the newest `count` snapshots (all when fewer are kept), oldest first.
  std::string historyJson(size_t count) const;

 private:
  size_t capacity_;
  std::deque<Text> history_;
  Text empty_;
};

}  // namespace sluice::control
