#pragma once
// What the ConfigEditor needs from the node, kept narrow so the editor can be tested without one.
// Both hooks are called on the control thread (the editor's loop).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/config/config.h"

namespace sluice::control {

// The config the node runs now.
struct RunningConfig {
  config::ConfigPtr config;
  std::string text;      // the YAML it was loaded from
  uint64_t version = 0;  // config->version
  std::string path;      // the file edits are written back to; "" for the embedded config
};

struct ConfigEditHooks {
  std::function<RunningConfig()> current;
  // Makes `next` (validated, versioned) the running config, with `text` as its YAML; `what` names the
  // change ("SIGHUP", "rate_limits.set per_ip"). Errors (an upstream that does not resolve, a cache
  // store that cannot open, a node shutting down) mean nothing changed.
  std::function<std::vector<std::string>(config::ConfigPtr next, const std::string& text,
                                         const std::string& what)>
      apply;
};

}  // namespace sluice::control
