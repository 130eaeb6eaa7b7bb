#include "engine/ctl/ctl_main.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ctl/commands.h"
#include "engine/ctl/help_text.h"
#include "engine/ctl/socket_path.h"

namespace sluice::ctl {
namespace {

using Command = int (*)(Session&, CtlArgs&);

struct Entry {
  std::string_view name;
  Command run;
};

constexpr Entry kCommands[] = {
    {"hello", cmdHello},
    {"stats", cmdStats},
    {"config", cmdConfig},
    {"rate-limits", cmdRateLimits},
    {"cache-policies", cmdCachePolicies},
    {"routes", cmdRoutes},
    {"upstreams", cmdUpstreams},
    {"cache", cmdCache},
};

int usageError(const std::string& message) {
  std::fprintf(stderr, "sluice ctl: %s\nsee: sluice ctl --help\n", message.c_str());
  return kExitUsage;
}

}  // namespace

int runCtl(int argc, char** argv) {
  // Global options may come before or after the command; everything else belongs to the command.
  CtlArgs all(std::vector<std::string>(argv, argv + argc));
  const bool help = all.flag("--help") || all.flag("-h");
  const bool json = all.flag("--json");
  const std::optional<std::string> socket = all.option("--socket");
  const std::optional<double> timeout = all.number("--timeout");
  if (all.failed()) {
    return usageError(all.error());
  }
  const std::optional<std::string> command = all.next();
  if (!command || *command == "help") {
    if (help || command) {
      std::fputs(ctlUsage(), stdout);
      return kExitOk;
    }
    std::fputs(ctlUsage(), stderr);
    return kExitUsage;
  }
  const Entry* entry = nullptr;
  for (const Entry& e : kCommands) {
    if (e.name == *command) {
      entry = &e;
    }
  }
  if (entry == nullptr) {
    return usageError("unknown command '" + *command + "'");
  }
  if (help) {
    std::fputs(commandHelp(entry->name), stdout);
    return kExitOk;
  }
  if (timeout && *timeout <= 0) {
    return usageError("--timeout needs a number of seconds above 0");
  }
  if (socket && socket->empty()) {
    return usageError("--socket needs a path");
  }
  // SIGPIPE keeps its default: `sluice ctl stats --watch | head -3` ends when head does. The socket
  // is written with MSG_NOSIGNAL, so a node that goes away is an error message, not a silent death.
  GlobalOptions options;
  options.socket = resolveSocketPath(socket.value_or(""));
  options.json = json;
  options.timeout_s = timeout.value_or(5);
  Session session(std::move(options), stdout, stderr);
  CtlArgs rest(all.rest());
  const int code = entry->run(session, rest);
  std::fflush(stdout);
  return code;
}

}  // namespace sluice::ctl
