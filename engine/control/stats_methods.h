#pragma once
// `stats.get` (the newest snapshot) and `stats.history` (up to 900 of them, oldest first).
// `stats.subscribe` / `stats.unsubscribe` belong to the connection and are answered by the
// ControlSession itself. Control thread; `aggregator` must outlive the table's use.

#include "engine/control/control_method.h"
#include "engine/control/stats_aggregator.h"

namespace sluice::control {

inline constexpr uint64_t kMaxHistorySeconds = 900;

void addStatsMethods(MethodTable& table, const StatsAggregator& aggregator);

}  // namespace sluice::control
