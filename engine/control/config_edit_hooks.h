#pragma once
// What the ConfigEditor needs from the node, kept narrow so the editor can be tested without one.
// `current` and `apply` are called on the control thread (the editor's loop), `prepare` on the pool.

#include <cstdint>
#include <functional>
#include <memory>
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

// What the node works out for a new config off its loop (upstream names resolved, certificate and
// CA files read into TLS contexts), handed to `apply`. The editor reads only `errors`: a config with
// any is refused before it is written or numbered.
struct PreparedConfig {
  virtual ~PreparedConfig() = default;
  std::vector<std::string> errors;  // "FILE:LINE: ..." lines: the config cannot be applied
};
using PreparedConfigPtr = std::shared_ptr<PreparedConfig>;

struct ConfigEditHooks {
  std::function<RunningConfig()> current;
  // Runs on the libuv thread pool, before `apply`, for the work that may block (DNS, files);
  // `running` is the config the change is made against. Optional: `apply` then gets null.
  std::function<PreparedConfigPtr(const config::Config& next, const RunningConfig& running,
                                  const std::string& what)>
      prepare;
  // Makes `next` (validated, versioned) the running config, with `text` as its YAML; `what` names the
  // change ("SIGHUP", "rate_limits.set per_ip"). Errors (an upstream that does not resolve, a cache
  // store that cannot open, a node shutting down) mean nothing changed.
  std::function<std::vector<std::string>(config::ConfigPtr next, const std::string& text,
                                         const std::string& what, const PreparedConfigPtr& prepared)>
      apply;
};

}  // namespace sluice::control
