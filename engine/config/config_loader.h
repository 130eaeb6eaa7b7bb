#pragma once
// Loads a YAML config into an immutable, validated Config snapshot. Every problem found is reported
// (not just the first) as `file:line: message`, in line order; a config with any error is refused
// (LoadResult::config is null). Nothing here throws. Callable from any thread; no shared state.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/config/address_parse.h"
#include "engine/config/config.h"
#include "engine/config/config_error.h"
#include "engine/config/units.h"

namespace sluice::config {

struct LoadResult {
  ConfigPtr config;                 // null if there was any error
  std::vector<ConfigError> errors;  // sorted by line

  bool ok() const { return config != nullptr; }
};

// Reads a config file's text (at most 16 MiB). nullopt with `error` ("FILE: cannot read: ...", line 0)
// when it cannot be read. Blocking: at start-up, or off the event loops.
std::optional<std::string> readConfigText(const std::string& path, ConfigError& error);

// Reads and loads `path`; config->source = path. An unreadable file is one error with line 0
// ("FILE: cannot read: No such file or directory").
LoadResult loadConfigFile(const std::string& path);

// Loads YAML text; `source_name` stands for the file in errors and config->source (e.g. "<embedded>").
LoadResult loadConfigText(std::string_view yaml, const std::string& source_name);

}  // namespace sluice::config
