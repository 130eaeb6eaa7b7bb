#pragma once
// One run of `sluice ctl`: the global options, the connection (opened on the first call), and how
// results and errors are printed. Exit codes: 0 ok, 1 the node answered with an error, 2 usage
// error, 3 no conversation with the node (cannot connect, timed out, connection lost).

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "engine/ctl/control_client.h"

namespace sluice::ctl {

enum ExitCode : int { kExitOk = 0, kExitErrorReply = 1, kExitUsage = 2, kExitNoConnection = 3 };

struct GlobalOptions {
  std::string socket;  // resolved path
  bool json = false;
  double timeout_s = 5;
};

class Session {
 public:
  Session(GlobalOptions options, std::FILE* out, std::FILE* err);

  bool json() const { return options_.json; }
  std::FILE* out() const { return out_; }
  std::FILE* err() const { return err_; }
  const std::string& socketPath() const { return options_.socket; }
  double timeoutSeconds() const { return options_.timeout_s; }

  // Sends one request. On success `result` holds the reply's result and the exit code is 0; else the
  // error has been printed (stderr, or stdout as JSON with --json) and the exit code is returned.
  int call(const std::string& method, const nlohmann::json& params, nlohmann::json& result);
  // The config version an edit is based on: `given`, else the node's current one (from hello).
  int baseVersion(std::optional<double> given, int64_t& version);
  // `--json`: the value as one line on stdout.
  void printJson(const nlohmann::json& value) const;
  // "sluice ctl: COMMAND: MESSAGE" + a pointer to --help on stderr; returns 2.
  int usage(const std::string& command, const std::string& message) const;

  // The connection, for streaming commands (stats --watch); null when it cannot connect (printed).
  ControlClient* client(int& exit_code);

 private:
  void printError(const nlohmann::json& error) const;

  GlobalOptions options_;
  std::FILE* out_;
  std::FILE* err_;
  std::unique_ptr<ControlClient> client_;
};

}  // namespace sluice::ctl
