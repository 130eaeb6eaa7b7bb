#include "engine/control/stats_methods.h"

#include <algorithm>

#include "engine/control/method_params.h"

namespace sluice::control {

void addStatsMethods(MethodTable& table, const StatsAggregator& aggregator) {
  const StatsAggregator* stats = &aggregator;
  table.add("stats.get", [stats](const Peer&, const nlohmann::json&, ResponderPtr reply) {
    reply->ok(toJson(stats->latest()));
  });
  table.add("stats.history", [stats](const Peer&, const nlohmann::json& params, ResponderPtr reply) {
    std::optional<uint64_t> seconds;
    ControlError error;
    if (!readUnsigned(params, "seconds", seconds, error)) {
      reply->fail(std::move(error));
      return;
    }
    const auto& history = stats->history();
    const size_t wanted = static_cast<size_t>(std::min(seconds.value_or(kMaxHistorySeconds), kMaxHistorySeconds));
    const size_t count = std::min(wanted, history.size());
    nlohmann::json snapshots = nlohmann::json::array();
    for (size_t i = history.size() - count; i < history.size(); ++i) {
      snapshots.push_back(toJson(history[i]));
    }
    reply->ok({{"snapshots", std::move(snapshots)}});
  });
}

}  // namespace sluice::control
