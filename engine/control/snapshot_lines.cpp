#include "engine/control/snapshot_lines.h"

#include <algorithm>

#include "engine/control/control_reply.h"

namespace sluice::control {

SnapshotLines::SnapshotLines(size_t capacity)
    : capacity_(std::max<size_t>(capacity, 1)),
      empty_(std::make_shared<const std::string>(dumpLine(toJson(StatsSnapshot{})))) {}

void SnapshotLines::push(const StatsSnapshot& snapshot) {
  if (history_.size() >= capacity_) {
    history_.pop_front();
  }
  history_.push_back(std::make_shared<const std::string>(dumpLine(toJson(snapshot))));
}

std::string SnapshotLines::historyJson(size_t count) const {
  const size_t n = std::min(count, history_.size());
  size_t bytes = 32;
  for (size_t i = history_.size() - n; i < history_.size(); ++i) {
    bytes += history_[i]->size() + 1;
  }
  std::string out;
  out.reserve(bytes);
  out += "{\"snapshots\":[";
  for (size_t i = history_.size() - n; i < history_.size(); ++i) {
    if (i != history_.size() - n) {
      out += ',';
    }
    out += *history_[i];
  }
  out += "]}";
  return out;
}

}  // namespace sluice::control
