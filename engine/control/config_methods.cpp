// config.get, config.history and config.rollback.

#include <fmt/format.h>

#include "engine/config/history_header.h"
#include "engine/control/config_editor.h"
#include "engine/control/control_params.h"

namespace sluice::control {

void ConfigEditor::configGet(const Peer& /*peer*/, const nlohmann::json& /*params*/, ResponderPtr reply) {
  const RunningConfig running = hooks_.current();
  std::string error;
  std::optional<nlohmann::json> document = config::documentToJson(running.text, error);
  if (!document) {
    reply->fail(ControlError{"internal", error, {}, nullptr});
    return;
  }
  reply->ok({{"version", running.version},
             {"source", running.config->source},
             {"persisted", !running.path.empty()},
             {"yaml", running.text},
             {"config", std::move(*document)}});
}

void ConfigEditor::configHistory(const Peer& /*peer*/, const nlohmann::json& /*params*/, ResponderPtr reply) {
  nlohmann::json versions = nlohmann::json::array();
  for (const config::ConfigVersionInfo& info : history_.list()) {
    versions.push_back({{"version", info.version},
                        {"time", config::detail::formatUtc(info.time)},
                        {"uid", info.uid ? nlohmann::json(*info.uid) : nlohmann::json(nullptr)},
                        {"what", info.what}});
  }
  reply->ok({{"versions", std::move(versions)}});
}

void ConfigEditor::configRollback(const Peer& peer, const nlohmann::json& params, ResponderPtr reply) {
  ControlError error;
  const std::optional<uint64_t> base = versionParam(params, "base_version", error);
  const std::optional<uint64_t> version = base ? versionParam(params, "version", error) : std::nullopt;
  if (!version) {
    reply->fail(std::move(error));
    return;
  }
  Edit edit{peer, std::move(reply), *base, fmt::format("config.rollback to {}", *version), nullptr};
  edit.plan = [this, version = *version](const RunningConfig&) {
    Plan plan;
    std::optional<std::string> text = history_.text(version);
    if (!text) {
      plan.error = ControlError{"not_found",
                                fmt::format("config version {} is not kept (the node keeps the last {})",
                                            version, config::ConfigHistory::kDefaultKeep),
                                {},
                                nullptr};
      return plan;
    }
    plan.text = std::move(*text);
    return plan;
  };
  submit(std::move(edit));
}

}  // namespace sluice::control
