// The edit workflow (docs/control-protocol.md, "Config versions"): base_version check, new text,
// validation, write-back and history on the thread pool, apply, audit, answer.

#include "engine/control/config_editor.h"

#include <fmt/format.h>

#include "engine/config/config_loader.h"
#include "engine/control/audit.h"
#include "engine/core/pool_task.h"
#include "engine/log/logger.h"

namespace sluice::control {
namespace {

ControlError internalError(std::string message) {
  return ControlError{"internal", std::move(message), {}, nullptr};
}

// `invalid`: the first error as `PATH:LINE: message` with its field path, and all of them.
ControlError invalidError(const std::vector<config::ConfigError>& errors, const std::string& text,
                          const std::string& field_override) {
  ControlError error{"invalid", errors.front().str(), {}, nlohmann::json::array()};
  for (const config::ConfigError& e : errors) {
    error.errors.push_back(
        {{"field", config::fieldPathAtLine(text, e.line)}, {"line", e.line}, {"message", e.message}});
  }
  // The override is more precise than a line when it lies within the first error's path (a route's
  // reference in a flow list shares its line with the others: routes[0].rate_limits[1]).
  const std::string at_line = error.errors.front()["field"].get<std::string>();
  const bool within = !field_override.empty() && !at_line.empty() && field_override.starts_with(at_line);
  error.field = within ? field_override : at_line;
  return error;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    out += (out.empty() ? "" : "; ") + line;
  }
  return out;
}

}  // namespace

// What the pool thread did with an edit's new text.
struct ConfigEditor::Written {
  std::string text;
  config::ConfigPtr loaded;
  nlohmann::json result;
  uint64_t version = 0;
  bool ok = false;
  std::string error;
  PreparedConfigPtr prepared;  // made on the pool, before the write
};

ConfigEditor::ConfigEditor(uv_loop_t* loop, std::string history_dir, ConfigEditHooks hooks, size_t keep)
    : loop_(loop), hooks_(std::move(hooks)), history_(std::move(history_dir), keep) {}

uint64_t ConfigEditor::adopt(const std::string& text, const std::string& what, std::string& error) {
  return history_.adopt(text, what, error);
}

void ConfigEditor::addMethods(MethodTable& table) {
  using config::Section;
  using std::placeholders::_1, std::placeholders::_2, std::placeholders::_3;
  table.add("config.get", std::bind(&ConfigEditor::configGet, this, _1, _2, _3));
  table.add("config.history", std::bind(&ConfigEditor::configHistory, this, _1, _2, _3));
  table.add("config.rollback", std::bind(&ConfigEditor::configRollback, this, _1, _2, _3));
  for (Section section : {Section::RateLimits, Section::CachePolicies}) {
    const std::string prefix(config::sectionKey(section));
    table.add(prefix + ".list", std::bind(&ConfigEditor::listPolicies, this, section, _1, _2, _3));
    table.add(prefix + ".set", std::bind(&ConfigEditor::setPolicy, this, section, _1, _2, _3));
    table.add(prefix + ".delete", std::bind(&ConfigEditor::deletePolicy, this, section, _1, _2, _3));
  }
}

void ConfigEditor::submit(Edit edit) {
  if (closed_) {
    edit.reply->fail(internalError("the node is shutting down"));
    return;
  }
  ResponderPtr reply = edit.reply;
  const bool queued =
      queue_.submit([this, edit = std::move(edit)](EditQueue::Done done) { runEdit(edit, done); });
  if (!queued) {
    reply->fail(ControlError{
        "conflict", "another edit is in progress (too many edits are waiting); retry", {}, nullptr});
  }
}

void ConfigEditor::runEdit(const Edit& edit, EditQueue::Done done) {
  if (closed_) {
    edit.reply->fail(internalError("the node is shutting down"));
    done();
    return;
  }
  const RunningConfig running = hooks_.current();
  if (edit.base_version != running.version) {
    edit.reply->fail(
        ControlError{"conflict",
                     fmt::format("the config is at version {}, the edit was based on version {}: "
                                 "read it again and redo the edit",
                                 running.version, edit.base_version),
                     {},
                     nullptr});
    done();
    return;
  }
  Plan plan = edit.plan(running);
  if (plan.error) {
    edit.reply->fail(std::move(*plan.error));
    done();
    return;
  }
  const bool persisted = !running.path.empty();
  if (plan.text == running.text) {
    // Nothing to write or apply: the running version already is this config.
    plan.result["version"] = running.version;
    plan.result["persisted"] = persisted;
    plan.result["unchanged"] = true;
    edit.reply->ok(std::move(plan.result));
    done();
    return;
  }
  config::LoadResult loaded = config::loadConfigText(plan.text, running.config->source);
  if (!loaded.ok()) {
    edit.reply->fail(invalidError(loaded.errors, plan.text, plan.invalid_field));
    done();
    return;
  }
  auto written = std::make_shared<Written>();
  written->text = std::move(plan.text);
  written->loaded = std::move(loaded.config);
  written->result = std::move(plan.result);
  written->version = std::max(history_.newest(), running.version) + 1;
  config::ConfigVersionInfo info{written->version, std::chrono::system_clock::now(), edit.peer.uid,
                                 edit.what};
  // The pool thread gets copies and the thread-safe history; `written` is only read back on the loop.
  auto work = [this, written, info, running, what = edit.what] {
    const std::string& path = running.path;
    const std::string& old_text = running.text;
    if (hooks_.prepare) {
      written->prepared = hooks_.prepare(*written->loaded, running, what);
      if (written->prepared && !written->prepared->errors.empty()) {
        return;  // refused before anything is written
      }
    }
    if (!path.empty() && !config::writeFileAtomically(path, written->text, written->error)) {
      return;
    }
    if (!history_.record(written->text, info, written->error)) {
      std::string restore_error;
      if (!path.empty() && !config::writeFileAtomically(path, old_text, restore_error)) {
        written->error += "; and the previous text could not be put back: " + restore_error;
      }
      return;
    }
    written->ok = true;
  };
  const bool started = core::runOnPool(loop_, std::move(work), [this, edit, running, written, done] {
    finishEdit(edit, running, written, done);
  });
  if (!started) {
    edit.reply->fail(internalError("cannot start the write-back (libuv refused the work request)"));
    done();
  }
}

void ConfigEditor::finishEdit(const Edit& edit, const RunningConfig& before,
                              const std::shared_ptr<Written>& written, EditQueue::Done done) {
  if (written->prepared && !written->prepared->errors.empty()) {
    const std::string message = "cannot apply the edited config: " + joined(written->prepared->errors);
    log::error("control: {} from uid={}: {}", edit.what, edit.peer.uid, message);
    edit.reply->fail(internalError(message));
    done();
    return;
  }
  if (!written->ok) {
    log::error("control: {} from uid={} failed: {}", edit.what, edit.peer.uid, written->error);
    edit.reply->fail(internalError(written->error));
    done();
    return;
  }
  auto next = std::make_shared<config::Config>(*written->loaded);
  next->version = written->version;
  const std::vector<std::string> errors = hooks_.apply(next, written->text, edit.what, written->prepared);
  if (errors.empty()) {
    audit(edit.peer, fmt::format("{}: config version {} -> {}", edit.what, before.version, written->version));
    written->result["version"] = written->version;
    written->result["persisted"] = !before.path.empty();
    edit.reply->ok(std::move(written->result));
    done();
    return;
  }
  // Not applied: put the file and the history back as they were, so that nothing changed.
  const std::string message = "cannot apply the edited config: " + joined(errors);
  log::error("control: {} from uid={}: {}", edit.what, edit.peer.uid, message);
  auto undo_error = std::make_shared<std::string>();
  auto undo = [this, undo_error, version = written->version, path = before.path, old_text = before.text] {
    if (!path.empty()) {
      config::writeFileAtomically(path, old_text, *undo_error);
    }
    std::string forget_error;
    if (!history_.forget(version, forget_error)) {
      *undo_error += (undo_error->empty() ? "" : "; ") + forget_error;
    }
  };
  auto answer = [reply = edit.reply, message, undo_error, done] {
    if (!undo_error->empty()) {
      log::error("control: could not undo the write-back: {}", *undo_error);
    }
    reply->fail(internalError(message));
    done();
  };
  if (!core::runOnPool(loop_, std::move(undo), answer)) {
    answer();
  }
}

void ConfigEditor::reload(std::function<void()> finished) {
  if (closed_ || reload_queued_) {
    finished();  // shutting down, or a reload that has not started yet will read the file anyway
    return;
  }
  reload_queued_ = true;
  queue_.submitAlways([this, finished = std::move(finished)](EditQueue::Done done) {
    reload_queued_ = false;
    runReload(finished, done);
  });
}

void ConfigEditor::runReload(std::function<void()> finished, EditQueue::Done done) {
  const RunningConfig running = hooks_.current();
  if (closed_ || running.path.empty()) {
    finished();
    done();
    return;
  }
  struct Outcome {
    std::vector<config::ConfigError> errors;
    std::string text;
    config::ConfigPtr loaded;
    uint64_t version = 0;
    bool recorded_new = false;
    std::string history_error;
    PreparedConfigPtr prepared;
  };
  auto outcome = std::make_shared<Outcome>();
  // Read, validate and number the file on the pool: the file is read only now, after any edit
  // before it has written it, so a reload never brings back the text an edit replaced.
  auto work = [this, outcome, running] {
    const std::string& path = running.path;
    config::ConfigError read_error;
    std::optional<std::string> text = config::readConfigText(path, read_error);
    if (!text) {
      outcome->errors.push_back(std::move(read_error));
      return;
    }
    config::LoadResult loaded = config::loadConfigText(*text, path);
    if (!loaded.ok()) {
      outcome->errors = std::move(loaded.errors);
      return;
    }
    if (hooks_.prepare) {
      outcome->prepared = hooks_.prepare(*loaded.config, running, kWhatSighup);
      if (outcome->prepared && !outcome->prepared->errors.empty()) {
        return;  // refused before it is numbered
      }
    }
    const uint64_t newest = history_.newest();
    outcome->version = history_.adopt(*text, kWhatSighup, outcome->history_error);
    outcome->recorded_new = outcome->version > newest;
    outcome->text = std::move(*text);
    outcome->loaded = std::move(loaded.config);
  };
  auto after = [this, outcome, running, finished, done] {
    auto rejected = [&](const std::vector<std::string>& lines) {
      for (const std::string& line : lines) {
        log::error("reload rejected: {}", line);
      }
      log::error("reload rejected: keeping config version {}", running.version);
    };
    if (outcome->prepared && !outcome->prepared->errors.empty()) {
      rejected(outcome->prepared->errors);
      finished();
      done();
      return;
    }
    if (!outcome->loaded) {
      std::vector<std::string> lines;
      for (const config::ConfigError& e : outcome->errors) {
        lines.push_back(e.str());
      }
      rejected(lines);
      finished();
      done();
      return;
    }
    if (!outcome->history_error.empty()) {
      log::warn("config history: {}", outcome->history_error);
    }
    auto next = std::make_shared<config::Config>(*outcome->loaded);
    next->version = outcome->version;
    const std::vector<std::string> errors = hooks_.apply(next, outcome->text, kWhatSighup, outcome->prepared);
    if (errors.empty()) {
      log::info("config reloaded: version {}{}", outcome->version,
                outcome->version == running.version ? " (the file is unchanged)" : "");
      finished();
      done();
      return;
    }
    rejected(errors);
    if (!outcome->recorded_new) {
      finished();
      done();
      return;
    }
    // The history only lists configs the node ran.
    auto forget = [this, version = outcome->version] {
      std::string error;
      if (!history_.forget(version, error)) {
        log::warn("config history: {}", error);
      }
    };
    if (!core::runOnPool(loop_, std::move(forget), [finished, done] {
          finished();
          done();
        })) {
      finished();
      done();
    }
  };
  if (!core::runOnPool(loop_, std::move(work), std::move(after))) {
    log::error("reload rejected: cannot start reading the config file (libuv refused the work request)");
    finished();
    done();
  }
}

}  // namespace sluice::control
