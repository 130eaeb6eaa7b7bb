#include "engine/control/stats_methods.h"

#include <algorithm>

#include "engine/control/method_params.h"

namespace sluice::control {

void addStatsMethods(MethodTable& table, const SnapshotLines& lines) {
  const SnapshotLines* stats = &lines;
  table.add("stats.get", [stats](const Peer&, const nlohmann::json&, ResponderPtr reply) {
    reply->okRaw(*stats->latest());
  });
  table.add("stats.history", [stats](const Peer&, const nlohmann::json& params, ResponderPtr reply) {
    std::optional<uint64_t> seconds;
    ControlError error;
    if (!readUnsigned(params, "seconds", seconds, error)) {
      reply->fail(std::move(error));
      return;
    }
    const uint64_t count = std::min(seconds.value_or(kMaxHistorySeconds), kMaxHistorySeconds);
    reply->okRaw(stats->historyJson(static_cast<size_t>(count)));
  });
}

}  // namespace sluice::control
