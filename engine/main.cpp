// `sluice`: the node's command line. Subcommands:
//   serve [--config FILE]   run the node (without --config: the embedded default config)
//   check --config FILE     validate a config file; FILE:LINE: message per error, exit 1 on error
//   ctl COMMAND ...         talk to a running node over its control socket (engine/ctl/)
//   version                 print the version

#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "default_config.h"
#include "engine/config/config_loader.h"
#include "engine/ctl/ctl_main.h"
#include "engine/log/journal_stream.h"
#include "engine/log/logger.h"
#include "engine/node/node.h"
#include "version.h"

namespace {

constexpr const char* kUsage =
    "usage: sluice <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve [--config FILE]   run the node (default: the embedded config, http://127.0.0.1:8080/)\n"
    "  check --config FILE     validate FILE; prints FILE:LINE: message for each error\n"
    "  ctl COMMAND ...         talk to a running node: stats, config, rate-limits, cache-policies,\n"
    "                          routes, upstreams (drain), cache purge (sluice ctl --help)\n"
    "  version                 print the version\n";

// Finds `--config FILE` or `--config=FILE`; false on a malformed or unknown option.
bool parseConfigOption(int argc, char** argv, std::string& path) {
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--config" || arg == "-c") {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "sluice: %s needs a file\n", argv[i]);
        return false;
      }
      path = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      path = std::string(arg.substr(9));
    } else {
      std::fprintf(stderr, "sluice: unknown option '%s'\n%s", argv[i], kUsage);
      return false;
    }
  }
  return true;
}

// The command a binary upgrade runs: this executable's path as it is now (a package upgrade puts the
// new binary there) and the same arguments. Empty when the path cannot be read.
std::vector<std::string> upgradeCommand(int argc, char** argv) {
  char path[PATH_MAX] = {};
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) {
    return {};
  }
  std::vector<std::string> command{std::string(path, static_cast<size_t>(n))};
  for (int i = 1; i < argc; ++i) {
    command.emplace_back(argv[i]);
  }
  return command;
}

void printErrors(const sluice::config::LoadResult& result) {
  for (const sluice::config::ConfigError& e : result.errors) {
    std::fprintf(stderr, "%s\n", e.str().c_str());
  }
}

int check(int argc, char** argv) {
  std::string path;
  if (!parseConfigOption(argc, argv, path)) {
    return 2;
  }
  if (path.empty()) {
    std::fprintf(stderr, "sluice check: --config FILE is required\n");
    return 2;
  }
  const sluice::config::LoadResult result = sluice::config::loadConfigFile(path);
  if (!result.ok()) {
    printErrors(result);
    return 1;
  }
  std::printf("%s: ok\n", path.c_str());
  return 0;
}

int serve(int argc, char** argv) {
  std::string path;
  if (!parseConfigOption(argc, argv, path)) {
    return 2;
  }
  std::string text = sluice::kDefaultConfigYaml;
  if (!path.empty()) {
    sluice::config::ConfigError error;
    std::optional<std::string> read = sluice::config::readConfigText(path, error);
    if (!read) {
      std::fprintf(stderr, "%s\n", error.str().c_str());
      return 1;
    }
    text = std::move(*read);
  }
  const sluice::config::LoadResult result =
      sluice::config::loadConfigText(text, path.empty() ? "<embedded>" : path);
  if (!result.ok()) {
    printErrors(result);
    return 1;
  }
  std::signal(SIGPIPE, SIG_IGN);
  // Under systemd, stderr is the journal: levels as priorities, journald's timestamps.
  sluice::log::setJournalFormat(sluice::log::stderrIsJournal());
  sluice::node::Node node(result.config, path, std::move(text));
  node.setUpgradeCommand(upgradeCommand(argc, argv));
  return node.run();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string_view command = argv[1];
  if (command == "serve") {
    return serve(argc, argv);
  }
  if (command == "check") {
    return check(argc, argv);
  }
  if (command == "ctl") {
    return sluice::ctl::runCtl(argc - 2, argv + 2);
  }
  if (command == "version" || command == "--version") {
    std::printf("sluice %s\n", sluice::kVersion);
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "sluice: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}
