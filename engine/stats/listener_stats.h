#pragma once
// Connections of one listener (by its config name) on one worker: how many are open, and how many
// its max_connections refused. Written by that worker only (see counter.h), read by the control
// thread. Lives in WorkerStats' listener table for the worker's life.

#include <string>

#include "engine/stats/counter.h"

namespace sluice::stats {

struct ListenerStats {
  explicit ListenerStats(std::string slot_name) : name(std::move(slot_name)) {}

  const std::string name;
  Counter connections_active{0};  // gauge
  Counter refused{0};             // over the listener's max_connections (503, or closed far over it)
};

}  // namespace sluice::stats
