#pragma once
// The first line of a stored config version (`<history dir>/v8.yaml`):
//   # sluice config v8 2026-11-30T18:02:11Z uid=1000 rate_limits.set per_ip
// (`uid=-` when the change was not made over the control socket). Being a YAML comment, the stored
// file is still the config exactly as it ran. Internal to engine/config, except formatUtc, which
// config.history also uses for its times.

#include <optional>
#include <string>
#include <string_view>

#include "engine/config/config_history.h"

namespace sluice::config::detail {

// "2026-11-30T18:02:11Z" (UTC, whole seconds).
std::string formatUtc(std::chrono::system_clock::time_point time);
std::optional<std::chrono::system_clock::time_point> parseUtc(std::string_view text);

// The line with its '\n'. Line breaks in info.what become spaces.
std::string formatHistoryHeader(const ConfigVersionInfo& info);
// nullopt when `line` (without its '\n') is not such a header.
std::optional<ConfigVersionInfo> parseHistoryHeader(std::string_view line);

}  // namespace sluice::config::detail
