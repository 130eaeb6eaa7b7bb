#pragma once
// The config edit methods of the control protocol (docs/control-protocol.md): config.get,
// config.history, config.rollback, rate_limits.* and cache_policies.*, plus SIGHUP reloads, which
// share the same path. An edit checks its base_version, makes the new YAML text (only the edited
// section is rewritten), validates it like the config file, writes it back and records it in the
// history on libuv's thread pool, then has the node apply it and answers.
//
// Owns the ConfigHistory and the EditQueue (one change at a time, 16 waiting). Runs on the control
// thread (its loop); only the file writes run on pool threads. The node must keep the editor alive
// while its loop runs (work in flight keeps uv_run going).

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/config/config_document.h"
#include "engine/config/config_history.h"
#include "engine/control/config_edit_hooks.h"
#include "engine/control/control_method.h"
#include "engine/control/edit_queue.h"

namespace sluice::control {

// `what` of a SIGHUP reload (the node re-resolves upstream names only then).
inline constexpr const char* kWhatSighup = "SIGHUP";

class ConfigEditor {
 public:
  // `history_dir` "" keeps the history in memory (the embedded config, which has no file).
  ConfigEditor(uv_loop_t* loop, std::string history_dir, ConfigEditHooks hooks,
               size_t keep = config::ConfigHistory::kDefaultKeep);
  ConfigEditor(const ConfigEditor&) = delete;
  ConfigEditor& operator=(const ConfigEditor&) = delete;

  // Start-up, before the loop runs (blocking file I/O): the version of the text the node starts with.
  uint64_t adopt(const std::string& text, const std::string& what, std::string& error);

  // Registers config.*, rate_limits.* and cache_policies.* into `table`.
  void addMethods(MethodTable& table);

  // SIGHUP: re-reads the config file and applies it, queued behind any edit in flight (at most one
  // reload waits). `done` runs on the loop when it is over, whatever the outcome.
  void reload(std::function<void()> done);

  // Shutting down: edits not yet started are answered `internal`; a reload is skipped.
  void close() { closed_ = true; }

  const config::ConfigHistory& history() const { return history_; }

  // The method handlers (public for tests; addMethods registers them).
  void configGet(const Peer& peer, const nlohmann::json& params, ResponderPtr reply);
  void configHistory(const Peer& peer, const nlohmann::json& params, ResponderPtr reply);
  void configRollback(const Peer& peer, const nlohmann::json& params, ResponderPtr reply);
  void listPolicies(config::Section section, const Peer& peer, const nlohmann::json& params,
                    ResponderPtr reply);
  void setPolicy(config::Section section, const Peer& peer, const nlohmann::json& params, ResponderPtr reply);
  void deletePolicy(config::Section section, const Peer& peer, const nlohmann::json& params,
                    ResponderPtr reply);

 private:
  // What an edit makes of the running config: its new text, or the error to answer with.
  struct Plan {
    std::string text;
    nlohmann::json result = nlohmann::json::object();  // fields besides version and persisted
    std::optional<ControlError> error;
    std::string invalid_field;  // when validation fails: a better `field` than the first error's line
  };
  struct Edit {
    Peer peer;
    ResponderPtr reply;
    uint64_t base_version = 0;
    std::string what;  // "rate_limits.set per_ip"
    std::function<Plan(const RunningConfig& running)> plan;
  };
  struct Written;

  void submit(Edit edit);
  void runEdit(const Edit& edit, EditQueue::Done done);
  void finishEdit(const Edit& edit, const RunningConfig& before, const std::shared_ptr<Written>& written,
                  EditQueue::Done done);
  void runReload(std::function<void()> finished, EditQueue::Done done);

  uv_loop_t* loop_;
  ConfigEditHooks hooks_;
  config::ConfigHistory history_;
  EditQueue queue_;
  bool reload_queued_ = false;
  bool closed_ = false;
};

}  // namespace sluice::control
